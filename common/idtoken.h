/* idtoken.h: OpenID Connect id_tokens: claims, keys per process, hints */
#ifndef IDTOKEN_H
#define IDTOKEN_H

#include "fcgi_loop.h"
#include <json-c/json.h>

#include "jwk.h"
#include "store.h"

struct evp_pkey_ctx_st;

/*
 * The id_token of a code or refresh answer (OpenID Connect Core §2,
 * §3.1.3.6, §12.2) for client_id, signed with the key id->kid: iss, sub
 * (the client's pairwise openid of the user), aud, azp, iat and exp
 * (the database's clock; exp after access_token_ttl), auth_time and
 * nonce when known, at_hash of access_token. Into *out (arena).
 * Returns 0, or -1 (logged) when the key cannot be had: no active key
 * for the client's algorithm, or one that does not open with this
 * server secret; with the database down, c->db.state says so.
 */
int	idtoken_make(struct ctx *, struct str client_id,
	    const struct id_info *id, struct str access_token,
	    struct str *out);

/*
 * Check an id_token_hint (OpenID Connect Core §3.1.2.1, RP-Initiated
 * Logout §2): signed by one of our published keys, iss ours; an
 * expired one is still accepted. Returns 0 with *aud (its single
 * audience) and *sub set, 1 if it is not one of ours, -1 on a database
 * failure.
 */
int	idtoken_hint(struct ctx *, struct str token, struct str *aud,
	    struct str *sub);

/* An opened signing key, kept for the life of the process. */
struct key_slot {
	char			 kid[JWK_KID_MAX];
	enum jwk_alg		 alg;
	struct evp_pkey_st	*k;
	struct evp_pkey_ctx_st	*signer;	/* jws_signer(k) */
};

/*
 * The signing key kid, opened once per process (a kid names one key
 * forever). check_live: it must still be published, which the store is
 * asked each time. NULL when there is no such usable key, or with
 * *dberr set on a database failure.
 */
const struct key_slot *idtoken_key(struct ctx *, struct str kid,
	    int check_live, int *dberr);

/*
 * A string claim of o into the arena (aud may be an array of one);
 * -1 if absent or not a string.
 */
int	idtoken_claim(struct ctx *, json_object *o, const char *name,
	    struct str *v);

/* The sub the client sees for user_id: its pairwise openid (arena). */
struct str idtoken_sub(struct ctx *, struct str client_id, long user_id);

#endif
