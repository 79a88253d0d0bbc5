/* crypto.c: libgcrypt wrappers: strong random, SHA-256, HMAC-SHA256 */
#include <gcrypt.h>
#include <string.h>

#include "b64.h"
#include "crypto.h"

int
crypto_init(void)
{
	if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P))
		return 0;
	/*
	 * The system RNG type draws from getrandom(2) for every request
	 * instead of libgcrypt's user-space DRBG: as strong, and a tenth of
	 * the CPU per token. It must be chosen before the version check.
	 */
	gcry_control(GCRYCTL_SET_PREFERRED_RNG_TYPE, GCRY_RNG_TYPE_SYSTEM);
	if (gcry_check_version(GCRYPT_VERSION) == NULL)
		return -1;
	gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	return 0;
}

void
crypto_random(void *p, size_t n)
{
	gcry_randomize(p, n, GCRY_STRONG_RANDOM);
}

void
crypto_sha256(const void *p, size_t n, unsigned char out[SHA256_LEN])
{
	gcry_md_hash_buffer(GCRY_MD_SHA256, out, p, n);
}

int
crypto_hmac(const unsigned char *key, size_t keylen, const void *msg,
    size_t n, unsigned char out[SHA256_LEN])
{
	/*
	 * In practice the server key is the only key: keep one handle with
	 * the last key set, so a request pays for the hash, not for opening
	 * and keying a MAC.
	 */
	static gcry_mac_hd_t	h;
	static unsigned char	hkey[1024];
	static size_t		hkeylen;
	size_t			len = SHA256_LEN;

	if (keylen > sizeof(hkey))
		return -1;
	if (h == NULL || keylen != hkeylen || memcmp(key, hkey, keylen)) {
		if (h != NULL)
			gcry_mac_close(h);
		h = NULL;
		if (gcry_mac_open(&h, GCRY_MAC_HMAC_SHA256, 0, NULL))
			return -1;
		if (gcry_mac_setkey(h, key, keylen)) {
			gcry_mac_close(h);
			h = NULL;
			return -1;
		}
		memcpy(hkey, key, keylen);
		hkeylen = keylen;
	} else if (gcry_mac_reset(h))
		return -1;
	if (gcry_mac_write(h, msg, n) || gcry_mac_read(h, out, &len) ||
	    len != SHA256_LEN)
		return -1;
	return 0;
}

struct str
crypto_token(struct arena *a)
{
	unsigned char	raw[TOKEN_BYTES];
	struct strbuf	b;

	crypto_random(raw, sizeof(raw));
	strbuf_init(&b, a);
	b64url_encode(&b, raw, sizeof(raw));
	explicit_bzero(raw, sizeof(raw));
	return strbuf_str(&b);
}
