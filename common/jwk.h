/* jwk.h: id_token signing keys with OpenSSL's libcrypto: make, wrap, publish */
#ifndef JWK_H
#define JWK_H

#include <stddef.h>

#include "str.h"

struct evp_pkey_st;

enum jwk_alg {
	JWK_RS256 = 0,	/* RSASSA-PKCS1-v1_5 SHA-256, RSA 2048 (RFC 7518 §3.3) */
	JWK_ES256	/* ECDSA P-256 SHA-256 (RFC 7518 §3.4) */
};

#define JWK_KID_MAX	64

/* "RS256" or "ES256". */
const char	*jwk_alg_name(enum jwk_alg);

/* Parse an algorithm name. Returns 0 with *alg set, or -1. */
int		 jwk_alg_parse(struct str name, enum jwk_alg *alg);

/*
 * A new key, as the store keeps it: kid is the RFC 7638 thumbprint
 * (base64url SHA-256), public_jwk the JSON of its public half (kty, use,
 * alg, kid and the key's numbers; never a private member), private_enc
 * the private key (DER) sealed with AES-256-GCM under a key derived from
 * the server secret, with kid and alg as associated data. All strings
 * are in the arena; private_enc is the "\x…" hex form of a bytea
 * parameter. Returns 0, or -1 if libcrypto failed.
 */
struct jwk_new {
	char		 kid[JWK_KID_MAX];
	const char	*public_jwk;
	const char	*private_enc;
};
int		 jwk_generate(enum jwk_alg, const unsigned char *secret,
		    size_t secretlen, struct arena *, struct jwk_new *out);

/*
 * Open a sealed private key read from the store (the raw bytes of
 * private_enc). Returns a key the caller frees with EVP_PKEY_free, or
 * NULL if it does not open with this server secret (another secret, or
 * tampered with).
 */
struct evp_pkey_st *jwk_unseal(enum jwk_alg, const char *kid,
		    const unsigned char *sealed, size_t n,
		    const unsigned char *secret, size_t secretlen);

#endif
