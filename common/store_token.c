/* store_token.c: access and refresh tokens, their families, revocation */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_token.h"
#include "store_util.h"

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
	" JOIN clients k ON k.id = $2 AND" CLIENT_KEY_OK("k", "3")
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
 * issued in its family. No row back: nothing happened, and
 * token_grant.c's slow path finds out why, in this order:
 *
 *   SQL condition                       C that explains it
 *                                       (error, QQ code)
 *   k.id = $2, CLIENT_KEY_OK(k, $9)     client_authenticate()
 *                                       (invalid_client)
 *   k.grants @> '{refresh_token}'       token_grant_allowed()
 *                                       (unauthorized_client 100031)
 *   token_hash = $1, kind = 'r',        refresh_failure()
 *   tokens.client_id = $2               (invalid_grant 100036)
 *   tokens.revoked_at IS NULL,          refresh_failure(): revoked and
 *   f.revoked_at IS NULL                not rotated (invalid_grant 100036)
 *   expires_at > now()                  refresh_failure()
 *                                       (invalid_grant 100037)
 *   $5 within scope                     refresh_failure()
 *                                       (invalid_scope 100030)
 *   (a rotated token came back, or      refresh_failure(): replayed()
 *   another use won the race)           (invalid_grant 100036)
 *
 * The token's length (over 256) and the form of scope are checked in C
 * before either path (grant_refresh()).
 */
#define REFRESH_OK \
	"   token_hash = $1 AND kind = 'r' AND tokens.revoked_at IS NULL" \
	"   AND expires_at > now() AND tokens.client_id = $2 AND k.id = $2" \
	"   AND k.grants @> '{refresh_token}' AND" CLIENT_KEY_OK("k", "9") \
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
 * client's) within its scopes; then the token, in a new family. No row
 * back: the slow path (grant_client_credentials()) explains it:
 *
 *   SQL condition                       C that explains it
 *                                       (error, QQ code)
 *   id = $1, CLIENT_KEY_OK($2), a       client_authenticate()
 *   secret sent (store_cc_issue)        (invalid_client)
 *   grants @> '{client_credentials}'    token_grant_allowed()
 *                                       (unauthorized_client 100031)
 *   $3 within scopes                    requested_scope()
 *                                       (invalid_scope 100030)
 *   status <> 'suspended'               grant_client_credentials(): the
 *                                       same statement, after the checks
 *                                       (unauthorized_client 100031)
 */
static struct stmt cc_issue = { "cc_issue",
	"WITH k AS (SELECT scopes FROM clients WHERE id = $1"
	"   AND" CLIENT_KEY_OK("clients", "2")
	"   AND grants @> '{client_credentials}'"
	"   AND status <> 'suspended'"
	"   AND ($3::text IS NULL OR string_to_array($3::text, ' ') <@ scopes)),"
	" a AS (INSERT INTO tokens (token_hash, kind, family_id, client_id,"
	"   user_id, scope, expires_at)"
	"   SELECT $4::bytea, 'a', nextval('token_families'), $1, NULL,"
	"   coalesce($3::text, array_to_string(k.scopes, ' ')),"
	"   now() + $5::int * interval '1 second' FROM k RETURNING scope)"
	" SELECT scope, false FROM a", 5, 0 };

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

int
store_token_issued(struct db *db, struct arena *a, struct stmt *s,
    const char *const *params, int with_id, struct token_issued *out)
{
	PGresult	*res;
	int		 rc = 1;

	if ((res = db_exec(db, s, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		out->scope = store_cell(a, res, 0, 0);
		out->refresh = store_bool(res, 0, 1);
		if (with_id) {
			out->id.user_id = store_long(res, 0, 2);
			out->id.nonce = store_cell(a, res, 0, 3);
			out->id.auth_time = store_long(res, 0, 4);
			out->id.alg = store_cell(a, res, 0, 5);
			out->id.now = store_long(res, 0, 6);
			out->id.kid = store_cell(a, res, 0, 7);
		}
		rc = 0;
	}
	PQclear(res);
	return rc;
}

int
store_cc_issue(struct db *db, struct arena *a, const struct client_key *k,
    struct str want_scope, const struct token_digests *d,
    struct token_issued *out)
{
	char		 at[24];
	const char	*params[5];

	if (k->secret_hash == NULL)	/* confidential clients only */
		return 1;
	params[0] = str_dup(a, k->id);
	params[1] = k->secret_hash;
	params[2] = store_opt(a, want_scope);
	params[3] = d->access_hash;
	params[4] = store_num(at, sizeof(at), d->access_ttl);
	return store_token_issued(db, a, &cc_issue, params, 0, out);
}

int
store_token_issue(struct db *db, struct str client_id, long user_id,
    const struct token_digests *d)
{
	struct arena	 a = { 0 };
	char		 uid[24], at[24], rt[24];
	const char	*params[8];
	int		 rc;

	params[0] = d->access_hash;
	params[1] = d->refresh_hash;
	params[2] = str_dup(&a, client_id);
	params[3] = user_id > 0 ? store_num(uid, sizeof(uid), user_id) : NULL;
	params[4] = store_num(at, sizeof(at), d->access_ttl);
	params[5] = store_num(rt, sizeof(rt), d->refresh_ttl);
	params[6] = str_dup(&a, d->scope);
	params[7] = str_dup(&a, d->refresh_scope);
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

	if (k->secret_hash == NULL)	/* confidential clients only */
		return 1;
	params[0] = hash;
	params[1] = str_dup(a, k->id);
	params[2] = k->secret_hash;
	return token_row(db, a, &token_get_own, params, t);
}

int
store_refresh_use(struct db *db, struct arena *a, const struct refresh_use *q,
    struct token_issued *out)
{
	char		 at[24], rt[24];
	const char	*params[9];

	params[0] = q->token_hash;
	params[1] = str_dup(a, q->client.id);
	params[2] = q->tokens.access_hash;
	params[3] = q->rotate ? q->tokens.refresh_hash : NULL;
	params[4] = store_opt(a, q->scope);
	params[5] = q->rotate ? "true" : "false";
	params[6] = store_num(at, sizeof(at), q->tokens.access_ttl);
	params[7] = store_num(rt, sizeof(rt), q->tokens.refresh_ttl);
	params[8] = q->client.secret_hash;
	return store_token_issued(db, a, q->rotate ? &refresh_rotate :
	    &refresh_keep, params, 1, out);
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
