/* pkce.c: RFC 7636 code challenge checks */
#include "arena.h"
#include "b64.h"
#include "crypto.h"
#include "pkce.h"

int
pkce_method_parse(struct str m, enum pkce_method *out)
{
	if (str_eq_c(m, "S256"))
		*out = PKCE_S256;
	else if (str_eq_c(m, "plain"))
		*out = PKCE_PLAIN;
	else
		return -1;
	return 0;
}

int
pkce_well_formed(struct str v)
{
	size_t	i;
	char	c;

	if (v.n < 43 || v.n > 128)
		return 0;
	for (i = 0; i < v.n; i++) {
		c = v.p[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~'))
			return 0;
	}
	return 1;
}

struct str
pkce_s256(struct arena *a, struct str verifier)
{
	unsigned char	d[SHA256_LEN];
	struct strbuf	b;

	crypto_sha256(verifier.p, verifier.n, d);
	strbuf_init(&b, a);
	b64url_encode(&b, d, sizeof(d));
	return strbuf_str(&b);
}

int
pkce_verify(enum pkce_method m, struct str challenge, struct str verifier)
{
	struct arena	a = { 0 };
	int		ok;

	if (!pkce_well_formed(verifier))
		return 0;
	if (m == PKCE_PLAIN)
		return str_eq_ct(challenge, verifier);
	if (m != PKCE_S256)
		return 0;
	ok = str_eq_ct(challenge, pkce_s256(&a, verifier));
	arena_free(&a);
	return ok;
}
