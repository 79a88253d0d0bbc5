/* token_grant.h: the token endpoint's grants, their fast and slow paths */
#ifndef TOKEN_GRANT_H
#define TOKEN_GRANT_H

#include "fcgi_loop.h"
#include "jwt_access.h"
#include "oerror.h"
#include "store.h"

/* A grant's answer: the plaintext tokens, sent once and never stored. */
struct token_reply {
	struct str	access;
	struct str	refresh;	/* empty: none */
	struct str	scope;
	long		expires_in;
	struct id_info	id;		/* id.user_id 0: no id_token */
	struct str	id_token;	/* empty: none */
	struct jwt_at	jwt;		/* JWT access token (jwt.on) */
};

/*
 * A grant handler runs twice at most. First with cl NULL, before the
 * client is authenticated: its single statement checks the client too,
 * and any problem returns 1 ("not on the fast path") without an error.
 * Then, only if that did not succeed, with the authenticated client: now
 * every problem is answered with its error (-1 with e set). For a code
 * or a refresh token, whose statement has the same inputs both times,
 * the second call only finds out why the first matched nothing (the
 * tables beside the statements in store_code.c and store_token.c map
 * each SQL condition to the C that explains it).
 */
struct token_grant {
	const char	*name;		/* the grant_type */
	unsigned	 flag;		/* GRANT_* */
	int		 public_ok;	/* public clients may use it */
	int		 get_ok;	/* QQ allows it on GET (qq_compat) */
	int		 fast;		/* has the one-statement first try */
	int		 (*run)(struct ctx *, const struct client_key *,
			    const struct client *, struct token_reply *,
			    struct oerror *);
};

/*
 * Mint the tokens of one grant, the one place access tokens are made (the
 * token endpoint's grants and the implicit flow): fresh random tokens
 * into out (for the reply, with expires_in) and their digests into d
 * (for the store), with the configured lifetimes; a refresh token only
 * when with_refresh is set. d's scopes are left to the caller. For a
 * JWT client (out->jwt.on) the access token's row stands for its jti
 * and the token itself is signed later (token.c's jwt_finish).
 */
void	token_grant_mint(struct ctx *, int with_refresh,
	    struct token_reply *out, struct token_digests *d);

/* The grant of this grant_type, NULL if there is none. */
const struct token_grant *token_grant_find(struct str grant_type);

/*
 * Run grant g for the client k (client_credentials() and the digest of
 * the secret it sent): g's one-statement fast path first, which
 * authenticates the client in the same statement; if that matched
 * nothing (or g has none), client authentication (client_authenticate),
 * the client's right to g (token_grant_allowed) and g's slow path, which
 * issues (password, client_credentials) or names the failure. Returns 0
 * with *out set and *client_id the client's, or -1 with e set.
 */
int	token_grant_run(struct ctx *, const struct token_grant *g,
	    const struct client_key *k, struct token_reply *out,
	    struct str *client_id, struct oerror *e);

/*
 * A required single-valued parameter: 0 with *v set, or -1 with e set
 * (invalid_request, QQ code qq_missing when absent).
 */
int	token_grant_param_need(struct ctx *, const char *name,
	    struct str *v, int qq_missing, struct oerror *e);

#endif
