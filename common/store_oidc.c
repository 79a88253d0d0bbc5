/* store_oidc.c: OpenID Connect queries: signing keys, userinfo, logout URIs */
#include <string.h>

#include "store_oidc.h"
#include "store_util.h"

static struct stmt key_get = { "key_get",
	"SELECT alg, private_enc, state <> 'retired' FROM signing_keys"
	" WHERE kid = $1", 1, 0 };

/* public_jwk is our own JSON text: the document is built in SQL. */
static struct stmt jwks = { "jwks",
	"SELECT '{\"keys\":[' || coalesce(string_agg(public_jwk, ','"
	"   ORDER BY created_at DESC), '') || ']}'"
	" FROM signing_keys WHERE state <> 'retired'", 0, 0 };

static struct stmt oidc_user = { "oidc_user",
	"SELECT username, nickname, avatar, gender, email, email_verified,"
	" extract(epoch FROM updated_at)::bigint FROM users WHERE id = $1",
	1, 0 };

static struct stmt post_logout_ok = { "post_logout_ok",
	"SELECT EXISTS (SELECT 1 FROM client_post_logout_uris"
	" WHERE client_id = $1 AND uri = $2)", 2, 0 };

int
store_key_get(struct db *db, struct arena *a, struct str kid, struct str *alg,
    unsigned char **sealed, size_t *n, int *live)
{
	const char	*params[1];
	unsigned char	*raw;
	PGresult	*res;
	int		 rc = 1;

	if (kid.n == 0 || kid.n > 64)
		return 1;
	params[0] = str_dup(a, kid);
	if ((res = db_exec(db, &key_get, params)) == NULL)
		return -1;
	if (PQntuples(res) != 1)
		goto out;
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 1), n);
	if (raw == NULL)
		goto out;
	*sealed = arena_alloc(a, *n + 1);
	memcpy(*sealed, raw, *n);
	explicit_bzero(raw, *n);
	PQfreemem(raw);
	*alg = store_cell(a, res, 0, 0);
	*live = store_bool(res, 0, 2);
	rc = 0;
out:
	PQclear(res);
	return rc;
}

int
store_jwks(struct db *db, struct arena *a, struct str *out)
{
	PGresult	*res;

	if ((res = db_exec(db, &jwks, NULL)) == NULL)
		return -1;
	*out = store_cell(a, res, 0, 0);
	PQclear(res);
	return 0;
}

int
store_oidc_user(struct db *db, struct arena *a, long user_id,
    struct oidc_user *u)
{
	char		 uid[24];
	const char	*params[1] = { store_num(uid, sizeof(uid), user_id) };
	PGresult	*res;
	int		 rc = 1;

	if ((res = db_exec(db, &oidc_user, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		u->username = store_cell(a, res, 0, 0);
		u->nickname = store_cell(a, res, 0, 1);
		u->avatar = store_cell(a, res, 0, 2);
		u->gender = store_cell(a, res, 0, 3);
		u->email = store_cell(a, res, 0, 4);
		u->email_verified = store_bool(res, 0, 5);
		u->updated_at = store_long(res, 0, 6);
		rc = 0;
	}
	PQclear(res);
	return rc;
}

int
store_post_logout_ok(struct db *db, struct arena *a, struct str client_id,
    struct str uri)
{
	const char	*params[2];

	if (client_id.n == 0 || client_id.n > 128 || uri.n > 4096)
		return 0;
	params[0] = str_dup(a, client_id);
	params[1] = str_dup(a, uri);
	return store_yes(db, &post_logout_ok, params);
}
