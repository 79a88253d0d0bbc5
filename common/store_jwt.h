/* store_jwt.h: queries of JWT access tokens and the worker's client cache */
#ifndef STORE_JWT_H
#define STORE_JWT_H

#include "db.h"
#include "str.h"

/* What a worker caches of a client (arena strings). */
struct client_row {
	struct str	 secret_hex;	/* hex SHA-256 of the secret; empty if public */
	struct str	 grants;	/* space-separated grant names */
	struct str	 scopes;	/* space-separated */
	int		 suspended;
	int		 jwt;		/* access_token_format = 'jwt' */
	struct str	 alg;		/* access_token_alg */
};

/* 0 found, 1 no such client, -1 database failure. */
int	store_jwt_client_row(struct db *, struct arena *, struct str id,
	    struct client_row *);

/*
 * The active signing keys' kids: *es256 and *rs256 (arena, empty when
 * none). 0, or -1 on database failure.
 */
int	store_jwt_active_kids(struct db *, struct arena *, struct str *es256,
	    struct str *rs256);

/*
 * Whether a JWT access token with no row (client_credentials) is dead:
 * its jti revoked, or its client deleted or suspended. 1 dead, 0 not,
 * -1 database failure.
 */
int	store_jwt_dead(struct db *, struct arena *, struct str jti,
	    struct str client_id);

/* Revoke jti of client_id until exp (seconds since the epoch). 0 or -1. */
int	store_jwt_revoke(struct db *, struct arena *, struct str jti,
	    struct str client_id, long exp);

#endif
