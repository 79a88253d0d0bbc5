/* token.c: GET|POST /oauth2.0/token: the grant table of RFC 6749 */
#include <stdio.h>
#include <time.h>

#include "clientauth.h"
#include "cors.h"
#include "crypto.h"
#include "fcgi_loop.h"
#include "idtoken.h"
#include "json.h"
#include "jwt_access.h"
#include "login.h"
#include "pkce.h"

/*
 * The reply's shape: RFC 6749 JSON (POST), or on a GET in QQ mode QQ's
 * query string and JSONP errors, or QQ's JSON when fmt=json.
 */
enum qq_fmt {
	QQ_NO = 0,
	QQ_TEXT,
	QQ_JSON
};

/* What a grant produced, for the reply. */
struct issued {
	struct str	access;
	struct str	refresh;	/* empty: none */
	struct str	scope;
	long		expires_in;
	struct id_info	id;		/* id.user_id 0: no id_token */
	struct str	id_token;	/* empty: none */
	struct jwt_at	jwt;		/* JWT access token (jwt.on) */
};

/*
 * A grant handler runs twice at most. First with cl NULL, before the
 * client is authenticated: its single statement checks the client too,
 * and any problem returns 1 ("not on the fast path") without an error.
 * Then, only if that did not succeed, with the authenticated client: now
 * every problem is answered with its error (-1 with e set). For a code
 * or a refresh token, whose statement has the same inputs both times,
 * the second call only finds out why the first matched nothing.
 */
struct grant_def {
	const char	*name;
	unsigned	 flag;
	int		 public_ok;	/* public clients may use it */
	int		 get_ok;	/* QQ allows it on GET (qq_compat) */
	int		 fast;		/* has the one-statement first try */
	int		 (*run)(struct ctx *, const struct client_key *,
			    const struct client *, struct issued *,
			    struct oerror *);
};

/* A required single-valued parameter; sets e when absent or repeated. */
static int
need(struct ctx *c, const char *name, struct str *v, int qq_missing,
    struct oerror *e)
{
	switch (req_param(&c->req, name, v)) {
	case FORM_ONE:
		return 0;
	case FORM_DUP:
		OERR_SET(e, OERR_INVALID_REQUEST, 100000,
		    "a parameter was given more than once");
		return -1;
	default:
		OERR_SET(e, OERR_INVALID_REQUEST, qq_missing,
		    "a required parameter is missing");
		return -1;
	}
}

/* Optional single-valued parameter: 0 absent, 1 present, -1 repeated. */
static int
maybe(struct ctx *c, const char *name, struct str *v, struct oerror *e)
{
	switch (req_param(&c->req, name, v)) {
	case FORM_ONE:
		return 1;
	case FORM_DUP:
		OERR_SET(e, OERR_INVALID_REQUEST, 100000,
		    "a parameter was given more than once");
		return -1;
	default:
		*v = STR_NULL;
		return 0;
	}
}

/* Fresh tokens and their storage digests. */
static void
mint(struct ctx *c, int with_refresh, struct issued *out, struct issue *is)
{
	out->access = crypto_token(&c->a);
	out->refresh = with_refresh ? crypto_token(&c->a) : STR_NULL;
	out->expires_in = c->cfg.access_token_ttl;
	is->access_hash = crypto_digest_param(&c->a, out->access);
	is->refresh_hash = with_refresh ?
	    crypto_digest_param(&c->a, out->refresh) : NULL;
	is->access_ttl = c->cfg.access_token_ttl;
	is->refresh_ttl = c->cfg.refresh_token_ttl;
	/* JWT access tokens: the row stands for the jti (jwt_access.c). */
	if (out->jwt.on) {
		is->access_hash = jwt_access_row(c, &out->jwt);
		out->expires_in = is->access_ttl = c->cfg.jwt_access_token_ttl;
	}
}

/* The requested scope (default: all of the client's), checked. */
static int
requested_scope(struct ctx *c, const struct client *cl, struct scopes *s,
    struct oerror *e)
{
	struct str	v;
	int		r = maybe(c, "scope", &v, e);

	if (r == -1)
		return -1;
	if (r == 0) {
		*s = cl->scopes;
		return 0;
	}
	if (scope_parse(s, v) || !scope_subset(s, &cl->scopes) || s->n == 0) {
		OERR_SET(e, OERR_INVALID_SCOPE, 100030,
		    "scope not allowed for this client");
		return -1;
	}
	return 0;
}

/*
 * A code or refresh token came back after its use: revoke everything
 * issued from the same authorization and fail with invalid_grant.
 */
static int
replayed(struct ctx *c, long family_id, int qq, const char *why,
    struct oerror *e)
{
	if (store_family_revoke(&c->db, family_id)) {
		oerror_from_db(c, e);
		return -1;
	}
	OERR_SET(e, OERR_INVALID_GRANT, qq, why);
	return -1;
}

/*
 * Why a code could not be redeemed: the slow path, run only after the
 * one-statement redemption matched nothing. Always returns -1 with e set.
 */
static int
code_failure(struct ctx *c, const struct client_key *k, const char *hash,
    int hr, struct str ruri, int hv, struct str verifier, struct oerror *e)
{
	struct code_row		row;
	enum pkce_method	m;
	int			rc;

	if ((rc = store_code_get(&c->db, &c->a, hash, &row)) == -1)
		goto dbfail;
	if (rc == 1) {
		OERR_SET(e, OERR_INVALID_GRANT, 100068, "code invalid");
		return -1;
	}
	/*
	 * Another client's code changes nothing, used or not: only the
	 * code's own client may set off the replay revocation below.
	 */
	if (!str_eq(row.client_id, k->id)) {
		OERR_SET(e, OERR_INVALID_GRANT, 100019,
		    "code was issued to another client");
		return -1;
	}
	if (row.used)	/* RFC 6749 §4.1.2: revoke what the code gave. */
		return replayed(c, row.family_id, 100020, "code used twice", e);
	if (!row.live) {
		OERR_SET(e, OERR_INVALID_GRANT, 100067, "code expired");
		return -1;
	}
	if (row.had_redirect_uri && (hr == 0 || !str_eq(ruri, row.redirect_uri))) {
		OERR_SET(e, OERR_INVALID_GRANT, 100010,
		    "redirect_uri does not match the authorization request");
		return -1;
	}
	if (row.challenge.n == 0 && hv) {
		OERR_SET(e, OERR_INVALID_GRANT, 100019,
		    "code_verifier sent but no code_challenge was");
		return -1;
	}
	if (row.challenge.n && (hv == 0 ||
	    pkce_method_parse(row.method, &m) ||
	    !pkce_verify(m, row.challenge, verifier))) {
		/* One guess per code: a wrong verifier burns it. */
		if (hv && store_code_burn(&c->db, hash))
			goto dbfail;
		OERR_SET(e, OERR_INVALID_GRANT, 100019,
		    "code_verifier does not match the code_challenge");
		return -1;
	}
	/* Every check passes now: another redemption won the race. */
	return replayed(c, row.family_id, 100020, "code used twice", e);
dbfail:
	oerror_from_db(c, e);
	return -1;
}

static int
grant_code(struct ctx *c, const struct client_key *k, const struct client *cl,
    struct issued *out, struct oerror *e)
{
	struct str	 code, ruri, verifier, s256 = STR_NULL;
	struct issue	 is;
	const char	*hash;
	int		 hv, hr, rc, refresh;

	if (need(c, "code", &code, 100005, e) ||
	    (hr = maybe(c, "redirect_uri", &ruri, e)) == -1 ||
	    (hv = maybe(c, "code_verifier", &verifier, e)) == -1)
		return cl ? -1 : 1;
	if (code.n > 256) {
		OERR_SET(e, OERR_INVALID_GRANT, 100068, "code invalid");
		return cl ? -1 : 1;
	}
	hash = crypto_digest_param(&c->a, code);
	if (cl != NULL)
		return code_failure(c, k, hash, hr, ruri, hv, verifier, e);
	if (hv && pkce_well_formed(verifier))
		s256 = pkce_s256(&c->a, verifier);
	mint(c, 1, out, &is);
	/* A malformed verifier ("-" matches no challenge) still counts as sent. */
	rc = store_code_redeem(&c->db, &c->a, hash, k, ruri,
	    hv == 0 ? STR_NULL : s256.n ? verifier : STR_LIT("-"), s256, &is,
	    &out->scope, &refresh, &out->id);
	if (rc == -1) {
		oerror_from_db(c, e);
		return -1;
	}
	if (rc == 0 && !refresh)
		out->refresh = STR_NULL;
	return rc;
}

/*
 * Why a refresh token could not be used: the slow path, run only after
 * the one-statement refresh matched nothing. Always returns -1 with e set.
 */
static int
refresh_failure(struct ctx *c, const struct client_key *k, const char *hash,
    int hs, const struct scopes *want, struct oerror *e)
{
	struct token_row	t;
	struct scopes		have;
	int			rc;

	if ((rc = store_token_get(&c->db, &c->a, hash, 0, &t)) == -1) {
		oerror_from_db(c, e);
		return -1;
	}
	if (rc == 1 || t.kind != 'r' || !str_eq(t.client_id, k->id)) {
		OERR_SET(e, OERR_INVALID_GRANT, 100036, "refresh token invalid");
		return -1;
	}
	if (t.revoked && !t.rotated) {
		OERR_SET(e, OERR_INVALID_GRANT, 100036, "refresh token invalid");
		return -1;
	}
	if (!t.revoked && !t.live) {
		OERR_SET(e, OERR_INVALID_GRANT, 100037, "refresh token expired");
		return -1;
	}
	if (!t.revoked && hs && (scope_parse(&have, t.scope) ||
	    !scope_subset(want, &have))) {
		OERR_SET(e, OERR_INVALID_SCOPE, 100030,
		    "scope exceeds the original grant");
		return -1;
	}
	/* A rotated token came back, or another use won the race. */
	return replayed(c, t.family_id, 100036, "refresh token invalid", e);
}

static int
grant_refresh(struct ctx *c, const struct client_key *k,
    const struct client *cl, struct issued *out, struct oerror *e)
{
	struct str	 rt, v, want_scope = STR_NULL;
	struct scopes	 want;
	struct issue	 is;
	const char	*hash;
	int		 rc, hs;

	if (need(c, "refresh_token", &rt, 100006, e) ||
	    (hs = maybe(c, "scope", &v, e)) == -1)
		return cl ? -1 : 1;
	if (rt.n > 256) {
		OERR_SET(e, OERR_INVALID_GRANT, 100036, "refresh token invalid");
		return cl ? -1 : 1;
	}
	if (hs) {
		if (scope_parse(&want, v) || want.n == 0) {
			OERR_SET(e, OERR_INVALID_SCOPE, 100030, "invalid scope");
			return cl ? -1 : 1;
		}
		want_scope = scope_str(&c->a, &want);
	}
	hash = crypto_digest_param(&c->a, rt);
	if (cl != NULL)
		return refresh_failure(c, k, hash, hs, &want, e);
	mint(c, c->cfg.refresh_rotation, out, &is);
	if (!c->cfg.refresh_rotation)
		out->refresh = rt;
	rc = store_refresh_rotate(&c->db, &c->a, hash, k, want_scope,
	    c->cfg.refresh_rotation, &is, &out->scope, &out->id);
	if (rc == -1)
		oerror_from_db(c, e);
	return rc;
}

static int
grant_password(struct ctx *c, const struct client_key *k,
    const struct client *cl, struct issued *out, struct oerror *e)
{
	struct str	name, pw;
	struct scopes	s;
	struct user	u;
	struct issue	is;

	if (need(c, "username", &name, 100000, e) ||
	    need(c, "password", &pw, 100000, e) ||
	    requested_scope(c, cl, &s, e))
		return -1;
	switch (login_check(c, name, pw, &u)) {
	case LOGIN_OK:
		break;
	case LOGIN_BAD:
		OERR_SET(e, OERR_INVALID_GRANT, 100019,
		    "wrong username or password");
		return -1;
	case LOGIN_THROTTLED:
		OERR_SET(e, OERR_TOO_MANY_REQUESTS, 0, NULL);
		return -1;
	default:
		oerror_from_db(c, e);
		return -1;
	}
	mint(c, (cl->grants & GRANT_REFRESH) != 0, out, &is);
	is.scope = is.refresh_scope = out->scope = scope_str(&c->a, &s);
	out->jwt.user_id = u.id;	/* JWT access tokens: the sub */
	(void)k;
	if (store_token_issue(&c->db, cl->id, u.id, &is)) {
		oerror_from_db(c, e);
		return -1;
	}
	return 0;
}

static int
grant_client_credentials(struct ctx *c, const struct client_key *k,
    const struct client *cl, struct issued *out, struct oerror *e)
{
	struct str	 v, want_scope = STR_NULL;
	struct scopes	 s;
	struct issue	 is;
	int		 rc;

	if (cl == NULL) {
		/* The first try: the statement checks client and scope. */
		if (maybe(c, "scope", &v, e) == -1 || k->secret_hash == NULL)
			return 1;
		if (v.n) {
			if (scope_parse(&s, v) || s.n == 0)
				return 1;
			want_scope = scope_str(&c->a, &s);
		}
	} else {
		if (requested_scope(c, cl, &s, e))
			return -1;
		want_scope = scope_str(&c->a, &s);
	}
	/* RFC 6749 §4.4.3: no refresh token. */
	mint(c, 0, out, &is);
	rc = store_cc_issue(&c->db, &c->a, k, want_scope, &is, &out->scope);
	if (rc == -1)
		oerror_from_db(c, e);
	else if (rc == 1 && cl != NULL)
		/* Authenticated, grant and scope allowed: an administrator
		 * suspended the client. */
		OERR_SET(e, OERR_UNAUTHORIZED_CLIENT, 100031,
		    "the client is suspended");
	return rc;
}

static const struct grant_def grants[] = {
	{ "authorization_code", GRANT_CODE, 1, 1, 1, grant_code },
	{ "refresh_token", GRANT_REFRESH, 1, 1, 1, grant_refresh },
	{ "password", GRANT_PASSWORD, 0, 0, 0, grant_password },
	{ "client_credentials", GRANT_CLIENT_CREDENTIALS, 0, 0, 1,
	    grant_client_credentials },
};

static void
reply_error(struct ctx *c, const struct oerror *e, enum qq_fmt qq)
{
	json_object	*o = json_object_new_object();
	int		 status = oerr_status(e->code);

	if (qq) {
		json_object_object_add(o, "error",
		    json_object_new_int(oerr_qq(e)));
		json_object_object_add(o, "error_description",
		    json_object_new_string(oerr_desc(e)));
		/* QQ answers its errors with 200; outages stay honest. */
		if (status < 500 && e->code != OERR_METHOD_NOT_ALLOWED &&
		    e->code != OERR_TOO_LARGE && c->req.err == REQ_OK)
			status = 200;
		resp_json(&c->resp, status, o, qq == QQ_JSON ? RESP_JSON :
		    RESP_JSONP_QQ, STR_NULL);
	} else {
		json_object_object_add(o, "error",
		    json_object_new_string(oerr_name(e->code)));
		json_object_object_add(o, "error_description",
		    json_object_new_string(oerr_desc(e)));
		resp_json(&c->resp, status, o, RESP_JSON, STR_NULL);
	}
	json_object_put(o);
	if (e->code == OERR_INVALID_CLIENT)
		resp_header(&c->resp, "WWW-Authenticate",
		    STR_LIT("Basic realm=\"oauth2\""));
	if (e->code == OERR_TOO_MANY_REQUESTS ||
	    e->code == OERR_TEMPORARILY_UNAVAILABLE)
		resp_header(&c->resp, "Retry-After",
		    e->code == OERR_TOO_MANY_REQUESTS ? STR_LIT("300") :
		    STR_LIT("5"));
}

/* The shape of this request's reply (the loop took GET only in QQ mode). */
static enum qq_fmt
qq_format(struct ctx *c)
{
	struct str	fmt;

	if (!req_is(&c->req, "GET") || !c->cfg.qq_compat)
		return QQ_NO;
	return req_param(&c->req, "fmt", &fmt) == FORM_ONE &&
	    str_eq_c(fmt, "json") ? QQ_JSON : QQ_TEXT;
}

/* The loop's refusals (405, 413, 400), in the request's shape. */
static void
token_fail(struct ctx *c, const struct oerror *e)
{
	reply_error(c, e, qq_format(c));
}

static void
reply_ok(struct ctx *c, const struct issued *t, enum qq_fmt qq)
{
	struct strbuf	 b;
	json_object	*o;
	char		 ttl[24];

	if (qq == QQ_TEXT) {
		strbuf_init(&b, &c->a);
		strbuf_puts(&b, "access_token=");
		strbuf_append(&b, t->access.p, t->access.n);
		strbuf_appendf(&b, "&expires_in=%ld", t->expires_in);
		if (t->refresh.n) {
			strbuf_puts(&b, "&refresh_token=");
			strbuf_append(&b, t->refresh.p, t->refresh.n);
		}
		resp_text(&c->resp, 200, "text/plain;charset=UTF-8",
		    strbuf_str(&b));
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "access_token", json_str(t->access));
	json_object_object_add(o, "token_type",
	    json_object_new_string("Bearer"));
	/* QQ's JSON sends the lifetime as a string of digits. */
	snprintf(ttl, sizeof(ttl), "%ld", t->expires_in);
	json_object_object_add(o, "expires_in", qq == QQ_JSON ?
	    json_object_new_string(ttl) : json_object_new_int64(t->expires_in));
	if (t->refresh.n)
		json_object_object_add(o, "refresh_token", json_str(t->refresh));
	json_object_object_add(o, "scope", json_str(t->scope));
	if (t->id_token.n)
		json_object_object_add(o, "id_token", json_str(t->id_token));
	resp_json(&c->resp, 200, o, RESP_JSON, STR_NULL);
	json_object_put(o);
}

/* Sign the JWT access token of a grant that wrote its row. */
static int
jwt_finish(struct ctx *c, struct issued *out, struct oerror *e)
{
	struct jwt_at	*j = &out->jwt;

	if (out->id.user_id) {
		j->user_id = out->id.user_id;
		j->auth_time = out->id.auth_time;
	}
	j->iat = out->id.now ? out->id.now : (long)time(NULL);
	j->scope = out->scope;
	if (jwt_access_sign(c, j, &out->access)) {
		OERR_SET(e, OERR_SERVER_ERROR, 0, NULL);
		return -1;
	}
	return 0;
}

/*
 * OpenID Connect Core §3.1.3.3, §12.2: a code or refresh grant whose
 * scope has openid answers with an id_token (not in QQ's text reply).
 */
static int
id_token(struct ctx *c, struct str client_id, struct issued *out, int qq,
    struct oerror *e)
{
	struct scopes	s;

	if (out->jwt.on && jwt_finish(c, out, e))
		return -1;
	if (qq || out->id.user_id == 0 || scope_parse(&s, out->scope) ||
	    !scope_has(&s, STR_LIT("openid")))
		return 0;
	if (idtoken_make(c, client_id, &out->id, out->access, &out->id_token)) {
		OERR_SET(e, OERR_SERVER_ERROR, 0, NULL);
		return -1;
	}
	return 0;
}

/*
 * The client's token format, and for a JWT client's client_credentials
 * the whole answer from memory: 0 or -1 answered, 1 to go on.
 */
static int
jwt_first(struct ctx *c, const struct grant_def *g, struct str id,
    struct str secret, struct issued *out, enum qq_fmt qq)
{
	struct oerror	e = { 0 };
	int		rc;

	rc = jwt_access_token(c, id, secret, g->flag, &out->jwt, &out->access,
	    &out->scope, &e);
	if (rc == 0) {
		out->expires_in = c->cfg.jwt_access_token_ttl;
		reply_ok(c, out, qq);
	} else if (rc == -1)
		reply_error(c, &e, qq);
	return rc;
}

static void
token(struct ctx *c)
{
	const struct grant_def	*g = NULL;
	struct oerror		 e = { 0 };
	struct client		 cl;
	struct client_key	 k;
	struct issued		 out = { 0 };
	struct str		 gt, secret;
	size_t			 i;
	enum qq_fmt		 qq = qq_format(c);
	int			 rc;

	/* The SDK posts client_id: its registered origins read the answer. */
	cors_answer(c, STR_NULL);
	if (need(c, "grant_type", &gt, 100004, &e))
		goto fail;
	for (i = 0; i < sizeof(grants) / sizeof(grants[0]); i++)
		if (str_eq_c(gt, grants[i].name))
			g = &grants[i];
	if (g == NULL) {
		OERR_SET(&e, OERR_UNSUPPORTED_GRANT_TYPE, 100004,
		    "unsupported grant_type");
		goto fail;
	}
	/* A password or a client secret never travels in a URL. */
	if (!g->get_ok && req_is(&c->req, "GET")) {
		OERR_SET(&e, OERR_INVALID_REQUEST, 100000,
		    "use POST for this grant_type (RFC 6749 §3.2)");
		goto fail;
	}
	if (client_credentials(c, &k.id, &secret, &e))
		goto fail;
	k.secret_hash = secret.n ? crypto_digest_param(&c->a, secret) : NULL;
	/* JWT access tokens; client_credentials without SQL (jwt_access.c). */
	if (jwt_first(c, g, k.id, secret, &out, qq) != 1)
		return;
	if (g->fast && (rc = g->run(c, &k, NULL, &out, &e)) != 1) {
		if (rc == -1 || id_token(c, k.id, &out, qq, &e))
			goto fail;
		reply_ok(c, &out, qq);
		return;
	}
	/* Not on the fast path: authenticate, then find out what is wrong. */
	e = (struct oerror){ 0 };
	if (client_authenticate(c, g->public_ok, &cl, &e))
		goto fail;
	if ((cl.grants & g->flag) == 0) {
		OERR_SET(&e, OERR_UNAUTHORIZED_CLIENT, 100031,
		    "grant_type not allowed for this client");
		goto fail;
	}
	if (g->run(c, &k, &cl, &out, &e) || id_token(c, cl.id, &out, qq, &e))
		goto fail;
	reply_ok(c, &out, qq);
	return;
fail:
	reply_error(c, &e, qq);
}

static const struct endpoint endpoint = {
	.name = "token",
	.methods = METHOD_POST,
	.flags = EP_CORS | EP_QQ_GET,
	.reply = REPLY_QQ,
	.handler = token,
	.fail = token_fail,
};

int
main(void)
{
	return fcgi_main(&endpoint);
}
