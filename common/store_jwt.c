/* store_jwt.c: queries of JWT access tokens and the worker's client cache */
#include "store_jwt.h"
#include "store_util.h"

/* The statements, prepared per connection under their names. */
enum { JQ_CLIENT_ROW, JQ_ACTIVE_KIDS, JQ_DEAD, JQ_REVOKE, JQ__N };

static struct stmt jq[JQ__N] = {
	[JQ_CLIENT_ROW] = { "jwt_client_row",
	    "SELECT coalesce('\\x' || encode(secret_hash, 'hex'), ''),"
	    " array_to_string(grants, ' '), array_to_string(scopes, ' '),"
	    " status = 'suspended', access_token_format = 'jwt',"
	    " access_token_alg FROM clients WHERE id = $1", 1, 0 },
	[JQ_ACTIVE_KIDS] = { "jwt_active_kids",
	    "SELECT alg, kid FROM signing_keys WHERE state = 'active'", 0, 0 },
	/* A jti revoked, or its client gone or suspended. */
	[JQ_DEAD] = { "jwt_dead",
	    "SELECT EXISTS (SELECT 1 FROM jwt_revocations WHERE jti = $1)"
	    " OR NOT EXISTS (SELECT 1 FROM clients WHERE id = $2"
	    "   AND status <> 'suspended')", 2, 0 },
	/*
	 * Like every revocation, the commit waits for synchronous standbys
	 * to apply it (store_token.c's SYNC_APPLY).
	 */
	[JQ_REVOKE] = { "jwt_revoke",
	    "INSERT INTO jwt_revocations (jti, client_id, expires_at)"
	    " SELECT $1, $2, to_timestamp($3::bigint)"
	    " WHERE (SELECT set_config('synchronous_commit', 'remote_apply',"
	    " true)) IS NOT NULL ON CONFLICT DO NOTHING", 3, 0 },
};

int
store_jwt_client_row(struct db *db, struct arena *a, struct str id,
    struct client_row *r)
{
	const char	*params[1];
	PGresult	*res;
	int		 rc = 1;

	if (id.n == 0 || id.n > 128)
		return 1;
	params[0] = str_dup(a, id);
	if ((res = db_exec(db, &jq[JQ_CLIENT_ROW], params)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		r->secret_hash = store_cell(a, res, 0, 0);
		r->grants = store_cell(a, res, 0, 1);
		r->scopes = store_cell(a, res, 0, 2);
		r->suspended = store_bool(res, 0, 3);
		r->jwt = store_bool(res, 0, 4);
		r->alg = store_cell(a, res, 0, 5);
		rc = 0;
	}
	PQclear(res);
	return rc;
}

int
store_jwt_active_kids(struct db *db, struct arena *a, struct str *es256,
    struct str *rs256)
{
	PGresult	*res;
	struct str	 alg;
	int		 i;

	*es256 = *rs256 = STR_NULL;
	if ((res = db_exec(db, &jq[JQ_ACTIVE_KIDS], NULL)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(res); i++) {
		alg = store_cell(a, res, i, 0);
		if (str_eq_c(alg, "ES256"))
			*es256 = store_cell(a, res, i, 1);
		else
			*rs256 = store_cell(a, res, i, 1);
	}
	PQclear(res);
	return 0;
}

int
store_jwt_dead(struct db *db, struct arena *a, struct str jti,
    struct str client_id)
{
	const char	*params[2];

	params[0] = str_dup(a, jti);
	params[1] = str_dup(a, client_id);
	return store_yes(db, &jq[JQ_DEAD], params);
}

int
store_jwt_revoke(struct db *db, struct arena *a, struct str jti,
    struct str client_id, long exp)
{
	const char	*params[3];
	char		 e[24];

	params[0] = str_dup(a, jti);
	params[1] = str_dup(a, client_id);
	params[2] = store_num(e, sizeof(e), exp);
	return store_run(db, &jq[JQ_REVOKE], params);
}
