/* jwt.h: compact JWS (RFC 7515), signed and checked with libcrypto */
#ifndef JWT_H
#define JWT_H

#include <json-c/json.h>

#include "jwk.h"
#include "str.h"

struct evp_pkey_ctx_st;

/*
 * A signing context for key k of algorithm alg (SHA-256, PKCS #1 v1.5
 * padding for RSA), made once and used for every signature of the key.
 * The caller frees it with EVP_PKEY_CTX_free. NULL if libcrypto failed.
 */
struct evp_pkey_ctx_st *jws_signer(struct evp_pkey_st *k, enum jwk_alg alg);

/*
 * Sign payload (a JSON text) with signer (jws_signer) of algorithm alg:
 * the compact form header.payload.signature, the header
 * {"alg","kid","typ":"JWT"}. ES256 signatures are r||s (RFC 7518 §3.4),
 * not DER. The result is in the arena. Returns 0, or -1 if libcrypto
 * failed.
 */
int	jws_sign(struct arena *, struct evp_pkey_ctx_st *signer,
	    enum jwk_alg alg, const char *kid, struct str payload,
	    struct str *out);

/* The same with the header's typ given (RFC 9068: "at+jwt"). */
int	jws_sign_typ(struct arena *, struct evp_pkey_ctx_st *signer,
	    enum jwk_alg alg, const char *kid, const char *typ,
	    struct str payload, struct str *out);

/*
 * Split a compact JWS and read its header: *alg and *kid (arena) from
 * it. Returns 0, or -1 when it is not three base64url parts with a JSON
 * header naming a known alg and a kid.
 */
int	jws_header(struct arena *, struct str token, enum jwk_alg *alg,
	    struct str *kid);

/* The same, and *typ (empty when the header has none) when typ is set. */
int	jws_header_typ(struct arena *, struct str token, enum jwk_alg *alg,
	    struct str *kid, struct str *typ);

/*
 * Check the signature of token with k (alg from jws_header) and parse
 * its payload. Returns the payload object (caller puts it), or NULL if
 * the signature is wrong or the payload is no JSON object.
 */
json_object *jws_verify(struct arena *, struct str token,
	    struct evp_pkey_st *k, enum jwk_alg alg);

#endif
