/* password.h: Argon2id password hashing in PHC string form */
#ifndef PASSWORD_H
#define PASSWORD_H

#include "str.h"

/* OWASP's minimum for Argon2id: m=19456 KiB, t=2, p=1. */
#define PW_M_KIB	19456
#define PW_T		2
#define PW_P		1
#define PW_SALT_LEN	16
#define PW_HASH_LEN	32	/* libgcrypt < 1.10.2 is wrong past 64 */

/*
 * Hash a password with a fresh salt into
 * "$argon2id$v=19$m=…,t=…,p=…$salt$hash" (unpadded base64), in the arena.
 * Returns NULL only if libgcrypt fails.
 */
char	*password_hash(struct arena *, struct str password);

/*
 * Parse a PHC string into its parameters. Returns 0, or -1 when the string
 * is not an argon2id v=19 hash within sane bounds.
 */
struct phc {
	unsigned long	m, t, p;
	unsigned char	salt[64];
	size_t		saltlen;
	unsigned char	hash[PW_HASH_LEN];
};
int	 password_parse(struct str phc, struct phc *out);

/*
 * Check a password against a PHC string in constant time.
 * Returns 1 on match, 0 on mismatch or malformed hash.
 */
int	 password_verify(struct str password, struct str phc);

#endif
