/* idtoken.c: OpenID Connect id_tokens: claims, keys per process, hints */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "b64.h"
#include "crypto.h"
#include "idtoken.h"
#include "json.h"
#include "jwt.h"
#include "openid.h"
#include "store_oidc.h"

/*
 * Opened keys, kept for the life of the process: a kid names one key
 * forever, so an entry never goes stale; a key rotated in by `oauthctl
 * key rotate` is a new kid, loaded at its first use.
 */
#define KEY_CACHE	8

static struct key_slot cache[KEY_CACHE];
static size_t	cache_next;

/* The cache slot of kid, or -1. */
static int
cached(struct str kid)
{
	size_t	i;

	for (i = 0; i < KEY_CACHE; i++)
		if (cache[i].k != NULL && str_eq_c(kid, cache[i].kid))
			return (int)i;
	return -1;
}

/*
 * The cache slot of the key kid, loaded from the store when it is not
 * cached. check_live: it must still be published (verification), which
 * the store is asked each time. Returns the slot, -2 if there is no such
 * usable key, -1 on a database failure.
 */
static int
key_get(struct ctx *c, struct str kid, int check_live)
{
	unsigned char	*sealed;
	struct str	 name;
	enum jwk_alg	 alg;
	EVP_PKEY	*k;
	EVP_PKEY_CTX	*signer;
	size_t		 n;
	int		 rc, live, i;

	if (kid.n == 0 || kid.n >= JWK_KID_MAX)
		return -2;
	if (!check_live && (i = cached(kid)) >= 0)
		return i;
	if ((rc = store_key_get(&c->db, &c->a, kid, &name, &sealed, &n,
	    &live)) != 0)
		return rc == 1 ? -2 : -1;
	if (!live && check_live)
		return -2;
	if ((i = cached(kid)) >= 0)
		return i;
	if (jwk_alg_parse(name, &alg) ||
	    (k = jwk_unseal(alg, str_dup(&c->a, kid), sealed, n,
	    c->cfg.key, c->cfg.keylen)) == NULL) {
		fprintf(stderr, "%s: signing key %.*s does not open with "
		    "this secret key\n", c->prog, (int)kid.n, kid.p);
		return -2;
	}
	if ((signer = jws_signer(k, alg)) == NULL) {
		EVP_PKEY_free(k);
		return -2;
	}
	i = (int)(cache_next++ % KEY_CACHE);
	EVP_PKEY_CTX_free(cache[i].signer);
	EVP_PKEY_free(cache[i].k);
	memcpy(cache[i].kid, kid.p, kid.n);
	cache[i].kid[kid.n] = '\0';
	cache[i].alg = alg;
	cache[i].k = k;
	cache[i].signer = signer;
	return i;
}

const struct key_slot *
idtoken_key(struct ctx *c, struct str kid, int check_live, int *dberr)
{
	int	i = key_get(c, kid, check_live);

	*dberr = i == -1;
	return i < 0 ? NULL : &cache[i];
}

struct str
idtoken_sub(struct ctx *c, struct str client_id, long user_id)
{
	char	id[OPENID_LEN + 1];

	if (openid_make(c->cfg.key, c->cfg.keylen, client_id, user_id, id))
		return STR_NULL;
	return str_c(arena_strndup(&c->a, id, OPENID_LEN));
}

/* at_hash: base64url of the left half of SHA-256 (Core §3.1.3.6). */
static json_object *
at_hash(struct ctx *c, struct str access_token)
{
	unsigned char	d[SHA256_LEN];
	struct strbuf	b;

	crypto_sha256(access_token.p, access_token.n, d);
	strbuf_init(&b, &c->a);
	b64url_encode(&b, d, SHA256_LEN / 2);
	return json_str(strbuf_str(&b));
}

int
idtoken_make(struct ctx *c, struct str client_id, const struct id_info *id,
    struct str access_token, struct str *out)
{
	json_object	*o;
	struct str	 sub, payload;
	int		 rc, i;

	if (id->kid.n == 0 || (i = key_get(c, id->kid, 0)) < 0) {
		fprintf(stderr, "%s: no usable %.*s signing key: run "
		    "oauthctl key rotate\n", c->prog, (int)id->alg.n,
		    id->alg.p);
		return -1;
	}
	if ((sub = idtoken_sub(c, client_id, id->user_id)).n == 0)
		return -1;
	o = json_object_new_object();
	json_object_object_add(o, "iss", json_object_new_string(c->cfg.issuer));
	json_object_object_add(o, "sub", json_str(sub));
	json_object_object_add(o, "aud", json_str(client_id));
	json_object_object_add(o, "azp", json_str(client_id));
	json_object_object_add(o, "iat", json_object_new_int64(id->now));
	json_object_object_add(o, "exp",
	    json_object_new_int64(id->now + c->cfg.access_token_ttl));
	if (id->auth_time > 0)
		json_object_object_add(o, "auth_time",
		    json_object_new_int64(id->auth_time));
	if (id->nonce.n)
		json_object_object_add(o, "nonce", json_str(id->nonce));
	json_object_object_add(o, "at_hash", at_hash(c, access_token));
	payload = str_c(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	rc = jws_sign(&c->a, cache[i].signer, cache[i].alg, cache[i].kid,
	    payload, out);
	json_object_put(o);
	return rc;
}

int
idtoken_claim(struct ctx *c, json_object *o, const char *name,
    struct str *v)
{
	json_object	*x;

	if (!json_object_object_get_ex(o, name, &x))
		return -1;
	/* aud may be an array of one (Core §2). */
	if (json_object_is_type(x, json_type_array) &&
	    json_object_array_length(x) == 1)
		x = json_object_array_get_idx(x, 0);
	if (!json_object_is_type(x, json_type_string))
		return -1;
	*v = str_c(arena_strndup(&c->a, json_object_get_string(x),
	    (size_t)json_object_get_string_len(x)));
	return 0;
}

int
idtoken_hint(struct ctx *c, struct str token, struct str *aud,
    struct str *sub)
{
	json_object	*o;
	enum jwk_alg	 alg;
	struct str	 kid, iss;
	int		 rc, i;

	if (jws_header(&c->a, token, &alg, &kid))
		return 1;
	if ((i = key_get(c, kid, 1)) < 0)
		return i == -1 ? -1 : 1;
	if (cache[i].alg != alg ||
	    (o = jws_verify(&c->a, token, cache[i].k, alg)) == NULL)
		return 1;
	rc = 1;
	if (idtoken_claim(c, o, "iss", &iss) == 0 &&
	    str_eq_c(iss, c->cfg.issuer) &&
	    idtoken_claim(c, o, "aud", aud) == 0 &&
	    idtoken_claim(c, o, "sub", sub) == 0)
		rc = 0;
	json_object_put(o);
	return rc;
}
