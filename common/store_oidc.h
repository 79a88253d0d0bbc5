/* store_oidc.h: OpenID Connect queries: signing keys, userinfo, logout URIs */
#ifndef STORE_OIDC_H
#define STORE_OIDC_H

#include "db.h"
#include "str.h"

/*
 * The signing key kid: *alg (its name), its sealed private key (raw
 * bytes into *sealed, arena) and whether it is still published (not
 * retired). 0 found, 1 no such key, -1 database failure.
 */
int	store_key_get(struct db *, struct arena *, struct str kid,
	    struct str *alg, unsigned char **sealed, size_t *n, int *live);

/*
 * The JWKS document {"keys":[…]} of every key not retired, newest
 * first, in the arena. 0, or -1 on database failure.
 */
int	store_jwks(struct db *, struct arena *, struct str *out);

/* The claims of a user that userinfo and the id_token give (arena). */
struct oidc_user {
	struct str	 username, nickname, avatar, gender, email;
	int		 email_verified;
	long		 updated_at;	/* seconds since the epoch */
};

/* 0 found, 1 no such user, -1 database failure. */
int	store_oidc_user(struct db *, struct arena *, long user_id,
	    struct oidc_user *u);

/*
 * 1 if uri is a registered post_logout_redirect_uri of client_id, 0 if
 * not, -1 on database failure.
 */
int	store_post_logout_ok(struct db *, struct arena *, struct str client_id,
	    struct str uri);

#endif
