/* jwt_access.c: JWT access tokens (RFC 9068): issue, check, revoke, introspect */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "b64.h"
#include "client_cache.h"
#include "clientauth.h"
#include "crypto.h"
#include "idtoken.h"
#include "json.h"
#include "jwt.h"
#include "jwt_access.h"
#include "store_jwt.h"

#define JWT_AT_MAX	4096	/* longest JWT access token looked at */
#define RESOURCE_MAX	512

int
jwt_access_is(struct str t)
{
	size_t	i, dots = 0;

	if (t.n < 5 || t.n > JWT_AT_MAX)
		return 0;
	for (i = 0; i < t.n; i++)
		dots += t.p[i] == '.';
	return dots == 2;
}

int
jwt_access_resource_ok(struct str v)
{
	size_t	i;

	if (v.n == 0 || v.n > RESOURCE_MAX || !((v.p[0] | 0x20) >= 'a' &&
	    (v.p[0] | 0x20) <= 'z'))
		return 0;
	for (i = 0; i < v.n; i++)
		if ((unsigned char)v.p[i] <= 0x20 || v.p[i] == 0x7f ||
		    v.p[i] == '#' || v.p[i] == '"' || v.p[i] == '\\')
			return 0;
	for (i = 1; i < v.n && v.p[i] != ':'; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.", v.p[i]))
			return 0;
	return i < v.n - 1;
}

static int
audience(struct ctx *c, struct jwt_at *j, struct oerror *e)
{
	struct str	v;

	switch (req_param(&c->req, "resource", &v)) {
	case FORM_ABSENT:
		j->aud = str_c(c->cfg.access_token_audience ?
		    c->cfg.access_token_audience : c->cfg.issuer);
		return 0;
	case FORM_ONE:
		if (jwt_access_resource_ok(v)) {
			j->aud = v;
			return 0;
		}
		/* FALLTHROUGH */
	default:
		OERR_SET(e, OERR_INVALID_TARGET, 100000, NULL);
		return -1;
	}
}

/* The digest parameter of the row standing for jti. */
static const char *
row_hash(struct ctx *c, struct str jti)
{
	unsigned char	m[SHA256_LEN];
	struct strbuf	b;

	strbuf_init(&b, &c->a);
	strbuf_puts(&b, "at+jwt:");
	strbuf_append(&b, jti.p, jti.n);
	crypto_hmac(c->cfg.key, c->cfg.keylen, b.p, b.n, m);
	strbuf_init(&b, &c->a);
	strbuf_hex(&b, m, sizeof(m));
	return crypto_digest_param(&c->a, strbuf_str(&b));
}

const char *
jwt_access_row(struct ctx *c, struct jwt_at *j)
{
	unsigned char	raw[16];
	struct strbuf	b;

	crypto_random(raw, sizeof(raw));
	strbuf_init(&b, &c->a);
	b64url_encode(&b, raw, sizeof(raw));
	j->jti = strbuf_str(&b);
	return row_hash(c, j->jti);
}

json_object *
jwt_access_claims(struct ctx *c, const struct jwt_at *j)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "iss", json_object_new_string(c->cfg.issuer));
	json_object_object_add(o, "sub", json_str(j->user_id ?
	    idtoken_sub(c, j->client_id, j->user_id) : j->client_id));
	json_object_object_add(o, "aud", json_str(j->aud));
	json_object_object_add(o, "client_id", json_str(j->client_id));
	json_object_object_add(o, "scope", json_str(j->scope));
	json_object_object_add(o, "iat", json_object_new_int64(j->iat));
	json_object_object_add(o, "exp", json_object_new_int64(j->exp));
	json_object_object_add(o, "jti", json_str(j->jti));
	if (j->user_id && j->auth_time > 0)
		json_object_object_add(o, "auth_time",
		    json_object_new_int64(j->auth_time));
	return o;
}

int
jwt_access_sign(struct ctx *c, struct jwt_at *j, struct str *out)
{
	const struct key_slot	*k;
	json_object		*o;
	struct str		 kid;
	int			 dberr, rc;

	kid = client_cache_kid(c, j->alg);
	if (kid.n == 0 || (k = idtoken_key(c, kid, 0, &dberr)) == NULL) {
		fprintf(stderr, "%s: no usable %s signing key: run oauthctl "
		    "key rotate --alg %s\n", c->prog, jwk_alg_name(j->alg),
		    jwk_alg_name(j->alg));
		return -1;
	}
	j->exp = j->iat + c->cfg.jwt_access_token_ttl;
	o = jwt_access_claims(c, j);
	rc = jws_sign_typ(&c->a, k->signer, k->alg, k->kid, "at+jwt",
	    str_c(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE)), out);
	json_object_put(o);
	return rc;
}

/* The requested scope within the client's, or -1. */
static int
cc_scope(struct ctx *c, const struct cached_client *cl, struct str *scope)
{
	struct scopes	want, have;
	struct str	v;

	if (scope_parse(&have, str_c(cl->scopes)))
		return -1;
	switch (req_param(&c->req, "scope", &v)) {
	case FORM_ABSENT:
		*scope = scope_str(&c->a, &have);
		return 0;
	case FORM_ONE:
		if (scope_parse(&want, v) || want.n == 0 ||
		    !scope_subset(&want, &have))
			return -1;
		*scope = scope_str(&c->a, &want);
		return 0;
	default:
		return -1;
	}
}

/*
 * client_credentials from memory. Anything amiss goes the usual way
 * (1), where the database answers it: a wrong secret is counted there
 * (the brute-force guard of clientauth.c) and a suspended client, a
 * missing grant or a scope not allowed get their errors.
 */
static int
cc_no_db(struct ctx *c, const struct cached_client *cl, struct str secret,
    struct jwt_at *j, struct str *access, struct oerror *e)
{
	/* A secret this worker does not know may be newer than its copy. */
	if (!client_cache_secret_ok(cl, &c->a, secret) &&
	    ((cl = client_cache_get(c, j->client_id, 1)) == NULL ||
	    !cl->jwt || !client_cache_secret_ok(cl, &c->a, secret)))
		return 1;
	if (cl->suspended || (cl->grants & GRANT_CLIENT_CREDENTIALS) == 0 ||
	    cc_scope(c, cl, &j->scope))
		return 1;
	j->alg = cl->alg;
	j->iat = (long)time(NULL);
	(void)jwt_access_row(c, j);	/* the jti; no row is written */
	if (jwt_access_sign(c, j, access)) {
		OERR_SET(e, OERR_SERVER_ERROR, 0, NULL);
		return -1;
	}
	return 0;
}

int
jwt_access_token(struct ctx *c, struct str id, struct str secret,
    unsigned grant, struct jwt_at *j, struct str *access, struct str *scope,
    struct oerror *e)
{
	const struct cached_client	*cl;
	int				 rc;

	memset(j, 0, sizeof(*j));
	if ((cl = client_cache_get(c, id, 0)) == NULL || !cl->jwt)
		return 1;
	if (audience(c, j, e))
		return -1;
	j->on = 1;
	j->alg = cl->alg;
	j->client_id = id;
	if (grant != GRANT_CLIENT_CREDENTIALS || secret.n == 0)
		return 1;
	if ((rc = cc_no_db(c, cl, secret, j, access, e)) == 0)
		*scope = j->scope;
	return rc;
}

/* An integer claim; -1 if absent or not an integer. */
static int
int_claim(json_object *o, const char *name, long *v)
{
	json_object	*x;

	if (!json_object_object_get_ex(o, name, &x) ||
	    !json_object_is_type(x, json_type_int))
		return -1;
	*v = (long)json_object_get_int64(x);
	return 0;
}

int
jwt_access_read(struct ctx *c, json_object *o, struct jwt_at *j)
{
	struct str	iss;

	if (idtoken_claim(c, o, "iss", &iss) ||
	    !str_eq_c(iss, c->cfg.issuer) ||
	    idtoken_claim(c, o, "sub", &j->sub) ||
	    idtoken_claim(c, o, "client_id", &j->client_id) ||
	    idtoken_claim(c, o, "jti", &j->jti) ||
	    int_claim(o, "exp", &j->exp) || int_claim(o, "iat", &j->iat))
		return -1;
	if (idtoken_claim(c, o, "aud", &j->aud))
		j->aud = STR_NULL;	/* several: only introspection shows it */
	if (idtoken_claim(c, o, "scope", &j->scope))
		j->scope = STR_NULL;
	if (int_claim(o, "auth_time", &j->auth_time))
		j->auth_time = 0;
	return j->jti.n == 0 || j->jti.n > 64 || j->client_id.n > 128 ? -1 : 0;
}

/* Signature, typ and claims. 0 ours, 1 not, -1 database failure. */
static int
verify(struct ctx *c, struct str token, struct jwt_at *j)
{
	const struct key_slot	*k;
	json_object		*o;
	enum jwk_alg		 alg;
	struct str		 kid, typ;
	int			 dberr, rc;

	memset(j, 0, sizeof(*j));
	if (!jwt_access_is(token) ||
	    jws_header_typ(&c->a, token, &alg, &kid, &typ) ||
	    !str_eq_c(typ, "at+jwt"))
		return 1;
	/* A retired key is no longer published: its tokens are dead. */
	if ((k = idtoken_key(c, kid, 1, &dberr)) == NULL)
		return dberr ? -1 : 1;
	if (k->alg != alg || (o = jws_verify(&c->a, token, k->k, alg)) == NULL)
		return 1;
	rc = jwt_access_read(c, o, j) ? 1 : 0;
	json_object_put(o);
	return rc;
}

/* A token with no row (client_credentials): from its claims. */
static int
no_row(struct ctx *c, const struct jwt_at *j, struct token_row *t)
{
	int	dead;

	if ((dead = store_jwt_dead(&c->db, &c->a, j->jti, j->client_id)) == -1)
		return -1;
	memset(t, 0, sizeof(*t));
	t->kind = 'a';
	t->client_id = j->client_id;
	t->scope = j->scope;
	t->revoked = dead;
	t->live = 1;	/* exp is the caller's */
	t->exp = j->exp;
	t->iat = j->iat;
	return 0;
}

int
jwt_access_check(struct ctx *c, struct str token, unsigned with,
    struct token_row *t, struct jwt_at *j, struct oerror *e)
{
	int	rc;

	if (!jwt_access_is(token))
		return 1;
	if ((rc = verify(c, token, j)) == 0) {
		rc = store_token_get(&c->db, &c->a, row_hash(c, j->jti), with,
		    t);
		if (rc == 0 && (t->kind != 'a' ||
		    !str_eq(t->client_id, j->client_id)))
			rc = 2;
		else if (rc == 1)
			rc = no_row(c, j, t);
	}
	if (rc == -1) {
		oerror_from_db(c, e);
		return -1;
	}
	if (rc != 0) {
		OERR_SET(e, OERR_INVALID_TOKEN, 100016,
		    "access token check failed");
		return -1;
	}
	/* The row lives as long as the token; the claim is what was said. */
	t->live = t->live && j->exp > (long)time(NULL);
	t->exp = j->exp;
	return 0;
}

int
jwt_access_revoke(struct ctx *c, struct str token, struct str client_id)
{
	struct jwt_at	j;
	int		rc;

	if (!jwt_access_is(token))
		return 1;
	if ((rc = verify(c, token, &j)) != 0)
		return rc == -1 ? -1 : 0;
	if (!str_eq(j.client_id, client_id))
		return 0;
	if (store_jwt_revoke(&c->db, &c->a, j.jti, client_id, j.exp) ||
	    store_token_revoke(&c->db, row_hash(c, j.jti), client_id))
		return -1;
	return 0;
}

static void
describe(struct ctx *c, json_object *o, const struct jwt_at *j,
    const struct token_row *t)
{
	json_object_object_add(o, "scope", json_str(t->scope));
	json_object_object_add(o, "client_id", json_str(j->client_id));
	json_object_object_add(o, "token_type",
	    json_object_new_string("Bearer"));
	json_object_object_add(o, "exp", json_object_new_int64(j->exp));
	json_object_object_add(o, "iat", json_object_new_int64(j->iat));
	json_object_object_add(o, "iss", json_object_new_string(c->cfg.issuer));
	json_object_object_add(o, "sub", json_str(j->sub));
	if (j->aud.n)
		json_object_object_add(o, "aud", json_str(j->aud));
	json_object_object_add(o, "jti", json_str(j->jti));
	if (j->auth_time > 0)
		json_object_object_add(o, "auth_time",
		    json_object_new_int64(j->auth_time));
}

int
jwt_access_introspect(struct ctx *c, struct str token, struct oerror *e)
{
	struct client		 cl;
	struct token_row	 t;
	struct jwt_at		 j;
	struct oerror		 te = { 0 };
	json_object		*o;
	int			 rc;

	if (!jwt_access_is(token))
		return 1;
	if (client_authenticate(c, 0, &cl, e))
		return -1;
	rc = jwt_access_check(c, token, 0, &t, &j, &te);
	if (rc == -1 && te.code != OERR_INVALID_TOKEN) {
		*e = te;
		return -1;
	}
	o = json_object_new_object();
	if (rc == 0 && t.live && !t.revoked && str_eq(t.client_id, cl.id)) {
		json_object_object_add(o, "active", json_object_new_boolean(1));
		describe(c, o, &j, &t);
	} else
		json_object_object_add(o, "active", json_object_new_boolean(0));
	resp_json(&c->resp, 200, o, RESP_JSON, STR_NULL);
	json_object_put(o);
	return 0;
}
