/* store_digest.c: the one stored form of a secret */
#include <string.h>

#include "crypto.h"
#include "store.h"

char *
store_digest(struct arena *a, struct str secret)
{
	unsigned char	d[SHA256_LEN];
	struct strbuf	b;

	crypto_sha256(secret.p, secret.n, d);
	strbuf_init(&b, a);
	strbuf_puts(&b, "\\x");
	strbuf_hex(&b, d, sizeof(d));
	explicit_bzero(d, sizeof(d));
	return b.p;
}
