/* store_token.c: authorization codes, access and refresh tokens, families */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_util.h"

static struct stmt code_insert = { "code_insert",
	"INSERT INTO auth_codes (code_hash, client_id, user_id, redirect_uri,"
	" scope, code_challenge, challenge_method, expires_at)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7,"
	" now() + $8::int * interval '1 second')", 8, 0 };

static struct stmt code_get = { "code_get",
	"SELECT family_id, client_id, user_id, redirect_uri IS NOT NULL,"
	" coalesce(redirect_uri, ''), scope, coalesce(code_challenge, ''),"
	" coalesce(challenge_method, ''), expires_at > now(),"
	" used_at IS NOT NULL FROM auth_codes WHERE code_hash = $1", 1, 0 };

/* Mark the code used and issue both tokens, or nothing, atomically. */
static struct stmt code_redeem = { "code_redeem",
	"WITH c AS (UPDATE auth_codes SET used_at = now()"
	"   WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()"
	"   RETURNING family_id, client_id, user_id),"
	" a AS (INSERT INTO tokens (token_hash, kind, family_id, client_id,"
	"   user_id, scope, expires_at)"
	"   SELECT $2::bytea, 'a', family_id, client_id, user_id, $6::text,"
	"   now() + $4::int * interval '1 second' FROM c RETURNING 1),"
	" r AS (INSERT INTO tokens (token_hash, kind, family_id, client_id,"
	"   user_id, scope, expires_at)"
	"   SELECT $3::bytea, 'r', family_id, client_id, user_id, $7::text,"
	"   now() + $5::int * interval '1 second' FROM c WHERE $3::bytea IS NOT NULL"
	"   RETURNING 1)"
	" SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM r)", 7, 0 };

static struct stmt token_issue = { "token_issue",
	"WITH f AS (SELECT nextval('token_families') AS id),"
	" a AS (INSERT INTO tokens (token_hash, kind, family_id, client_id,"
	"   user_id, scope, expires_at)"
	"   SELECT $1::bytea, 'a', f.id, $3::text, $4::bigint, $7::text,"
	"   now() + $5::int * interval '1 second' FROM f RETURNING 1)"
	" INSERT INTO tokens (token_hash, kind, family_id, client_id, user_id,"
	"   scope, expires_at)"
	" SELECT $2::bytea, 'r', f.id, $3::text, $4::bigint, $8::text,"
	" now() + $6::int * interval '1 second' FROM f WHERE $2::bytea IS NOT NULL",
	8, 0 };

static struct stmt token_get = { "token_get",
	"SELECT t.kind, t.family_id, t.client_id, coalesce(t.user_id, 0),"
	" t.scope, t.expires_at > now(), t.revoked_at IS NOT NULL, t.rotated,"
	" extract(epoch FROM t.expires_at)::bigint,"
	" extract(epoch FROM t.created_at)::bigint, c.owner,"
	" coalesce(u.nickname, ''), coalesce(u.avatar, ''),"
	" coalesce(u.gender, '')"
	" FROM tokens t JOIN clients c ON c.id = t.client_id"
	" LEFT JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
	1, 0 };

/* Kill the old refresh token and issue its successors atomically. */
static struct stmt refresh_rotate = { "refresh_rotate",
	"WITH o AS (UPDATE tokens SET revoked_at = now(), rotated = true"
	"   WHERE token_hash = $1 AND kind = 'r' AND revoked_at IS NULL"
	"   AND expires_at > now() AND $9::boolean RETURNING 1),"
	" k AS (SELECT 1 FROM tokens WHERE token_hash = $1 AND kind = 'r'"
	"   AND revoked_at IS NULL AND expires_at > now()"
	"   AND NOT $9::boolean),"
	" ok AS (SELECT 1 FROM o UNION ALL SELECT 1 FROM k),"
	" a AS (INSERT INTO tokens (token_hash, kind, family_id, client_id,"
	"   user_id, scope, expires_at)"
	"   SELECT $2::bytea, 'a', $4::bigint, $5::text, $6::bigint, $10::text,"
	"   now() + $7::int * interval '1 second' FROM ok RETURNING 1),"
	" r AS (INSERT INTO tokens (token_hash, kind, family_id, client_id,"
	"   user_id, scope, expires_at)"
	"   SELECT $3::bytea, 'r', $4::bigint, $5::text, $6::bigint, $11::text,"
	"   now() + $8::int * interval '1 second' FROM ok"
	"   WHERE $3::bytea IS NOT NULL RETURNING 1)"
	" SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM r)", 11, 0 };

static struct stmt code_burn = { "code_burn",
	"UPDATE auth_codes SET used_at = now()"
	" WHERE code_hash = $1 AND used_at IS NULL", 1, 0 };

static struct stmt family_revoke = { "family_revoke",
	"UPDATE tokens SET revoked_at = now()"
	" WHERE family_id = $1 AND revoked_at IS NULL", 1, 0 };

static struct stmt token_revoke = { "token_revoke",
	"WITH t AS (SELECT kind, family_id FROM tokens"
	"   WHERE token_hash = $1 AND client_id = $2)"
	" UPDATE tokens SET revoked_at = now() WHERE revoked_at IS NULL AND"
	" (token_hash = $1 AND client_id = $2 OR family_id IN"
	"   (SELECT family_id FROM t WHERE kind = 'r'))", 2, 0 };

static struct stmt grant_revoke = { "grant_revoke",
	"WITH d AS (DELETE FROM consents WHERE user_id = $1 AND client_id = $2)"
	" UPDATE tokens SET revoked_at = now() WHERE user_id = $1"
	" AND client_id = $2 AND revoked_at IS NULL", 2, 0 };

static const char *
opt(struct arena *a, struct str s)
{
	return s.n ? str_dup(a, s) : NULL;
}

int
store_code_insert(struct db *db, const char *code_hash, struct str client_id,
    long user_id, struct str redirect_uri, struct str scope,
    struct str challenge, struct str method, long ttl)
{
	struct arena	 a = { 0 };
	char		 uid[24], sttl[24];
	const char	*params[8];
	int		 rc;

	snprintf(uid, sizeof(uid), "%ld", user_id);
	snprintf(sttl, sizeof(sttl), "%ld", ttl);
	params[0] = code_hash;
	params[1] = str_dup(&a, client_id);
	params[2] = uid;
	params[3] = opt(&a, redirect_uri);
	params[4] = str_dup(&a, scope);
	params[5] = opt(&a, challenge);
	params[6] = opt(&a, method);
	params[7] = sttl;
	rc = store_run(db, &code_insert, params);
	arena_free(&a);
	return rc;
}

int
store_code_get(struct db *db, struct arena *a, const char *code_hash,
    struct code_row *c)
{
	const char	*params[1] = { code_hash };
	PGresult	*res;
	int		 rc = 1;

	if ((res = db_exec(db, &code_get, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		c->family_id = store_long(res, 0, 0);
		c->client_id = store_cell(a, res, 0, 1);
		c->user_id = store_long(res, 0, 2);
		c->had_redirect_uri = store_bool(res, 0, 3);
		c->redirect_uri = store_cell(a, res, 0, 4);
		c->scope = store_cell(a, res, 0, 5);
		c->challenge = store_cell(a, res, 0, 6);
		c->method = store_cell(a, res, 0, 7);
		c->live = store_bool(res, 0, 8);
		c->used = store_bool(res, 0, 9);
		rc = 0;
	}
	PQclear(res);
	return rc;
}

/* Run a statement whose one row is (access count, refresh count). */
static int
issued(struct db *db, struct stmt *s, const char *const *params)
{
	PGresult	*res;
	int		 rc;

	if ((res = db_exec(db, s, params)) == NULL)
		return -1;
	rc = PQntuples(res) == 1 && store_long(res, 0, 0) == 1 ? 0 : 1;
	PQclear(res);
	return rc;
}

int
store_code_redeem(struct db *db, const char *code_hash,
    const struct issue *is)
{
	struct arena	 a = { 0 };
	char		 at[24], rt[24];
	const char	*params[7];
	int		 rc;

	snprintf(at, sizeof(at), "%ld", is->access_ttl);
	snprintf(rt, sizeof(rt), "%ld", is->refresh_ttl);
	params[0] = code_hash;
	params[1] = is->access_hash;
	params[2] = is->refresh_hash;
	params[3] = at;
	params[4] = rt;
	params[5] = str_dup(&a, is->scope);
	params[6] = str_dup(&a, is->refresh_scope);
	rc = issued(db, &code_redeem, params);
	arena_free(&a);
	return rc;
}

int
store_token_issue(struct db *db, struct str client_id, long user_id,
    const struct issue *is)
{
	struct arena	 a = { 0 };
	char		 uid[24], at[24], rt[24];
	const char	*params[8];
	int		 rc;

	snprintf(uid, sizeof(uid), "%ld", user_id);
	snprintf(at, sizeof(at), "%ld", is->access_ttl);
	snprintf(rt, sizeof(rt), "%ld", is->refresh_ttl);
	params[0] = is->access_hash;
	params[1] = is->refresh_hash;
	params[2] = str_dup(&a, client_id);
	params[3] = user_id > 0 ? uid : NULL;
	params[4] = at;
	params[5] = rt;
	params[6] = str_dup(&a, is->scope);
	params[7] = str_dup(&a, is->refresh_scope);
	rc = store_run(db, &token_issue, params);
	arena_free(&a);
	return rc;
}

int
store_token_get(struct db *db, struct arena *a, const char *hash,
    struct token_row *t)
{
	const char	*params[1] = { hash };
	PGresult	*res;
	int		 rc = 1;

	if ((res = db_exec(db, &token_get, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		t->kind = PQgetvalue(res, 0, 0)[0];
		t->family_id = store_long(res, 0, 1);
		t->client_id = store_cell(a, res, 0, 2);
		t->user_id = store_long(res, 0, 3);
		t->scope = store_cell(a, res, 0, 4);
		t->live = store_bool(res, 0, 5);
		t->revoked = store_bool(res, 0, 6);
		t->rotated = store_bool(res, 0, 7);
		t->exp = store_long(res, 0, 8);
		t->iat = store_long(res, 0, 9);
		t->owner = store_cell(a, res, 0, 10);
		t->nickname = store_cell(a, res, 0, 11);
		t->avatar = store_cell(a, res, 0, 12);
		t->gender = store_cell(a, res, 0, 13);
		rc = 0;
	}
	PQclear(res);
	return rc;
}

int
store_refresh_rotate(struct db *db, const char *old_hash, int rotate,
    long family_id, struct str client_id, long user_id,
    const struct issue *is)
{
	struct arena	 a = { 0 };
	char		 fam[24], uid[24], at[24], rt[24];
	const char	*params[11];
	int		 rc;

	snprintf(fam, sizeof(fam), "%ld", family_id);
	snprintf(uid, sizeof(uid), "%ld", user_id);
	snprintf(at, sizeof(at), "%ld", is->access_ttl);
	snprintf(rt, sizeof(rt), "%ld", is->refresh_ttl);
	params[0] = old_hash;
	params[1] = is->access_hash;
	params[2] = rotate ? is->refresh_hash : NULL;
	params[3] = fam;
	params[4] = str_dup(&a, client_id);
	params[5] = user_id > 0 ? uid : NULL;
	params[6] = at;
	params[7] = rt;
	params[8] = rotate ? "true" : "false";
	params[9] = str_dup(&a, is->scope);
	params[10] = str_dup(&a, is->refresh_scope);
	rc = issued(db, &refresh_rotate, params);
	arena_free(&a);
	return rc;
}

int
store_code_burn(struct db *db, const char *code_hash)
{
	const char	*params[1] = { code_hash };

	return store_run(db, &code_burn, params);
}

int
store_family_revoke(struct db *db, long family_id)
{
	char		 fam[24];
	const char	*params[1] = { fam };

	snprintf(fam, sizeof(fam), "%ld", family_id);
	return store_run(db, &family_revoke, params);
}

int
store_token_revoke(struct db *db, const char *hash, struct str client_id)
{
	struct arena	 a = { 0 };
	const char	*params[2];
	int		 rc;

	params[0] = hash;
	params[1] = str_dup(&a, client_id);
	rc = store_run(db, &token_revoke, params);
	arena_free(&a);
	return rc;
}

int
store_grant_revoke(struct db *db, long user_id, struct str client_id)
{
	struct arena	 a = { 0 };
	char		 uid[24];
	const char	*params[2];
	int		 rc;

	snprintf(uid, sizeof(uid), "%ld", user_id);
	params[0] = uid;
	params[1] = str_dup(&a, client_id);
	rc = store_run(db, &grant_revoke, params);
	arena_free(&a);
	return rc;
}
