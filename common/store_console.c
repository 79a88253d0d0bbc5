/* store_console.c: the statements of the installer and the consoles */
#include <stdlib.h>

#include "store_console.h"
#include "store_user.h"
#include "store_util.h"

#define CLIENT_CONSOLE_COLS \
	"c.id, c.name, c.website, c.status, coalesce(o.username, '')," \
	" c.secret_hash IS NULL, array_to_string(c.grants, ' ')," \
	" array_to_string(c.scopes, ' ')," \
	" coalesce((SELECT string_agg(uri, E'\\n' ORDER BY uri)" \
	"   FROM client_redirect_uris WHERE client_id = c.id), '')," \
	" c.description, c.icon, c.icp," \
	" to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"

/* One statement: its CQ_ name (prepared as "cq_NAME"), parameters, SQL. */
#define CQ(id, nparams, sql) \
	[CQ_##id] = { "cq_" #id, sql, nparams, 0 }

static struct stmt stmts[CQ__N] = {
	CQ(SESSION, 1,
	    "SELECT " USER_COLS ", u.is_admin,"
	    " extract(epoch FROM now() - s.auth_at)::bigint"
	    " FROM sessions s JOIN users u ON u.id = s.user_id"
	    " WHERE s.session_hash = $1 AND s.expires_at > now()"
	    " AND NOT u.disabled"),
	CQ(REAUTHED, 1,
	    "UPDATE sessions SET auth_at = now() WHERE session_hash = $1"),
	CQ(AUDIT_ADD, 5,
	    "INSERT INTO audit_log (actor, action, target, detail, address)"
	    " VALUES ($1, $2, $3, $4, $5)"),
	CQ(AUDIT_LIST, 0,
	    "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),"
	    " actor, action, target, detail, address FROM audit_log"
	    " ORDER BY id DESC LIMIT 200"),
	CQ(ADMIN_EXISTS, 0,
	    "SELECT EXISTS (SELECT 1 FROM users WHERE is_admin)"),
	CQ(SETUP_LOCK, 0,
	    "SELECT pg_advisory_xact_lock(7316160)"),
	CQ(SETUP_ADMIN, 2,
	    "INSERT INTO users (username, password_hash, nickname, is_admin)"
	    " SELECT $1, $2, $1, true"
	    " WHERE NOT EXISTS (SELECT 1 FROM users WHERE is_admin)"),
	CQ(SCOPE_SEED, 3,
	    "INSERT INTO scopes (name, description, description_en)"
	    " VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING"),
	CQ(SCOPE_LIST, 0,
	    "SELECT name, description, description_en FROM scopes"
	    " ORDER BY name"),
	CQ(CLIENT_LIST, 0,
	    "SELECT " CLIENT_CONSOLE_COLS " FROM clients c"
	    " LEFT JOIN users o ON o.id = c.owner_user_id"
	    " ORDER BY c.status <> 'review', c.created_at DESC, c.id"
	    " LIMIT 500"),
	CQ(CLIENT_ONE, 2,
	    "SELECT " CLIENT_CONSOLE_COLS " FROM clients c"
	    " LEFT JOIN users o ON o.id = c.owner_user_id"
	    " WHERE c.id = $1 AND ($2::bigint IS NULL OR"
	    " c.owner_user_id = $2::bigint)"),
	CQ(CLIENT_ADD, 12,
	    "INSERT INTO clients (id, name, secret_hash, website, grants,"
	    " scopes, owner_user_id, status, description, icon, icp, owner)"
	    " VALUES ($1, $2, $3::bytea, $4, string_to_array($5, ','),"
	    " ARRAY(SELECT name FROM scopes WHERE $6::text IS NULL OR"
	    " name = ANY (string_to_array($6, ',')) ORDER BY name),"
	    " $7::bigint, $8, $9, $10, $11, $12)"),
	CQ(CLIENT_EDIT, 5,
	    "UPDATE clients SET name = $2, website = $3,"
	    " grants = string_to_array($4, ','),"
	    " scopes = ARRAY(SELECT name FROM scopes WHERE"
	    " name = ANY (string_to_array($5, ',')) ORDER BY name)"
	    " WHERE id = $1"),
	CQ(CLIENT_APP_EDIT, 7,
	    "UPDATE clients SET name = $3, website = $4, description = $5,"
	    " icon = $6, icp = $7"
	    " WHERE id = $1 AND owner_user_id = $2::bigint"),
	CQ(CLIENT_URIS_CLEAR, 1,
	    "DELETE FROM client_redirect_uris WHERE client_id = $1"),
	CQ(CLIENT_URIS_ADD, 2,
	    "INSERT INTO client_redirect_uris (client_id, uri)"
	    " SELECT $1, u FROM unnest(string_to_array($2, E'\\n')) u"
	    " WHERE u <> '' ON CONFLICT DO NOTHING"),
	CQ(CLIENT_SECRET, 3,
	    "UPDATE clients SET secret_hash = $2::bytea WHERE id = $1"
	    " AND secret_hash IS NOT NULL AND ($3::bigint IS NULL OR"
	    " owner_user_id = $3::bigint)"),
	CQ(CLIENT_DELETE, 2,
	    "DELETE FROM clients WHERE id = $1 AND ($2::bigint IS NULL OR"
	    " owner_user_id = $2::bigint)"),
	CQ(CLIENT_STATUS, 2,
	    "UPDATE clients SET status = $2 WHERE id = $1"),
	CQ(CLIENT_REVOKE_ALL, 1,
	    "UPDATE families SET revoked_at = now() WHERE client_id = $1"
	    " AND revoked_at IS NULL"),
	CQ(CLIENT_REVOKE_CC, 1,
	    "DELETE FROM tokens WHERE client_id = $1 AND user_id IS NULL"),
	CQ(APP_LIST, 1,
	    "SELECT " CLIENT_CONSOLE_COLS " FROM clients c"
	    " LEFT JOIN users o ON o.id = c.owner_user_id"
	    " WHERE c.owner_user_id = $1::bigint ORDER BY c.created_at, c.id"),
	CQ(APP_COUNT, 1,
	    "SELECT count(*) FROM clients WHERE owner_user_id = $1::bigint"),
	CQ(USER_LIST, 0,
	    "SELECT username, nickname, is_admin, disabled,"
	    " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"
	    " FROM users ORDER BY id LIMIT 500"),
	CQ(USER_ADD, 2,
	    "INSERT INTO users (username, password_hash, nickname)"
	    " VALUES ($1, $2, $1) ON CONFLICT (username) DO NOTHING"),
	CQ(USER_PASSWORD, 2,
	    "UPDATE users SET password_hash = $2 WHERE username = $1"),
	CQ(USER_DISABLE, 3,
	    "UPDATE users SET disabled = $2::boolean WHERE username = $1"
	    " AND id <> $3::bigint"),
	CQ(USER_SESSIONS_END, 1,
	    "DELETE FROM sessions WHERE user_id ="
	    " (SELECT id FROM users WHERE username = $1)"),
	CQ(USER_REVOKE_ALL, 1,
	    "UPDATE families SET revoked_at = now() WHERE user_id ="
	    " (SELECT id FROM users WHERE username = $1)"
	    " AND revoked_at IS NULL"),
	CQ(USER_DELETE, 2,
	    "DELETE FROM users WHERE username = $1 AND id <> $2::bigint"),
	CQ(SCOPE_SET, 3,
	    "INSERT INTO scopes (name, description, description_en)"
	    " VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET"
	    " description = EXCLUDED.description,"
	    " description_en = EXCLUDED.description_en"),
};

PGresult *
store_console_q(struct ctx *c, enum cq q, const char *const *params)
{
	return db_exec(&c->db, &stmts[q], params);
}

long
store_console_do(struct ctx *c, enum cq q, const char *const *params)
{
	PGresult	*res;
	long		 n = 0;

	if ((res = store_console_q(c, q, params)) == NULL)
		return -1;
	n = strtol(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return n;
}
