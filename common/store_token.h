/* store_token.h: what store_code.c shares with store_token.c */
#ifndef STORE_TOKEN_H
#define STORE_TOKEN_H

#include "db.h"
#include "store.h"

/*
 * The one SQL home of the client-secret check: the client row k has the
 * secret digest $n (store_digest; both NULL for a public client, so the
 * callers that want a confidential client pass no NULL). Its C twin is
 * store_client_secret_ok(), which client_authenticate() uses to explain
 * a failure; both compare the same store_digest text.
 */
#define CLIENT_KEY_OK(k, n) \
	" (" k ".secret_hash = $" n "::bytea" \
	"   OR (" k ".secret_hash IS NULL AND $" n "::bytea IS NULL))"

/*
 * The id_token columns after (scope, refresh) of a row t with user_id,
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
 * Run a statement that issues tokens and returns a row (scope, whether a
 * refresh token was issued too, and with with_id the ID_INFO columns) if
 * it did: 0 with *out set, 1 no row (nothing happened), -1 failure.
 */
int	store_token_issued(struct db *, struct arena *, struct stmt *s,
	    const char *const *params, int with_id, struct token_issued *out);

#endif
