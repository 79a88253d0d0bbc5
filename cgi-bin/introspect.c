/* introspect.c: POST /oauth2.0/introspect: token introspection (RFC 7662) */
#include "clientauth.h"
#include "crypto.h"
#include "fcgi_loop.h"
#include "json.h"
#include "jwt_access.h"
#include "openid.h"

/* The answer about a live token (RFC 7662 §2.2). Caller owns it. */
static json_object *
active(struct ctx *c, const struct token_row *t)
{
	json_object	*o = json_object_new_object();
	char		 sub[OPENID_LEN + 1];

	json_object_object_add(o, "active", json_object_new_boolean(1));
	json_object_object_add(o, "scope", json_str(t->scope));
	json_object_object_add(o, "client_id", json_str(t->client_id));
	json_object_object_add(o, "token_type", json_object_new_string(
	    t->kind == 'a' ? "Bearer" : "refresh_token"));
	json_object_object_add(o, "exp", json_object_new_int64(t->exp));
	json_object_object_add(o, "iat", json_object_new_int64(t->iat));
	json_object_object_add(o, "iss",
	    json_object_new_string(c->cfg.issuer));
	/* The user as the token's client knows them: its openid. */
	if (t->user_id > 0 && openid_make(c->cfg.key, c->cfg.keylen,
	    t->client_id, t->user_id, sub) == 0)
		json_object_object_add(o, "sub", json_object_new_string(sub));
	/* The login name only to a resource server, never to a site. */
	if (t->user_id > 0 && t->by_resource_server)
		json_object_object_add(o, "username", json_str(t->username));
	return o;
}

static void
introspect(struct ctx *c)
{
	struct oerror		 e = { 0 };
	struct client		 cl;
	struct client_key	 k;
	struct token_row	 t;
	struct str		 tok, secret;
	struct db		*r;
	const char		*hash;
	json_object		*o;
	int			 rc = 1;

	if (client_token_request(c, 0, NULL, &tok, &e) ||
	    client_credentials(c, &k.id, &secret, &e))
		goto fail;
	k.secret_hash = secret.n ? crypto_digest_param(&c->a, secret) : NULL;
	/* JWT access tokens answer from their claims (jwt_access.c). */
	if ((rc = jwt_access_introspect(c, tok, &e)) != 1) {
		if (rc == -1)
			goto fail;
		return;
	}
	/*
	 * One statement finds the token only if it is this client's and the
	 * secret is right; when it finds nothing, authenticate the client
	 * properly to answer a bad one with invalid_client.
	 */
	if (tok.n <= 512) {
		hash = crypto_digest_param(&c->a, tok);
		if ((r = fcgi_replica(c)) != NULL) {
			rc = store_token_get_own(r, &c->a, hash, &k, &t);
			fcgi_replica_done(c, rc);
		}
		/* No replica, it failed, or the token is younger than it. */
		if (rc != 0 && (rc = store_token_get_own(&c->db, &c->a, hash,
		    &k, &t)) == -1) {
			oerror_from_db(c, &e);
			goto fail;
		}
	}
	if (rc != 0 && client_authenticate(c, 0, &cl, &e))
		goto fail;
	/*
	 * A client learns only about its own live tokens (RFC 7662 §2.2), a
	 * resource server about other clients' access tokens within its
	 * scopes too (store_token_get_own decides which).
	 */
	if (rc != 0 || t.revoked || !t.live) {
		o = json_object_new_object();
		json_object_object_add(o, "active", json_object_new_boolean(0));
	} else
		o = active(c, &t);
	resp_json(&c->resp, 200, o, RESP_JSON, STR_NULL);
	json_object_put(o);
	return;
fail:
	oerror_reply_json(c, &e);
}

static const struct endpoint endpoint = {
	.name = "introspect",
	.methods = METHOD_POST,
	.reply = REPLY_OAUTH,
	.handler = introspect,
};

int
main(void)
{
	return fcgi_main(&endpoint);
}
