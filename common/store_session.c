/* store_session.c: login sessions and authentication-failure counters */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_user.h"
#include "store_util.h"

static struct stmt session_create = { "session_create",
	"INSERT INTO sessions (session_hash, user_id, expires_at)"
	" VALUES ($1, $2, now() + $3::int * interval '1 second')", 3, 0 };

static struct stmt session_user = { "session_user",
	"SELECT " USER_COLS " FROM sessions s JOIN users u ON u.id = s.user_id"
	" WHERE s.session_hash = $1 AND s.expires_at > now()", 1, 0 };

static struct stmt session_delete = { "session_delete",
	"DELETE FROM sessions WHERE session_hash = $1", 1, 0 };

static struct stmt session_delete_others = { "session_delete_others",
	"DELETE FROM sessions WHERE user_id = $1"
	" AND session_hash IS DISTINCT FROM $2::bytea", 2, 0 };

static struct stmt failures_count = { "failures_count",
	"SELECT count(*) FILTER (WHERE key = $1),"
	" count(*) FILTER (WHERE key = $2) FROM auth_failures"
	" WHERE key IN ($1, $2)"
	" AND at > now() - $3::int * interval '1 second'", 3, 0 };

static struct stmt failure_add = { "failure_add",
	"INSERT INTO auth_failures (key) SELECT k FROM"
	" (VALUES ($1::text), ($2::text)) v (k) WHERE k IS NOT NULL", 2, 0 };

static struct stmt failures_clear = { "failures_clear",
	"DELETE FROM auth_failures WHERE key = $1", 1, 0 };

int
store_session_create(struct db *db, const char *hash, long user_id, long ttl)
{
	char		 uid[24], sttl[24];
	const char	*params[3] = { hash, uid, sttl };

	snprintf(uid, sizeof(uid), "%ld", user_id);
	snprintf(sttl, sizeof(sttl), "%ld", ttl);
	return store_run(db, &session_create, params);
}

int
store_session_user(struct db *db, struct arena *a, const char *hash,
    struct user *u)
{
	return store_user_load(db, a, &session_user, hash, u);
}

int
store_session_delete(struct db *db, const char *hash)
{
	const char	*params[1] = { hash };

	return store_run(db, &session_delete, params);
}

int
store_session_delete_others(struct db *db, long user_id,
    const char *keep_hash)
{
	char		 uid[24];
	const char	*params[2] = { uid, keep_hash };

	snprintf(uid, sizeof(uid), "%ld", user_id);
	return store_run(db, &session_delete_others, params);
}

int
store_failures_count(struct db *db, const char *key1, const char *key2,
    long window, long *n1, long *n2)
{
	char		 w[24];
	const char	*params[3] = { key1, key2 ? key2 : key1,
	    store_num(w, sizeof(w), window) };
	PGresult	*res;

	if ((res = db_exec(db, &failures_count, params)) == NULL)
		return -1;
	*n1 = store_long(res, 0, 0);
	if (n2 != NULL)
		*n2 = store_long(res, 0, 1);
	PQclear(res);
	return 0;
}

int
store_failure_add(struct db *db, const char *key1, const char *key2)
{
	const char	*params[2] = { key1, key2 };

	return store_run(db, &failure_add, params);
}

int
store_failures_clear(struct db *db, const char *key)
{
	const char	*params[1] = { key };

	return store_run(db, &failures_clear, params);
}
