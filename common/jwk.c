/* jwk.c: id_token signing keys with OpenSSL's libcrypto: make, wrap, publish */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "b64.h"
#include "crypto.h"
#include "jwk.h"

#define SEAL_IV		12	/* AES-GCM nonce (NIST SP 800-38D) */
#define SEAL_TAG	16
#define SEAL_MAX	4096	/* a DER RSA-2048 key is about 1.2 KiB */
#define SEAL_LABEL	"oauth2-fcgi id_token key seal"

static const char *const alg_names[] = { "RS256", "ES256" };

const char *
jwk_alg_name(enum jwk_alg alg)
{
	return alg_names[alg];
}

int
jwk_alg_parse(struct str name, enum jwk_alg *alg)
{
	if (str_eq_c(name, "RS256"))
		*alg = JWK_RS256;
	else if (str_eq_c(name, "ES256"))
		*alg = JWK_ES256;
	else
		return -1;
	return 0;
}

/* The sealing key: HMAC-SHA256(server secret, label). */
static int
seal_key(const unsigned char *secret, size_t secretlen,
    unsigned char key[SHA256_LEN])
{
	return crypto_hmac(secret, secretlen, SEAL_LABEL, strlen(SEAL_LABEL),
	    key);
}

/* Associated data: kid NUL alg, so a sealed key cannot change rows. */
static size_t
seal_aad(enum jwk_alg alg, const char *kid, unsigned char *aad, size_t cap)
{
	size_t	k = strlen(kid), n = strlen(alg_names[alg]);

	if (k + 1 + n > cap)
		return 0;
	memcpy(aad, kid, k);
	aad[k] = 0;
	memcpy(aad + k + 1, alg_names[alg], n);
	return k + 1 + n;
}

/* AES-256-GCM; enc 1 seals, 0 opens (checking the tag). -1 on failure. */
static int
gcm(int enc, const unsigned char key[SHA256_LEN],
    const unsigned char iv[SEAL_IV], const unsigned char *aad, size_t aadn,
    const unsigned char *in, size_t n, unsigned char *out,
    unsigned char tag[SEAL_TAG])
{
	EVP_CIPHER_CTX	*x = EVP_CIPHER_CTX_new();
	int		 len, rc = -1;

	if (x == NULL || n > SEAL_MAX)
		goto out;
	if (EVP_CipherInit_ex(x, EVP_aes_256_gcm(), NULL, key, iv, enc) != 1 ||
	    EVP_CipherUpdate(x, NULL, &len, aad, (int)aadn) != 1 ||
	    EVP_CipherUpdate(x, out, &len, in, (int)n) != 1)
		goto out;
	if (!enc && EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_TAG, SEAL_TAG,
	    tag) != 1)
		goto out;
	if (EVP_CipherFinal_ex(x, out + len, &len) != 1)
		goto out;
	if (enc && EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, SEAL_TAG,
	    tag) != 1)
		goto out;
	rc = 0;
out:
	EVP_CIPHER_CTX_free(x);
	return rc;
}

/* Append a bignum parameter of k as base64url (fixed width if pad). */
static int
put_bn(struct strbuf *b, const EVP_PKEY *k, const char *param, int pad)
{
	unsigned char	 buf[512];
	BIGNUM		*bn = NULL;
	int		 n, rc = -1;

	if (EVP_PKEY_get_bn_param(k, param, &bn) != 1)
		return -1;
	n = pad ? BN_bn2binpad(bn, buf, pad) : BN_bn2bin(bn, buf);
	if (n > 0 && n <= (int)sizeof(buf)) {
		b64url_encode(b, buf, (size_t)n);
		rc = 0;
	}
	BN_free(bn);
	return rc;
}

/*
 * The RFC 7638 members of the public key, in lexicographic order, as
 * "k":"v" pairs without braces: the thumbprint input and the body of
 * the published JWK.
 */
static int
members(struct strbuf *b, enum jwk_alg alg, const EVP_PKEY *k)
{
	if (alg == JWK_RS256) {
		strbuf_puts(b, "\"e\":\"");
		if (put_bn(b, k, OSSL_PKEY_PARAM_RSA_E, 0))
			return -1;
		strbuf_puts(b, "\",\"kty\":\"RSA\",\"n\":\"");
		if (put_bn(b, k, OSSL_PKEY_PARAM_RSA_N, 0))
			return -1;
		strbuf_putc(b, '"');
		return 0;
	}
	strbuf_puts(b, "\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"");
	if (put_bn(b, k, OSSL_PKEY_PARAM_EC_PUB_X, 32))
		return -1;
	strbuf_puts(b, "\",\"y\":\"");
	if (put_bn(b, k, OSSL_PKEY_PARAM_EC_PUB_Y, 32))
		return -1;
	strbuf_putc(b, '"');
	return 0;
}

static EVP_PKEY *
generate(enum jwk_alg alg)
{
	if (alg == JWK_RS256)
		return EVP_RSA_gen(2048);
	return EVP_EC_gen("P-256");
}

int
jwk_generate(enum jwk_alg alg, const unsigned char *secret, size_t secretlen,
    struct arena *a, struct jwk_new *out)
{
	unsigned char	 key[SHA256_LEN], d[SHA256_LEN], aad[128];
	unsigned char	 sealed[SEAL_IV + SEAL_MAX + SEAL_TAG];
	unsigned char	*der = NULL;
	struct strbuf	 m, b, kid;
	EVP_PKEY	*k;
	size_t		 aadn;
	int		 dern = 0, rc = -1;

	if ((k = generate(alg)) == NULL)
		return -1;
	strbuf_init(&m, a);
	if (members(&m, alg, k))
		goto out;
	/* RFC 7638: the thumbprint of {members} is the kid. */
	strbuf_init(&b, a);
	strbuf_putc(&b, '{');
	strbuf_append(&b, m.p, m.n);
	strbuf_putc(&b, '}');
	crypto_sha256(b.p, b.n, d);
	strbuf_init(&kid, a);
	b64url_encode(&kid, d, sizeof(d));
	memcpy(out->kid, kid.p, kid.n + 1);
	strbuf_reset(&b);
	strbuf_appendf(&b, "{\"alg\":\"%s\",", alg_names[alg]);
	strbuf_append(&b, m.p, m.n);
	strbuf_appendf(&b, ",\"kid\":\"%s\",\"use\":\"sig\"}", out->kid);
	out->public_jwk = b.p;

	if ((dern = i2d_PrivateKey(k, &der)) <= 0 || dern > SEAL_MAX)
		goto out;
	aadn = seal_aad(alg, out->kid, aad, sizeof(aad));
	crypto_random(sealed, SEAL_IV);
	if (aadn == 0 || seal_key(secret, secretlen, key) ||
	    gcm(1, key, sealed, aad, aadn, der, (size_t)dern,
	    sealed + SEAL_IV, sealed + SEAL_IV + dern))
		goto out;
	strbuf_init(&b, a);
	strbuf_puts(&b, "\\x");
	strbuf_hex(&b, sealed, SEAL_IV + (size_t)dern + SEAL_TAG);
	out->private_enc = b.p;
	rc = 0;
out:
	explicit_bzero(key, sizeof(key));
	explicit_bzero(sealed, sizeof(sealed));
	if (der != NULL) {
		explicit_bzero(der, dern > 0 ? (size_t)dern : 0);
		OPENSSL_free(der);
	}
	EVP_PKEY_free(k);
	return rc;
}

EVP_PKEY *
jwk_unseal(enum jwk_alg alg, const char *kid, const unsigned char *sealed,
    size_t n, const unsigned char *secret, size_t secretlen)
{
	unsigned char		 key[SHA256_LEN], aad[128], der[SEAL_MAX];
	unsigned char		 tag[SEAL_TAG];
	const unsigned char	*p = der;
	EVP_PKEY		*k = NULL;
	size_t			 aadn, dern;

	if (n <= SEAL_IV + SEAL_TAG || n > SEAL_IV + SEAL_MAX + SEAL_TAG)
		return NULL;
	dern = n - SEAL_IV - SEAL_TAG;
	memcpy(tag, sealed + n - SEAL_TAG, SEAL_TAG);
	aadn = seal_aad(alg, kid, aad, sizeof(aad));
	if (aadn == 0 || seal_key(secret, secretlen, key) ||
	    gcm(0, key, sealed, aad, aadn, sealed + SEAL_IV, dern, der, tag))
		goto out;
	k = d2i_PrivateKey(alg == JWK_RS256 ? EVP_PKEY_RSA : EVP_PKEY_EC, NULL,
	    &p, (long)dern);
out:
	explicit_bzero(key, sizeof(key));
	explicit_bzero(der, sizeof(der));
	return k;
}
