/* consent.h: the consent page of an authorization request and its answer */
#ifndef CONSENT_H
#define CONSENT_H

#include "authreq.h"

/*
 * Answer with the consent page for r's scopes, the user u and a CSRF
 * token bound to the session and to exactly this request. 0, or -1 on a
 * database failure (nothing answered: the caller does).
 */
int	consent_page(struct ctx *, const struct areq *r, const struct user *u,
	    const char *session_hash);

/*
 * 1 if the posted consent form is this session's for exactly this
 * request (its CSRF token) and came from our own site, else 0.
 */
int	consent_form_ok(struct ctx *, const struct areq *r,
	    const char *session_hash);

/*
 * The scopes the user left checked (grant_scope), within the request's,
 * each once, into *granted (request views; may be empty).
 */
void	consent_granted(struct ctx *, const struct areq *r,
	    struct scopes *granted);

#endif
