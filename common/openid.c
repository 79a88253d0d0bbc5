/* openid.c: pairwise openid and per-owner unionid */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "openid.h"

static int
make(const unsigned char *key, size_t keylen, const char *label,
    struct str id, long user_id, char out[OPENID_LEN + 1])
{
	static const char	hex[] = "0123456789ABCDEF";
	unsigned char		msg[512], d[SHA256_LEN];
	size_t			n, ll = strlen(label);
	int			m, i;

	if (id.n > 256)
		return -1;
	memcpy(msg, label, ll);
	msg[ll] = 0;
	memcpy(msg + ll + 1, id.p, id.n);
	n = ll + 1 + id.n;
	msg[n++] = 0;
	m = snprintf((char *)msg + n, sizeof(msg) - n, "%ld", user_id);
	if (m < 0 || (size_t)m >= sizeof(msg) - n)
		return -1;
	if (crypto_hmac(key, keylen, msg, n + (size_t)m, d))
		return -1;
	for (i = 0; i < OPENID_LEN / 2; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[OPENID_LEN] = '\0';
	return 0;
}

int
openid_make(const unsigned char *key, size_t keylen, struct str client_id,
    long user_id, char out[OPENID_LEN + 1])
{
	return make(key, keylen, "openid", client_id, user_id, out);
}

int
openid_unionid(const unsigned char *key, size_t keylen, struct str owner,
    long user_id, char out[OPENID_LEN + 1])
{
	return make(key, keylen, "unionid", owner, user_id, out);
}
