/* store_code.c: authorization codes: granted at authorize, redeemed at token */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store_token.h"
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
 * The whole redemption in one statement: the client must have this
 * secret digest ($10; NULL for a public client) and the grant; the code
 * is marked used only if it is unused, live, this client's, sent with
 * the same redirect URI and the right PKCE verifier ($4 plain, $5 its
 * S256); then the access token and, if the client may refresh, the
 * refresh token are issued. Otherwise nothing happens and no row comes
 * back, and token_grant.c's slow path finds out why. Each condition has
 * one explanation there (or where named), tried in this order:
 *
 *   SQL condition                       C that explains it
 *                                       (error, QQ code)
 *   k.id = $2, CLIENT_KEY_OK(k, $10)    client_authenticate()
 *                                       (invalid_client)
 *   k.grants @> '{authorization_code}'  token_grant_allowed()
 *                                       (unauthorized_client 100031)
 *   code_hash = $1                      code_failure(): no row
 *                                       (invalid_grant 100068)
 *   client_id = $2                      code_failure()
 *                                       (invalid_grant 100019)
 *   used_at IS NULL                     code_failure(): replayed()
 *                                       (invalid_grant 100020)
 *   expires_at > now()                  code_failure()
 *                                       (invalid_grant 100067)
 *   redirect_uri IS NULL OR = $3        code_redirect_ok()
 *                                       (invalid_grant 100010)
 *   code_challenge vs $4 (plain), $5    code_pkce_ok(), burns the code
 *                                       (invalid_grant 100019)
 *   (all hold: another redemption won)  code_failure(): replayed()
 *                                       (invalid_grant 100020)
 *
 * The code's length (over 256: invalid_grant 100068) and the parameters'
 * presence are checked in C before either path.
 */
static struct stmt code_redeem = { "code_redeem",
	"WITH c AS (UPDATE auth_codes SET used_at = now() FROM clients k"
	"   WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()"
	"   AND client_id = $2 AND k.id = $2"
	"   AND k.grants @> '{authorization_code}'"
	"   AND" CLIENT_KEY_OK("k", "10")
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

static struct stmt code_burn = { "code_burn",
	"UPDATE auth_codes SET used_at = now()"
	" WHERE code_hash = $1 AND used_at IS NULL", 1, 0 };


int
store_code_insert(struct db *db, const struct code_grant *g)
{
	struct arena	 a = { 0 };
	char		 uid[24], sttl[24];
	const char	*params[10];
	int		 rc;

	params[0] = g->code_hash;
	params[1] = str_dup(&a, g->client_id);
	params[2] = store_num(uid, sizeof(uid), g->user_id);
	params[3] = store_opt(&a, g->redirect_uri);
	params[4] = str_dup(&a, g->scope);
	params[5] = store_opt(&a, g->challenge);
	params[6] = store_opt(&a, g->method);
	params[7] = store_num(sttl, sizeof(sttl), g->ttl);
	params[8] = store_opt(&a, g->nonce);
	params[9] = g->session_hash;
	rc = store_run(db, &code_insert, params);
	arena_free(&a);
	return rc;
}

int
store_code_get(struct db *db, struct arena *a, const char *code_hash,
    struct code_row *row)
{
	const char	*params[1] = { code_hash };
	PGresult	*res;
	int		 rc = 1;

	if ((res = db_exec(db, &code_get, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		*row = (struct code_row){
			.family_id = store_long(res, 0, 0),
			.client_id = store_cell(a, res, 0, 1),
			.user_id = store_long(res, 0, 2),
			.had_redirect_uri = store_bool(res, 0, 3),
			.redirect_uri = store_cell(a, res, 0, 4),
			.scope = store_cell(a, res, 0, 5),
			.challenge = store_cell(a, res, 0, 6),
			.method = store_cell(a, res, 0, 7),
			.live = store_bool(res, 0, 8),
			.used = store_bool(res, 0, 9),
		};
		rc = 0;
	}
	PQclear(res);
	return rc;
}

int
store_code_redeem(struct db *db, struct arena *a,
    const struct code_redemption *q, struct token_issued *out)
{
	char		 at[24], rt[24];
	const char	*params[10];

	params[0] = q->code_hash;
	params[1] = str_dup(a, q->client.id);
	params[2] = store_opt(a, q->redirect_uri);
	/* A malformed verifier ("-": no challenge matches) counts as sent. */
	params[3] = q->verifier.n == 0 ? NULL : q->verifier_s256.n ?
	    str_dup(a, q->verifier) : "-";
	params[4] = store_opt(a, q->verifier_s256);
	params[5] = q->tokens.access_hash;
	params[6] = q->tokens.refresh_hash;
	params[7] = store_num(at, sizeof(at), q->tokens.access_ttl);
	params[8] = store_num(rt, sizeof(rt), q->tokens.refresh_ttl);
	params[9] = q->client.secret_hash;
	return store_token_issued(db, a, &code_redeem, params, 1, out);
}

int
store_code_burn(struct db *db, const char *code_hash)
{
	const char	*params[1] = { code_hash };

	return store_run(db, &code_burn, params);
}
