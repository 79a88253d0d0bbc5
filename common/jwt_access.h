/* jwt_access.h: JWT access tokens (RFC 9068): issue, check, revoke, introspect */
#ifndef JWT_ACCESS_H
#define JWT_ACCESS_H

#include <json-c/json.h>

#include "fcgi_loop.h"
#include "jwk.h"
#include "oerror.h"
#include "store.h"

/* The claims of one JWT access token (arena strings). */
struct jwt_at {
	int		 on;		/* the client's access tokens are JWTs */
	enum jwk_alg	 alg;
	struct str	 client_id;
	struct str	 aud;		/* RFC 8707 resource, else the default */
	struct str	 jti;
	struct str	 sub;		/* of a checked token */
	struct str	 scope;
	long		 user_id;	/* 0: none (client_credentials) */
	long		 auth_time;	/* 0: unknown */
	long		 iat, exp;
};

/* 1 if token has the shape of a compact JWS (two dots). */
int	jwt_access_is(struct str token);

/* RFC 8707 §2: 1 if a resource is an absolute URI without a fragment. */
int	jwt_access_resource_ok(struct str resource);

/*
 * The claims of j as RFC 9068 §2.2 lists them: iss (ours), sub (the
 * user's openid for the client, or the client id when there is no
 * user), aud, client_id, scope, iat, exp, jti, auth_time (a user's,
 * when known). The caller puts the object.
 */
json_object *jwt_access_claims(struct ctx *, const struct jwt_at *j);

/*
 * Read the claims of a verified token into j: all of RFC 9068 §2.2's
 * required ones present and iss ours. 0, or -1.
 */
int	jwt_access_read(struct ctx *, json_object *o, struct jwt_at *j);

/*
 * The token endpoint's first step for client id: when the client's
 * format (client_cache.c) is jwt, set j->on, its alg and audience (the
 * request's RFC 8707 resource: one absolute URI, else invalid_target).
 * For client_credentials, with the right secret, the grant, an allowed
 * scope and the client not suspended, issue the token from the worker's
 * memory, with no database round trip: 0 with *access and *scope set.
 * Returns 1 to go on the usual way (j->on tells the format), -1 with e
 * set.
 */
int	jwt_access_token(struct ctx *, struct str id, struct str secret,
	    unsigned grant, struct jwt_at *j, struct str *access,
	    struct str *scope, struct oerror *e);

/*
 * A new jti into j, and the digest parameter of the token row that
 * stands for it (a keyed hash of the jti: knowing a jti does not give
 * an opaque token). For grants that keep a row (code, refresh,
 * password).
 */
const char *jwt_access_row(struct ctx *, struct jwt_at *j);

/* Sign j (iat set; exp = iat + jwt_access_token_ttl). 0, or -1 (logged). */
int	jwt_access_sign(struct ctx *, struct jwt_at *j, struct str *out);

/*
 * Check a JWT access token for our own endpoints: signature by a
 * published key, typ at+jwt, iss ours; then its row (user grants: with
 * as store_token_get) or, without one, its revocation and client in
 * PostgreSQL. Returns 1 when token is no JWT, 0 with *t set (t->live,
 * t->revoked tell) and *j its claims, -1 with e set (invalid_token, or
 * the database failed).
 */
int	jwt_access_check(struct ctx *, struct str token, unsigned with,
	    struct token_row *t, struct jwt_at *j, struct oerror *e);

/*
 * RFC 7009 for a JWT access token of client_id: its jti is revoked (and
 * its row, if any). 1 no JWT, 0 done or not ours (no error, RFC 7009
 * §2.2), -1 database failure.
 */
int	jwt_access_revoke(struct ctx *, struct str token, struct str client_id);

/*
 * RFC 7662 for a JWT access token: the authenticated client learns about
 * its own tokens (active, and the token's claims). Replies itself and
 * returns 0; 1 when token is no JWT; -1 with e set.
 */
int	jwt_access_introspect(struct ctx *, struct str token, struct oerror *e);

#endif
