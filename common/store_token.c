/* store_token.c: authorization codes, access and refresh tokens, families */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_util.h"

/*
 * A code starts its family: the families row is made here, on the
 * authorization path, so that the redemption only marks and inserts.
 */
static struct stmt code_insert = { "code_insert",
	"WITH s AS (SELECT coalesce((SELECT created_at FROM sessions"
	"   WHERE session_hash = $10::bytea), now()) AS at),"
	" f AS (INSERT INTO families (id, client_id, user_id, auth_time)"
	"   SELECT nextval('token_families'), $2, $3, s.at FROM s"
	"   RETURNING id, auth_time)"
	" INSERT INTO auth_codes (code_hash, family_id, client_id, user_id,"
	" redirect_uri, scope, code_challenge, challenge_method, expires_at,"
	" nonce, auth_time)"
	" SELECT $1, f.id, $2, $3, $4, $5, $6, $7,"
	" now() + $8::int * interval '1 second', $9, f.auth_time FROM f",
	10, 0 };

static struct stmt code_get = { "code_get",
	"SELECT family_id, client_id, user_id, redirect_uri IS NOT NULL,"
	" coalesce(redirect_uri, ''), scope, coalesce(code_challenge, ''),"
	" coalesce(challenge_method, ''), expires_at > now(),"
	" used_at IS NOT NULL FROM auth_codes WHERE code_hash = $1", 1, 0 };

/*
 * The id_token columns after (scope, refresh) of a row with user_id,
 * nonce, auth_time and alg: the active key of alg only when the scope
 * has openid (one probe of the unique index signing_keys_active).
 */
#define ID_INFO(t, scope) \
	" user_id, coalesce(nonce, '')," \
	" coalesce(extract(epoch FROM auth_time)::bigint, 0), alg," \
	" extract(epoch FROM now())::bigint," \
	" CASE WHEN 'openid' = ANY (string_to_array(" scope ", ' ')) THEN" \
	"   coalesce((SELECT kid FROM signing_keys WHERE signing_keys.alg =" \
	"   " t ".alg AND state = 'active'), '') ELSE '' END"

/*
 * The whole redemption in one statement: the client must have this
 * secret digest ($10; NULL for a public client) and the grant; the code
 * is marked used only if it is unused, live, this client's, sent with
 * the same redirect URI and the right PKCE verifier ($4 plain, $5 its
 * S256); then the access token and, if the client may refresh, the
 * refresh token are issued. Otherwise nothing happens and no row comes
 * back.
 */
static struct stmt code_redeem = { "code_redeem",
	"WITH c AS (UPDATE auth_codes SET used_at = now() FROM clients k"
	"   WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()"
	"   AND client_id = $2 AND k.id = $2"
	"   AND k.grants @> '{authorization_code}'"
	"   AND (k.secret_hash = $10::bytea"
	"     OR (k.secret_hash IS NULL AND $10::bytea IS NULL))"
	"   AND (redirect_uri IS NULL OR redirect_uri = $3::text)"
	"   AND ((code_challenge IS NULL AND $4::text IS NULL)"
	"     OR (challenge_method = 'plain' AND code_challenge = $4::text)"
	"     OR (challenge_method = 'S256' AND code_challenge = $5::text))"
	"   RETURNING family_id, client_id, user_id, scope,"
	"   'refresh_token' = ANY (k.grants) AND $7::bytea IS NOT NULL"
	"   AS refresh, nonce, auth_time, k.id_token_alg AS alg),"
	" a AS (INSERT INTO tokens (token_hash, kind, family_id, client_id,"
	"   user_id, scope, expires_at)"
	"   SELECT $6::bytea, 'a', family_id, client_id, user_id, scope,"
	"   now() + $8::int * interval '1 second' FROM c),"
	" r AS (INSERT INTO tokens (token_hash, kind, family_id, client_id,"
	"   user_id, scope, expires_at)"
	"   SELECT $7::bytea, 'r', family_id, client_id, user_id, scope,"
	"   now() + $9::int * interval '1 second' FROM c WHERE refresh)"
	" SELECT scope, refresh," ID_INFO("c", "scope") " FROM c", 10, 0 };

static struct stmt token_issue = { "token_issue",
	"WITH f AS (SELECT nextval('token_families') AS id),"
	" fam AS (INSERT INTO families (id, client_id, user_id)"
	"   SELECT f.id, $3::text, $4::bigint FROM f"
	"   WHERE $4::bigint IS NOT NULL),"
	" a AS (INSERT INTO tokens (token_hash, kind, family_id, client_id,"
	"   user_id, scope, expires_at)"
	"   SELECT $1::bytea, 'a', f.id, $3::text, $4::bigint, $7::text,"
	"   now() + $5::int * interval '1 second' FROM f RETURNING 1)"
	" INSERT INTO tokens (token_hash, kind, family_id, client_id, user_id,"
	"   scope, expires_at)"
	" SELECT $2::bytea, 'r', f.id, $3::text, $4::bigint, $8::text,"
	" now() + $6::int * interval '1 second' FROM f WHERE $2::bytea IS NOT NULL",
	8, 0 };

/*
 * A token row with its family's revocation; the variants join only what
 * the caller needs (each join is an index probe per request), and give
 * '' for the columns they leave out.
 */
#define TOKEN_COLS \
	"SELECT t.kind, t.family_id, t.client_id, coalesce(t.user_id, 0)," \
	" t.scope, t.expires_at > now()," \
	" t.revoked_at IS NOT NULL OR f.revoked_at IS NOT NULL, t.rotated," \
	" extract(epoch FROM t.expires_at)::bigint," \
	" extract(epoch FROM t.created_at)::bigint,"
#define TOKEN_USER_COLS \
	" coalesce(u.nickname, ''), coalesce(u.avatar, '')," \
	" coalesce(u.gender, ''), coalesce(u.username, '')"
#define TOKEN_FAMILY \
	" LEFT JOIN families f ON f.id = t.family_id"
#define TOKEN_SELECT \
	TOKEN_COLS " c.owner," TOKEN_USER_COLS \
	" FROM tokens t JOIN clients c ON c.id = t.client_id" \
	" LEFT JOIN users u ON u.id = t.user_id" TOKEN_FAMILY

static struct stmt token_get = { "token_get",
	TOKEN_SELECT " WHERE t.token_hash = $1", 1, 0 };

static struct stmt token_get_bare = { "token_get_bare",
	TOKEN_COLS " '', '', '', '', '' FROM tokens t" TOKEN_FAMILY
	" WHERE t.token_hash = $1", 1, 0 };

static struct stmt token_get_user = { "token_get_user",
	TOKEN_COLS " ''," TOKEN_USER_COLS " FROM tokens t"
	" LEFT JOIN users u ON u.id = t.user_id" TOKEN_FAMILY
	" WHERE t.token_hash = $1", 1, 0 };

/*
 * Only if the client $2 with the secret digest $3 may see the token: its
 * own, or, for a resource server, any access token carrying one of its
 * resource scopes (any scope when it lists none). Refresh tokens of
 * other clients stay hidden: a gateway that took one for an access token
 * would let it in. The user's name comes too.
 */
static struct stmt token_get_own = { "token_get_own",
	TOKEN_COLS " ''," TOKEN_USER_COLS ", k.resource_server FROM tokens t"
	" JOIN clients k ON k.id = $2 AND k.secret_hash = $3::bytea"
	" LEFT JOIN users u ON u.id = t.user_id" TOKEN_FAMILY
	" WHERE t.token_hash = $1 AND (t.client_id = $2"
	"   OR (k.resource_server AND t.kind = 'a'"
	"     AND (k.resource_scopes IS NULL"
	"       OR string_to_array(t.scope, ' ') && k.resource_scopes)))",
	3, 0 };

/*
 * A revocation's commit waits until the synchronous standbys have applied
 * it (a no-op without any): a replica named by pg_dsn_read never shows a
 * revoked token live. A pseudo-constant condition, so the planner runs it
 * once before anything else in the statement, whatever rows match.
 */
#define SYNC_APPLY \
	" (SELECT set_config('synchronous_commit', 'remote_apply', true))" \
	" IS NOT NULL"

/*
 * A refresh in one statement: the old token must be a live, unrevoked
 * refresh token of this client whose scope covers the requested one
 * ($5, NULL: the same); it is killed when rotating ($6), and the new
 * access token (narrower scope) and refresh token (same scope) are
 * issued in its family. No row back: nothing happened.
 */
#define REFRESH_OK \
	"   token_hash = $1 AND kind = 'r' AND tokens.revoked_at IS NULL" \
	"   AND expires_at > now() AND tokens.client_id = $2 AND k.id = $2" \
	"   AND k.grants @> '{refresh_token}' AND (k.secret_hash = $9::bytea" \
	"     OR (k.secret_hash IS NULL AND $9::bytea IS NULL))" \
	"   AND f.id = tokens.family_id AND f.revoked_at IS NULL" \
	"   AND ($5::text IS NULL OR string_to_array($5::text, ' ')" \
	"     <@ string_to_array(scope, ' '))"
#define REFRESH_ISSUE \
	" a AS (INSERT INTO tokens (token_hash, kind, family_id, client_id," \
	"   user_id, scope, expires_at)" \
	"   SELECT $3::bytea, 'a', family_id, $2, user_id," \
	"   coalesce($5::text, scope)," \
	"   now() + $7::int * interval '1 second' FROM ok)," \
	" r AS (INSERT INTO tokens (token_hash, kind, family_id, client_id," \
	"   user_id, scope, expires_at)" \
	"   SELECT $4::bytea, 'r', family_id, $2, user_id, scope," \
	"   now() + $8::int * interval '1 second' FROM ok" \
	"   WHERE $4::bytea IS NOT NULL)" \
	" SELECT coalesce($5::text, scope), $4::bytea IS NOT NULL," \
	ID_INFO("ok", "coalesce($5::text, scope)") " FROM ok"

/* With rotation ($6 true): the check is the update's own condition. */
static struct stmt refresh_rotate = { "refresh_rotate",
	"WITH ok AS (UPDATE tokens SET revoked_at = now(), rotated = true"
	"   FROM clients k, families f WHERE $6::boolean AND" SYNC_APPLY
	"   AND" REFRESH_OK
	"   RETURNING family_id, tokens.user_id, scope, NULL::text AS nonce,"
	"   f.auth_time, k.id_token_alg AS alg)," REFRESH_ISSUE, 9, 0 };

/* Without rotation ($6 false): the old refresh token stays. */
static struct stmt refresh_keep = { "refresh_keep",
	"WITH ok AS (SELECT family_id, tokens.user_id, scope, NULL::text AS nonce,"
	"   f.auth_time, k.id_token_alg AS alg FROM tokens, clients k, families f"
	"   WHERE NOT $6::boolean AND" REFRESH_OK ")," REFRESH_ISSUE, 9, 0 };

/*
 * client_credentials in one statement: a confidential client with this
 * secret digest and the grant, a requested scope ($3, NULL: all of the
 * client's) within its scopes; then the token, in a new family.
 */
static struct stmt cc_issue = { "cc_issue",
	"WITH k AS (SELECT scopes FROM clients WHERE id = $1"
	"   AND secret_hash = $2::bytea AND grants @> '{client_credentials}'"
	"   AND status <> 'suspended'"
	"   AND ($3::text IS NULL OR string_to_array($3::text, ' ') <@ scopes)),"
	" a AS (INSERT INTO tokens (token_hash, kind, family_id, client_id,"
	"   user_id, scope, expires_at)"
	"   SELECT $4::bytea, 'a', nextval('token_families'), $1, NULL,"
	"   coalesce($3::text, array_to_string(k.scopes, ' ')),"
	"   now() + $5::int * interval '1 second' FROM k RETURNING scope)"
	" SELECT scope, false FROM a", 5, 0 };

static struct stmt code_burn = { "code_burn",
	"UPDATE auth_codes SET used_at = now()"
	" WHERE code_hash = $1 AND used_at IS NULL", 1, 0 };

static struct stmt family_revoke = { "family_revoke",
	"UPDATE families SET revoked_at = now()"
	" WHERE id = $1 AND revoked_at IS NULL AND" SYNC_APPLY, 1, 0 };

/* RFC 7009 §2.1: a refresh token takes its family with it. */
static struct stmt token_revoke = { "token_revoke",
	"WITH t AS (SELECT kind, family_id FROM tokens"
	"   WHERE token_hash = $1 AND client_id = $2),"
	" u AS (UPDATE tokens SET revoked_at = now()"
	"   WHERE token_hash = $1 AND client_id = $2 AND revoked_at IS NULL)"
	" UPDATE families SET revoked_at = now() WHERE revoked_at IS NULL"
	" AND id IN (SELECT family_id FROM t WHERE kind = 'r') AND" SYNC_APPLY,
	2, 0 };

static struct stmt grant_revoke = { "grant_revoke",
	"WITH d AS (DELETE FROM consents WHERE user_id = $1 AND client_id = $2)"
	" UPDATE families SET revoked_at = now() WHERE user_id = $1"
	" AND client_id = $2 AND revoked_at IS NULL AND" SYNC_APPLY, 2, 0 };

static const char *
opt(struct arena *a, struct str s)
{
	return s.n ? str_dup(a, s) : NULL;
}

int
store_code_insert(struct db *db, const char *code_hash, struct str client_id,
    long user_id, struct str redirect_uri, struct str scope,
    struct str challenge, struct str method, long ttl, struct str nonce,
    const char *session_hash)
{
	struct arena	 a = { 0 };
	char		 uid[24], sttl[24];
	const char	*params[10];
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
	params[8] = opt(&a, nonce);
	params[9] = session_hash;
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

/*
 * Run a statement that issues an access token and returns a row (scope,
 * whether a refresh token was issued too, and with id the ID_INFO
 * columns) if it did: 0 with *scope, *refresh and *id set, 1 no row
 * (nothing happened).
 */
static int
issued(struct db *db, struct arena *a, struct stmt *s,
    const char *const *params, struct str *scope, int *refresh,
    struct id_info *id)
{
	PGresult	*res;
	int		 rc = 1;

	if ((res = db_exec(db, s, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		*scope = store_cell(a, res, 0, 0);
		*refresh = store_bool(res, 0, 1);
		if (id != NULL) {
			id->user_id = store_long(res, 0, 2);
			id->nonce = store_cell(a, res, 0, 3);
			id->auth_time = store_long(res, 0, 4);
			id->alg = store_cell(a, res, 0, 5);
			id->now = store_long(res, 0, 6);
			id->kid = store_cell(a, res, 0, 7);
		}
		rc = 0;
	}
	PQclear(res);
	return rc;
}

int
store_code_redeem(struct db *db, struct arena *a, const char *code_hash,
    const struct client_key *k, struct str redirect_uri, struct str verifier,
    struct str verifier_s256, const struct issue *is, struct str *scope,
    int *refresh, struct id_info *id)
{
	char		 at[24], rt[24];
	const char	*params[10];

	params[0] = code_hash;
	params[1] = str_dup(a, k->id);
	params[2] = opt(a, redirect_uri);
	params[3] = opt(a, verifier);
	params[4] = opt(a, verifier_s256);
	params[5] = is->access_hash;
	params[6] = is->refresh_hash;
	params[7] = store_num(at, sizeof(at), is->access_ttl);
	params[8] = store_num(rt, sizeof(rt), is->refresh_ttl);
	params[9] = k->secret_hash;
	return issued(db, a, &code_redeem, params, scope, refresh, id);
}

int
store_cc_issue(struct db *db, struct arena *a, const struct client_key *k,
    struct str want_scope, const struct issue *is, struct str *scope)
{
	char		 at[24];
	const char	*params[5];
	int		 refresh;

	params[0] = str_dup(a, k->id);
	params[1] = k->secret_hash;
	params[2] = opt(a, want_scope);
	params[3] = is->access_hash;
	params[4] = store_num(at, sizeof(at), is->access_ttl);
	return issued(db, a, &cc_issue, params, scope, &refresh, NULL);
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

static int
token_row(struct db *db, struct arena *a, struct stmt *s,
    const char *const *params, struct token_row *t)
{
	PGresult	*res;
	int		 rc = 1;

	if ((res = db_exec(db, s, params)) == NULL)
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
		t->username = store_cell(a, res, 0, 14);
		t->by_resource_server = PQnfields(res) > 15 &&
		    store_bool(res, 0, 15);
		rc = 0;
	}
	PQclear(res);
	return rc;
}

int
store_token_get(struct db *db, struct arena *a, const char *hash,
    unsigned with, struct token_row *t)
{
	const char	*params[1] = { hash };
	struct stmt	*s = &token_get;

	if ((with & TOKEN_OWNER) == 0)
		s = with & TOKEN_USER ? &token_get_user : &token_get_bare;
	return token_row(db, a, s, params, t);
}

int
store_token_get_own(struct db *db, struct arena *a, const char *hash,
    const struct client_key *k, struct token_row *t)
{
	const char	*params[3];

	if (k->secret_hash == NULL)
		return 1;
	params[0] = hash;
	params[1] = str_dup(a, k->id);
	params[2] = k->secret_hash;
	return token_row(db, a, &token_get_own, params, t);
}

int
store_refresh_rotate(struct db *db, struct arena *a, const char *old_hash,
    const struct client_key *k, struct str want_scope, int rotate,
    const struct issue *is, struct str *scope, struct id_info *id)
{
	char		 at[24], rt[24];
	const char	*params[9];
	int		 refresh;

	params[0] = old_hash;
	params[1] = str_dup(a, k->id);
	params[2] = is->access_hash;
	params[3] = rotate ? is->refresh_hash : NULL;
	params[4] = opt(a, want_scope);
	params[5] = rotate ? "true" : "false";
	params[6] = store_num(at, sizeof(at), is->access_ttl);
	params[7] = store_num(rt, sizeof(rt), is->refresh_ttl);
	params[8] = k->secret_hash;
	return issued(db, a, rotate ? &refresh_rotate : &refresh_keep, params,
	    scope, &refresh, id);
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
