/* insert.c: ceiling responder: one INSERT of a token-sized row, the JSON */
#include <string.h>
#include <sys/random.h>

#include "ceiling.h"

/*
 * The row has the shape of an access token in the tokens table: a
 * SHA-256 digest as primary key, the client, the user, the scope and
 * an expiry.
 */
static void
params(unsigned long n, struct ceiling_params *p)
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		d[32] = { 0 };
	char			*s = p->buf[0];
	size_t			i;

	/* Without randomness the key repeats and the insert fails: a 500. */
	if (getrandom(d, sizeof(d), 0) != (ssize_t)sizeof(d))
		memcpy(d, &n, sizeof(n));
	*s++ = '\\';
	*s++ = 'x';
	for (i = 0; i < sizeof(d); i++) {
		*s++ = hex[d[i] >> 4];
		*s++ = hex[d[i] & 15];
	}
	*s = '\0';
	p->v[0] = p->buf[0];
	p->v[1] = "bench";
	p->v[2] = "1";
	p->v[3] = "get_user_info list_album";
}

static const struct ceiling	ins = {
	"insert",
	"INSERT INTO bench_tokens (token_hash, kind, client_id, user_id,"
	" scope, expires_at) VALUES ($1, 'a', $2, $3, $4,"
	" now() + interval '3600 seconds')",
	4, params, PGRES_COMMAND_OK
};

int
main(void)
{
	return ceiling_main(&ins);
}
