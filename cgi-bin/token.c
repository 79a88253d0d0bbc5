/* token.c: GET|POST /oauth2.0/token: the grant table of RFC 6749 */
#include <stdio.h>
#include <time.h>

#include "clientauth.h"
#include "cors.h"
#include "fcgi_loop.h"
#include "idtoken.h"
#include "json.h"
#include "jwt_access.h"
#include "token_grant.h"

/*
 * The reply's shape: RFC 6749 JSON (POST), or on a GET in QQ mode QQ's
 * query string and JSONP errors, or QQ's JSON when fmt=json.
 */
enum qq_fmt {
	QQ_NO = 0,
	QQ_TEXT,
	QQ_JSON
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
reply_ok(struct ctx *c, const struct token_reply *t, enum qq_fmt qq)
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
jwt_finish(struct ctx *c, struct token_reply *out, struct oerror *e)
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
id_token(struct ctx *c, struct str client_id, struct token_reply *out, int qq,
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
jwt_first(struct ctx *c, const struct token_grant *g, struct str id,
    struct str secret, struct token_reply *out, enum qq_fmt qq)
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

/* The grant_type of this request, and whether it may come this way. */
static const struct token_grant *
pick_grant(struct ctx *c, struct oerror *e)
{
	const struct token_grant	*g;
	struct str			 gt;

	if (token_grant_param_need(c, "grant_type", &gt, 100004, e))
		return NULL;
	if ((g = token_grant_find(gt)) == NULL) {
		OERR_SET(e, OERR_UNSUPPORTED_GRANT_TYPE, 100004,
		    "unsupported grant_type");
		return NULL;
	}
	/* A password or a client secret never travels in a URL. */
	if (!g->get_ok && req_is(&c->req, "GET")) {
		OERR_SET(e, OERR_INVALID_REQUEST, 100000,
		    "use POST for this grant_type (RFC 6749 §3.2)");
		return NULL;
	}
	return g;
}

static void
token(struct ctx *c)
{
	const struct token_grant	*g;
	struct oerror			 e = { 0 };
	struct token_reply		 out = { 0 };
	struct client_key		 k;
	struct str			 secret, client_id;
	enum qq_fmt			 qq = qq_format(c);

	/* The SDK posts client_id: its registered origins read the answer. */
	cors_answer(c, STR_NULL);
	if ((g = pick_grant(c, &e)) == NULL ||
	    client_credentials(c, &k.id, &secret, &e))
		goto fail;
	k.secret_hash = secret.n ? store_digest(&c->a, secret) : NULL;
	/* JWT access tokens; client_credentials without SQL (jwt_access.c). */
	if (jwt_first(c, g, k.id, secret, &out, qq) != 1)
		return;
	if (token_grant_run(c, g, &k, &out, &client_id, &e) ||
	    id_token(c, client_id, &out, qq, &e))
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
