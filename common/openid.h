/* openid.h: pairwise openid and per-owner unionid */
#ifndef OPENID_H
#define OPENID_H

#include "str.h"

#define OPENID_LEN	32

/*
 * openid = first 16 bytes of HMAC-SHA256(key, "openid" 0 client_id 0
 * user_id) as 32 upper-case hex characters plus NUL in out. One user has
 * a different openid per client, stable as long as the key is.
 * Returns 0 or -1.
 */
int	openid_make(const unsigned char *key, size_t keylen,
	    struct str client_id, long user_id, char out[OPENID_LEN + 1]);

/* unionid: the same over (owner, user_id), shared by an owner's clients. */
int	openid_unionid(const unsigned char *key, size_t keylen,
	    struct str owner, long user_id, char out[OPENID_LEN + 1]);

#endif
