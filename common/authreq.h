/* authreq.h: the authorization request, parsed and checked */
#ifndef AUTHREQ_H
#define AUTHREQ_H

#include "fcgi_loop.h"
#include "oerror.h"
#include "store.h"
#include "store_client.h"

/*
 * The parameters of an authorization request (RFC 6749 §4.1.1, §4.2.1,
 * OpenID Connect Core §3.1.2.1).
 */
#define AUTHREQ_NPARAMS	14

/* A validated authorization request; its strings are request views. */
struct areq {
	struct client	 cl;
	struct str	 given[AUTHREQ_NPARAMS];	/* as received */
	struct str	 redirect;		/* where to send the answer */
	struct str	 state;
	struct str	 challenge;
	struct str	 method;
	unsigned	 prompt;		/* PROMPT_* */
	long		 max_age;		/* -1: none */
	struct str	 nonce;
	struct scopes	 scopes;		/* requested, or the client's */
	int		 implicit;		/* response_type=token */
	int		 fragment;		/* answer in the fragment */
	int		 form_post;		/* response_mode=form_post */
	int		 openid;		/* an OpenID Connect request */
	int		 redirect_ok;		/* errors may redirect */
	struct str	 status;		/* the app's review status */
	long		 owner_user_id;		/* its developer; 0: none */
	struct str	 icon;
};

/*
 * Parse and check the request's parameters into *r, and read in the same
 * statement the user of the session session_hash (NULL: none) and the
 * consent into *v. Returns 0, or -1 with e set: r->redirect_ok says
 * whether the error may go back to r->redirect (client and redirect URI
 * were good, §4.1.2.1).
 */
int	authreq_parse(struct ctx *, const char *session_hash, struct areq *r,
	    struct client_visit *v, struct oerror *e);

/* The parameter name as received (empty when absent). */
struct str authreq_given(const struct areq *, const char *name);

/*
 * The request's fingerprint, to bind the consent form's CSRF token to
 * exactly these parameters. In the arena.
 */
struct str authreq_fingerprint(struct ctx *, const struct areq *);

/* One "hidden" item of v per parameter received, to post it again. */
void	authreq_hidden(struct tvars *v, const struct areq *);

/*
 * Whether the session may answer this request (OpenID Connect Core
 * §3.1.2.1): older than max_age, or another user than id_token_hint
 * names, it must log in again. 0 it fits (or there is none), 1 it does
 * not, 2 the hint is none of ours, -1 database failure.
 */
int	authreq_session_fits(struct ctx *, const struct areq *,
	    const struct client_visit *v);

#endif
