/* store_console.c: the statements of the installer and the consoles */
#include <stdlib.h>

#include "console.h"
#include "store_util.h"

#define CLIENT_CONSOLE_COLS \
	"c.id, c.name, c.website, c.status, coalesce(o.username, '')," \
	" c.secret_hash IS NULL, array_to_string(c.grants, ' ')," \
	" array_to_string(c.scopes, ' ')," \
	" coalesce((SELECT string_agg(uri, E'\\n' ORDER BY uri)" \
	"   FROM client_redirect_uris WHERE client_id = c.id), '')," \
	" c.description, c.icon, c.icp," \
	" to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"

static struct stmt stmts[CQ__N] = {
	[CQ_SESSION] = { "cq_session",
	    "SELECT " USER_COLS ", u.is_admin,"
	    " extract(epoch FROM now() - s.auth_at)::bigint"
	    " FROM sessions s JOIN users u ON u.id = s.user_id"
	    " WHERE s.session_hash = $1 AND s.expires_at > now()"
	    " AND NOT u.disabled", 1, 0 },
	[CQ_REAUTHED] = { "cq_reauthed",
	    "UPDATE sessions SET auth_at = now() WHERE session_hash = $1",
	    1, 0 },
	[CQ_AUDIT_ADD] = { "cq_audit_add",
	    "INSERT INTO audit_log (actor, action, target, detail, address)"
	    " VALUES ($1, $2, $3, $4, $5)", 5, 0 },
	[CQ_AUDIT_LIST] = { "cq_audit_list",
	    "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),"
	    " actor, action, target, detail, address FROM audit_log"
	    " ORDER BY id DESC LIMIT 200", 0, 0 },
	[CQ_ADMIN_EXISTS] = { "cq_admin_exists",
	    "SELECT EXISTS (SELECT 1 FROM users WHERE is_admin)", 0, 0 },
	[CQ_SETUP_LOCK] = { "cq_setup_lock",
	    "SELECT pg_advisory_xact_lock(7316160)", 0, 0 },
	[CQ_SETUP_ADMIN] = { "cq_setup_admin",
	    "INSERT INTO users (username, password_hash, nickname, is_admin)"
	    " SELECT $1, $2, $1, true"
	    " WHERE NOT EXISTS (SELECT 1 FROM users WHERE is_admin)", 2, 0 },
	[CQ_SCOPE_SEED] = { "cq_scope_seed",
	    "INSERT INTO scopes (name, description, description_en)"
	    " VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING", 3, 0 },
	[CQ_SCOPE_LIST] = { "cq_scope_list",
	    "SELECT name, description, description_en FROM scopes"
	    " ORDER BY name", 0, 0 },
	[CQ_CLIENT_LIST] = { "cq_client_list",
	    "SELECT " CLIENT_CONSOLE_COLS " FROM clients c"
	    " LEFT JOIN users o ON o.id = c.owner_user_id"
	    " ORDER BY c.status <> 'review', c.created_at DESC, c.id"
	    " LIMIT 500", 0, 0 },
	[CQ_CLIENT_ONE] = { "cq_client_one",
	    "SELECT " CLIENT_CONSOLE_COLS " FROM clients c"
	    " LEFT JOIN users o ON o.id = c.owner_user_id"
	    " WHERE c.id = $1 AND ($2::bigint IS NULL OR"
	    " c.owner_user_id = $2::bigint)", 2, 0 },
	[CQ_CLIENT_ADD] = { "cq_client_add",
	    "INSERT INTO clients (id, name, secret_hash, website, grants,"
	    " scopes, owner_user_id, status, description, icon, icp, owner)"
	    " VALUES ($1, $2, $3::bytea, $4, string_to_array($5, ','),"
	    " ARRAY(SELECT name FROM scopes WHERE $6::text IS NULL OR"
	    " name = ANY (string_to_array($6, ',')) ORDER BY name),"
	    " $7::bigint, $8, $9, $10, $11, $12)", 12, 0 },
	[CQ_CLIENT_EDIT] = { "cq_client_edit",
	    "UPDATE clients SET name = $2, website = $3,"
	    " grants = string_to_array($4, ','),"
	    " scopes = ARRAY(SELECT name FROM scopes WHERE"
	    " name = ANY (string_to_array($5, ',')) ORDER BY name)"
	    " WHERE id = $1", 5, 0 },
	[CQ_CLIENT_APP_EDIT] = { "cq_client_app_edit",
	    "UPDATE clients SET name = $3, website = $4, description = $5,"
	    " icon = $6, icp = $7 WHERE id = $1 AND owner_user_id = $2::bigint",
	    7, 0 },
	[CQ_CLIENT_URIS_CLEAR] = { "cq_client_uris_clear",
	    "DELETE FROM client_redirect_uris WHERE client_id = $1", 1, 0 },
	[CQ_CLIENT_URIS_ADD] = { "cq_client_uris_add",
	    "INSERT INTO client_redirect_uris (client_id, uri)"
	    " SELECT $1, u FROM unnest(string_to_array($2, E'\\n')) u"
	    " WHERE u <> '' ON CONFLICT DO NOTHING", 2, 0 },
	[CQ_CLIENT_SECRET] = { "cq_client_secret",
	    "UPDATE clients SET secret_hash = $2::bytea WHERE id = $1"
	    " AND secret_hash IS NOT NULL AND ($3::bigint IS NULL OR"
	    " owner_user_id = $3::bigint)", 3, 0 },
	[CQ_CLIENT_DELETE] = { "cq_client_delete",
	    "DELETE FROM clients WHERE id = $1 AND ($2::bigint IS NULL OR"
	    " owner_user_id = $2::bigint)", 2, 0 },
	[CQ_CLIENT_STATUS] = { "cq_client_status",
	    "UPDATE clients SET status = $2 WHERE id = $1", 2, 0 },
	[CQ_CLIENT_REVOKE_ALL] = { "cq_client_revoke_all",
	    "UPDATE families SET revoked_at = now() WHERE client_id = $1"
	    " AND revoked_at IS NULL", 1, 0 },
	[CQ_CLIENT_REVOKE_CC] = { "cq_client_revoke_cc",
	    "DELETE FROM tokens WHERE client_id = $1 AND user_id IS NULL",
	    1, 0 },
	[CQ_APP_LIST] = { "cq_app_list",
	    "SELECT " CLIENT_CONSOLE_COLS " FROM clients c"
	    " LEFT JOIN users o ON o.id = c.owner_user_id"
	    " WHERE c.owner_user_id = $1::bigint ORDER BY c.created_at, c.id",
	    1, 0 },
	[CQ_APP_COUNT] = { "cq_app_count",
	    "SELECT count(*) FROM clients WHERE owner_user_id = $1::bigint",
	    1, 0 },
	[CQ_USER_LIST] = { "cq_user_list",
	    "SELECT username, nickname, is_admin, disabled,"
	    " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"
	    " FROM users ORDER BY id LIMIT 500", 0, 0 },
	[CQ_USER_ADD] = { "cq_user_add",
	    "INSERT INTO users (username, password_hash, nickname)"
	    " VALUES ($1, $2, $1) ON CONFLICT (username) DO NOTHING", 2, 0 },
	[CQ_USER_PASSWORD] = { "cq_user_password",
	    "UPDATE users SET password_hash = $2 WHERE username = $1", 2, 0 },
	[CQ_USER_DISABLE] = { "cq_user_disable",
	    "UPDATE users SET disabled = $2::boolean WHERE username = $1"
	    " AND id <> $3::bigint", 3, 0 },
	[CQ_USER_SESSIONS_END] = { "cq_user_sessions_end",
	    "DELETE FROM sessions WHERE user_id ="
	    " (SELECT id FROM users WHERE username = $1)", 1, 0 },
	[CQ_USER_REVOKE_ALL] = { "cq_user_revoke_all",
	    "UPDATE families SET revoked_at = now() WHERE user_id ="
	    " (SELECT id FROM users WHERE username = $1)"
	    " AND revoked_at IS NULL", 1, 0 },
	[CQ_USER_DELETE] = { "cq_user_delete",
	    "DELETE FROM users WHERE username = $1 AND id <> $2::bigint",
	    2, 0 },
	[CQ_SCOPE_SET] = { "cq_scope_set",
	    "INSERT INTO scopes (name, description, description_en)"
	    " VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET"
	    " description = EXCLUDED.description,"
	    " description_en = EXCLUDED.description_en", 3, 0 },
};

PGresult *
console_q(struct ctx *c, enum cq q, const char *const *params)
{
	return db_exec(&c->db, &stmts[q], params);
}

long
console_do(struct ctx *c, enum cq q, const char *const *params)
{
	PGresult	*res;
	long		 n = 0;

	if ((res = console_q(c, q, params)) == NULL)
		return -1;
	n = strtol(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return n;
}
