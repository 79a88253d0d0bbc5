/* jwt.c: compact JWS (RFC 7515), signed and checked with libcrypto */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "b64.h"
#include "crypto.h"
#include "jwt.h"

#define JWS_MAX		8192	/* longest token we look at */
#define ES256_HALF	32

/* DER ECDSA-Sig-Value to r||s, 32 bytes each. -1 on failure. */
static int
der_to_raw(const unsigned char *der, size_t n, unsigned char raw[64])
{
	const unsigned char	*p = der;
	const BIGNUM		*r, *s;
	ECDSA_SIG		*sig;
	int			 rc = -1;

	if ((sig = d2i_ECDSA_SIG(NULL, &p, (long)n)) == NULL)
		return -1;
	ECDSA_SIG_get0(sig, &r, &s);
	if (BN_bn2binpad(r, raw, ES256_HALF) == ES256_HALF &&
	    BN_bn2binpad(s, raw + ES256_HALF, ES256_HALF) == ES256_HALF)
		rc = 0;
	ECDSA_SIG_free(sig);
	return rc;
}

/* r||s to DER for EVP_DigestVerify. Returns the length, or -1. */
static int
raw_to_der(const unsigned char raw[64], unsigned char *der, size_t cap)
{
	ECDSA_SIG	*sig = ECDSA_SIG_new();
	BIGNUM		*r = BN_bin2bn(raw, ES256_HALF, NULL);
	BIGNUM		*s = BN_bin2bn(raw + ES256_HALF, ES256_HALF, NULL);
	unsigned char	*p = der;
	int		 n = -1;

	if (sig == NULL || r == NULL || s == NULL ||
	    ECDSA_SIG_set0(sig, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		goto out;
	}
	if (i2d_ECDSA_SIG(sig, NULL) <= (int)cap)
		n = i2d_ECDSA_SIG(sig, &p);
out:
	ECDSA_SIG_free(sig);
	return n;
}

EVP_PKEY_CTX *
jws_signer(EVP_PKEY *k, enum jwk_alg alg)
{
	EVP_PKEY_CTX	*x;

	if ((x = EVP_PKEY_CTX_new(k, NULL)) == NULL)
		return NULL;
	if (EVP_PKEY_sign_init(x) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(x, EVP_sha256()) != 1 ||
	    (alg == JWK_RS256 &&
	    EVP_PKEY_CTX_set_rsa_padding(x, RSA_PKCS1_PADDING) != 1)) {
		EVP_PKEY_CTX_free(x);
		return NULL;
	}
	return x;
}

int
jws_sign(struct arena *a, EVP_PKEY_CTX *signer, enum jwk_alg alg,
    const char *kid, struct str payload, struct str *out)
{
	return jws_sign_typ(a, signer, alg, kid, "JWT", payload, out);
}

int
jws_sign_typ(struct arena *a, EVP_PKEY_CTX *signer, enum jwk_alg alg,
    const char *kid, const char *typ, struct str payload, struct str *out)
{
	unsigned char	 sig[512], raw[2 * ES256_HALF], d[SHA256_LEN];
	struct strbuf	 b, h;
	size_t		 n = sizeof(sig);

	strbuf_init(&h, a);
	strbuf_appendf(&h, "{\"alg\":\"%s\",\"kid\":\"%s\",\"typ\":\"%s\"}",
	    jwk_alg_name(alg), kid, typ);
	strbuf_init(&b, a);
	b64url_encode(&b, (const unsigned char *)h.p, h.n);
	strbuf_putc(&b, '.');
	b64url_encode(&b, (const unsigned char *)payload.p, payload.n);
	/* The context is kept per key: sign the digest, not the message. */
	crypto_sha256(b.p, b.n, d);
	if (EVP_PKEY_sign(signer, sig, &n, d, sizeof(d)) != 1)
		return -1;
	strbuf_putc(&b, '.');
	if (alg == JWK_ES256) {
		if (der_to_raw(sig, n, raw))
			return -1;
		b64url_encode(&b, raw, sizeof(raw));
	} else
		b64url_encode(&b, sig, n);
	*out = strbuf_str(&b);
	return 0;
}

/* The three parts of a compact JWS. -1 unless exactly two dots. */
static int
split(struct str t, struct str part[3])
{
	size_t	i, k = 0, start = 0;

	if (t.n == 0 || t.n > JWS_MAX)
		return -1;
	for (i = 0; i <= t.n; i++) {
		if (i < t.n && t.p[i] != '.')
			continue;
		if (k == 3)
			return -1;
		part[k++] = (struct str){ t.p + start, i - start };
		start = i + 1;
	}
	return k == 3 && part[0].n && part[1].n && part[2].n ? 0 : -1;
}

/* Decode a base64url part and parse it as a JSON object, or NULL. */
static json_object *
json_part(struct arena *a, struct str part)
{
	unsigned char	*buf = arena_alloc(a, part.n + 1);
	json_object	*o;
	long		 n;

	if ((n = b64url_decode(part, buf, part.n)) <= 0)
		return NULL;
	buf[n] = '\0';
	if (memchr(buf, '\0', (size_t)n) != NULL)
		return NULL;
	o = json_tokener_parse((const char *)buf);
	if (o != NULL && !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int
jws_header(struct arena *a, struct str token, enum jwk_alg *alg,
    struct str *kid)
{
	return jws_header_typ(a, token, alg, kid, NULL);
}

/* A string member of h into the arena; -1 if absent or not a string. */
static int
member(struct arena *a, json_object *h, const char *name, struct str *v)
{
	json_object	*x;

	if (!json_object_object_get_ex(h, name, &x) ||
	    !json_object_is_type(x, json_type_string))
		return -1;
	*v = str_c(arena_strndup(a, json_object_get_string(x),
	    (size_t)json_object_get_string_len(x)));
	return 0;
}

int
jws_header_typ(struct arena *a, struct str token, enum jwk_alg *alg,
    struct str *kid, struct str *typ)
{
	struct str	 part[3];
	struct str	 name;
	json_object	*h;
	int		 rc = -1;

	if (split(token, part) || (h = json_part(a, part[0])) == NULL)
		return -1;
	/* RFC 7515 §4.1.11: no extension we would have to understand. */
	if (json_object_object_get_ex(h, "crit", NULL))
		goto out;
	if (member(a, h, "alg", &name) || jwk_alg_parse(name, alg) ||
	    member(a, h, "kid", kid))
		goto out;
	if (typ != NULL && member(a, h, "typ", typ))
		*typ = STR_NULL;
	rc = 0;
out:
	json_object_put(h);
	return rc;
}

json_object *
jws_verify(struct arena *a, struct str token, EVP_PKEY *k, enum jwk_alg alg)
{
	unsigned char	*sig, der[128];
	struct str	 part[3];
	EVP_MD_CTX	*m;
	long		 n;
	int		 dn, ok = 0;

	if (split(token, part))
		return NULL;
	sig = arena_alloc(a, part[2].n);
	if ((n = b64url_decode(part[2], sig, part[2].n)) <= 0)
		return NULL;
	if (alg == JWK_ES256) {
		if (n != 2 * ES256_HALF ||
		    (dn = raw_to_der(sig, der, sizeof(der))) <= 0)
			return NULL;
		sig = der;
		n = dn;
	}
	if ((m = EVP_MD_CTX_new()) == NULL)
		return NULL;
	/* Signed: header.payload, as received. */
	ok = EVP_DigestVerifyInit(m, NULL, EVP_sha256(), NULL, k) == 1 &&
	    EVP_DigestVerify(m, sig, (size_t)n, (const unsigned char *)token.p,
	    part[0].n + 1 + part[1].n) == 1;
	EVP_MD_CTX_free(m);
	return ok ? json_part(a, part[1]) : NULL;
}
