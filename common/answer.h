/* answer.h: an authorization response: redirect, or form_post page */
#ifndef ANSWER_H
#define ANSWER_H

#include "fcgi_loop.h"

/*
 * The parameters of an authorization response, sent by a redirect with
 * them in the query or the fragment (RFC 6749 §4.1.2, §4.2.2), or, for
 * response_mode=form_post (OAuth 2.0 Form Post Response Mode), as the
 * page "form_post", whose form a same-origin script posts to the
 * redirect URI. Everything lives in the request's arena.
 */
struct answer {
	struct strbuf	 b;		/* the redirect URL */
	int		 first;
	int		 status;	/* of the redirect: 302 or 303 */
	struct tvars	*v;		/* the form_post page; NULL: redirect */
};

/* Start an answer to redirect_uri; status: the redirect's (302, 303). */
void	answer_begin(struct ctx *, struct answer *, struct str redirect_uri,
	    int fragment, int form_post, int status);

/* Add name=value (percent-encoded in a URL, escaped in the page). */
void	answer_param(struct answer *, const char *name, struct str value);

/*
 * Set the response: the redirect, or the page. Returns 0, or -1 when the
 * redirect URL cannot be a header (the caller answers instead).
 */
int	answer_send(struct ctx *, struct answer *);

#endif
