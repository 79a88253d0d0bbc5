/* crypto.h: libgcrypt wrappers: strong random, SHA-256, HMAC-SHA256 */
#ifndef CRYPTO_H
#define CRYPTO_H

#include "str.h"

#define SHA256_LEN	32
#define TOKEN_BYTES	32	/* 256 bits of strong randomness per token */

/* Initialise libgcrypt once per process. Returns 0 or -1. */
int	crypto_init(void);

/* Fill p with n bytes from libgcrypt's GCRY_STRONG_RANDOM pool. */
void	crypto_random(void *p, size_t n);

/* out = SHA-256(p). */
void	crypto_sha256(const void *p, size_t n, unsigned char out[SHA256_LEN]);

/*
 * out = HMAC-SHA256(key, msg), key at most 1 KiB. The keyed handle of the
 * last key is kept for the process. Returns 0 or -1.
 */
int	crypto_hmac(const unsigned char *key, size_t keylen, const void *msg,
	    size_t n, unsigned char out[SHA256_LEN]);

/*
 * A fresh random token: TOKEN_BYTES from the strong RNG, base64url
 * without padding (43 characters), in the arena.
 */
struct str crypto_token(struct arena *);

#endif
