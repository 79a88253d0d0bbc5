/* clientauth.h: client authentication at the token, revoke and introspect endpoints */
#ifndef CLIENTAUTH_H
#define CLIENTAUTH_H

#include "fcgi_loop.h"
#include "oerror.h"
#include "store.h"

/*
 * Read the client credentials of this request without checking them:
 * HTTP Basic (form-encoded, RFC 6749 §2.3.1) or client_id (+
 * client_secret) parameters, never both, never a secret in a POST's URL.
 * Returns 0 with *id and *secret (empty when none) set, or -1 with e set.
 */
int	client_credentials(struct ctx *, struct str *id, struct str *secret,
	    struct oerror *e);

/*
 * Authenticate the client of this request: HTTP Basic (RFC 6749 §2.3.1)
 * or client_id + client_secret parameters, never both. A public client
 * (no secret registered) passes with client_id alone when allow_public is
 * set. Returns 0 with *c loaded, or -1 with e set (invalid_client,
 * invalid_request, or temporarily_unavailable/server_error when the
 * database failed).
 */
int	client_authenticate(struct ctx *, int allow_public, struct client *c,
	    struct oerror *e);

/*
 * The common start of revoke and introspect (RFC 7009 §2.1, RFC 7662
 * §2.1), after the loop took the POST: one "token" (and at most one
 * "token_type_hint"), from an authenticated client (not checked when c is
 * NULL: the caller does it). Returns 0 with *c and *token set, or -1 with
 * e set.
 */
int	client_token_request(struct ctx *, int allow_public, struct client *c,
	    struct str *token, struct oerror *e);

#endif
