/* resource.h: access-token checks shared by /oauth2.0/me and /user/get_user_info */
#ifndef RESOURCE_H
#define RESOURCE_H

#include "fcgi_loop.h"
#include "oerror.h"
#include "store.h"

/*
 * Find and check the access token of a resource request: the
 * access_token parameter or an "Authorization: Bearer" header, not both
 * (RFC 6750 §2). *bearer tells which way it came. Returns 0 with *t set
 * for a live access token, or -1 with e set (QQ codes 100007, 100013-
 * 100016; invalid_request when it came twice). with: what else of the
 * row is needed (store_token_get).
 */
int	resource_token(struct ctx *, unsigned with, struct token_row *t,
	    int *bearer, struct oerror *e);

/*
 * The common start of a resource request, after the loop took its
 * method and parameters: a valid callback name if any (JSONP then), and
 * a live access token, and the CORS headers for the token's client (or
 * the one the request names: cors_answer). *t must start zeroed. Returns
 * 0 with *t, *bearer, *jsonp and *cb set, or -1 with e set (and *bearer,
 * *jsonp as far as known).
 */
int	resource_begin(struct ctx *, unsigned with, struct token_row *t,
	    int *bearer, int *jsonp, struct str *cb, struct oerror *e);

/*
 * The HTTP status of a failed resource request: QQ's 200 for errors of a
 * token given as a parameter; RFC 6750's 400/401/403 (with its
 * WWW-Authenticate header) for a token given as a Bearer header; 400 for
 * a malformed request; the error's own status for 405, 413 and outages.
 */
int	resource_error_status(struct ctx *, const struct oerror *e, int bearer);

#endif
