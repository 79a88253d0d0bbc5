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
 * 100016; invalid_request when it came twice).
 */
int	resource_token(struct ctx *, struct token_row *t, int *bearer,
	    struct oerror *e);

/* Add "WWW-Authenticate: Bearer …" for e (RFC 6750 §3). */
void	resource_challenge(struct ctx *, const struct oerror *e);

/*
 * The reply format a resource request asked for: JSONP when callback is
 * given (it must be a valid name, else -1 with e set), JSON otherwise.
 */
int	resource_callback(struct ctx *, int *jsonp, struct str *cb,
	    struct oerror *e);

#endif
