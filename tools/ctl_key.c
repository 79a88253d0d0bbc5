/* ctl_key.c: oauthctl key list | rotate | retire: the id_token signing keys */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "jwk.h"

/* Make a key of alg and make it the one that signs. 0, or 1. */
static int
key_add(struct ctl *c, enum jwk_alg alg, int rotate)
{
	struct jwk_new	 k;
	const char	*params[4];

	if (jwk_generate(alg, c->cfg.key, c->cfg.keylen, &c->a, &k))
		return ctl_fail("cannot make a %s key (libcrypto)",
		    jwk_alg_name(alg));
	params[0] = k.kid;
	params[1] = jwk_alg_name(alg);
	params[2] = k.public_jwk;
	params[3] = k.private_enc;
	/* One transaction: the old key stops signing as the new one starts. */
	if (ctl_do(c, "BEGIN", 0, NULL) ||
	    (rotate && ctl_do(c, "UPDATE signing_keys SET state = 'rotated',"
	    " rotated_at = now() WHERE alg = $1 AND state = 'active'", 1,
	    params + 1)) ||
	    ctl_do(c, "INSERT INTO signing_keys (kid, alg, public_jwk,"
	    " private_enc) VALUES ($1, $2, $3, $4::bytea)", 4, params) ||
	    ctl_do(c, "COMMIT", 0, NULL))
		return 1;
	printf("kid=%s alg=%s\n", k.kid, jwk_alg_name(alg));
	return 0;
}

int
ctl_key_ensure(struct ctl *c)
{
	enum jwk_alg	 alg;
	const char	*params[1];
	PGresult	*res;
	int		 have;

	for (alg = JWK_RS256; alg <= JWK_ES256; alg++) {
		params[0] = jwk_alg_name(alg);
		res = ctl_sql(c, "SELECT 1 FROM signing_keys WHERE alg = $1"
		    " AND state = 'active'", 1, params);
		if (res == NULL)
			return 1;
		have = PQntuples(res) > 0;
		PQclear(res);
		if (!have && key_add(c, alg, 0))
			return 1;
	}
	return 0;
}

int
ctl_key_expire(struct ctl *c)
{
	char		 ttl[24];
	const char	*params[1] = { ttl };

	/*
	 * An id_token lives access_token_ttl (common/idtoken.c), a JWT
	 * access token jwt_access_token_ttl (common/jwt_access.c).
	 */
	snprintf(ttl, sizeof(ttl), "%ld", c->cfg.access_token_ttl >
	    c->cfg.jwt_access_token_ttl ? c->cfg.access_token_ttl :
	    c->cfg.jwt_access_token_ttl);
	return ctl_print_rows(c, "retired: ", "UPDATE signing_keys SET"
	    " state = 'retired', retired_at = now() WHERE state = 'rotated'"
	    " AND rotated_at < now() - $1::int * interval '1 second'"
	    " RETURNING kid", 1, params);
}

static int
key_list(struct ctl *c)
{
	return ctl_print_rows(c, "", "SELECT kid, alg, state, created_at,"
	    " coalesce(rotated_at::text, '-') FROM signing_keys"
	    " WHERE state <> 'retired' ORDER BY alg, created_at DESC", 0, NULL);
}

static int
key_retire(struct ctl *c, const char *kid)
{
	const char	*params[1] = { kid };
	PGresult	*res;
	int		 rc = 0;

	/* The key that signs now stays: rotate first. */
	res = ctl_sql(c, "UPDATE signing_keys SET state = 'retired',"
	    " retired_at = now() WHERE kid = $1 AND state = 'rotated'", 1,
	    params);
	if (res == NULL)
		return 1;
	if (strcmp(PQcmdTuples(res), "0") == 0)
		rc = ctl_fail("no rotated key %s (the active key of an "
		    "algorithm is retired by rotating it first)", kid);
	PQclear(res);
	return rc;
}

int
ctl_key(struct ctl *c, int argc, char **argv)
{
	enum jwk_alg	alg;

	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return key_list(c);
	if (argc == 3 && strcmp(argv[1], "retire") == 0)
		return key_retire(c, argv[2]);
	if (argc >= 2 && argc <= 3 && strcmp(argv[1], "rotate") == 0) {
		if (argc == 3) {
			if (jwk_alg_parse(str_c(argv[2]), &alg))
				return ctl_fail("key rotate [RS256|ES256]");
			return key_add(c, alg, 1);
		}
		for (alg = JWK_RS256; alg <= JWK_ES256; alg++)
			if (key_add(c, alg, 1))
				return 1;
		return 0;
	}
	return ctl_fail("usage: key list | rotate [RS256|ES256] | retire KID");
}
