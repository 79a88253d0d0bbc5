/* userinfo.c: GET|POST /oauth2.0/userinfo: OpenID Connect Core §5.3 */
#include "fcgi_loop.h"
#include "idtoken.h"
#include "json.h"
#include "resource.h"
#include "store_oidc.h"

/* RFC 6750 §3: the challenge; no error code when no token came. */
static void
reply_error(struct ctx *c, const struct oerror *e, int missing)
{
	struct strbuf	b;
	int		status = oerr_status(e->code);

	if (status < 500 && e->code != OERR_METHOD_NOT_ALLOWED &&
	    e->code != OERR_TOO_LARGE) {
		strbuf_init(&b, &c->a);
		strbuf_puts(&b, "Bearer realm=\"oauth2\"");
		if (!missing)
			strbuf_appendf(&b, ", error=\"%s\", "
			    "error_description=\"%s\"", oerr_name(e->code),
			    oerr_desc(e));
		if (e->code == OERR_INSUFFICIENT_SCOPE)
			strbuf_puts(&b, ", scope=\"openid\"");
		resp_header(&c->resp, "WWW-Authenticate", strbuf_str(&b));
		if (missing)
			status = 401;
	}
	resp_plain(&c->resp, status, oerr_desc(e));
}

static void
add(json_object *o, const char *name, struct str v)
{
	if (v.n)
		json_object_object_add(o, name, json_str(v));
}

/*
 * picture is a URL (Core §5.1): an avatar given as a path on this server
 * gets the issuer in front; without one, the default picture that
 * /user/get_user_info gives too (100 px).
 */
static struct str
picture(struct ctx *c, struct str avatar)
{
	struct strbuf	b;
	struct str	iss = str_c(c->cfg.issuer);

	if (avatar.n && avatar.p[0] != '/')
		return avatar;
	while (iss.n > 0 && iss.p[iss.n - 1] == '/')
		iss.n--;
	strbuf_init(&b, &c->a);
	strbuf_append(&b, iss.p, iss.n);
	if (avatar.n)
		strbuf_append(&b, avatar.p, avatar.n);
	else
		strbuf_puts(&b, "/static/avatar-default-100.png");
	return strbuf_str(&b);
}

/* Core §5.1 standard claims of the profile and email scopes. */
static void
claims(struct ctx *c, json_object *o, const struct scopes *s,
    const struct oidc_user *u)
{
	if (scope_has(s, STR_LIT("profile"))) {
		add(o, "name", u->nickname.n ? u->nickname : u->username);
		add(o, "nickname", u->nickname);
		add(o, "preferred_username", u->username);
		add(o, "picture", picture(c, u->avatar));
		json_object_object_add(o, "gender", json_object_new_string(
		    str_eq_c(u->gender, "女") ? "female" : "male"));
		json_object_object_add(o, "locale",
		    json_object_new_string("zh-CN"));
		json_object_object_add(o, "updated_at",
		    json_object_new_int64(u->updated_at));
	}
	if (scope_has(s, STR_LIT("email")) && u->email.n) {
		add(o, "email", u->email);
		json_object_object_add(o, "email_verified",
		    json_object_new_boolean(u->email_verified));
	}
}

static void
userinfo(struct ctx *c)
{
	struct token_row	 t;
	struct oidc_user	 u;
	struct oerror		 e = { 0 };
	struct scopes		 s;
	json_object		*o;
	int			 bearer, rc;

	if (resource_token(c, 0, &t, &bearer, &e))
		goto fail;
	if (t.user_id == 0) {
		OERR_SET(&e, OERR_INVALID_TOKEN, 0, "the token has no user");
		goto fail;
	}
	if (scope_parse(&s, t.scope) || !scope_has(&s, STR_LIT("openid"))) {
		OERR_SET(&e, OERR_INSUFFICIENT_SCOPE, 0,
		    "the token was not granted openid");
		goto fail;
	}
	if ((rc = store_oidc_user(&c->db, &c->a, t.user_id, &u)) != 0) {
		if (rc == -1)
			oerror_from_db(c, &e);
		else
			OERR_SET(&e, OERR_INVALID_TOKEN, 0, "no such user");
		goto fail;
	}
	o = json_object_new_object();
	json_object_object_add(o, "sub",
	    json_str(idtoken_sub(c, t.client_id, t.user_id)));
	claims(c, o, &s, &u);
	resp_json(&c->resp, 200, o, RESP_JSON, STR_NULL);
	json_object_put(o);
	return;
fail:
	reply_error(c, &e, e.qq == 100007);
}

/* The loop's refusals (405, 413, 400). */
static void
userinfo_fail(struct ctx *c, const struct oerror *e)
{
	reply_error(c, e, 0);
}

static const struct endpoint endpoint = {
	.name = "userinfo",
	.methods = METHOD_GET | METHOD_POST,
	.reply = REPLY_RESOURCE,
	.handler = userinfo,
	.fail = userinfo_fail,
};

int
main(void)
{
	return fcgi_main(&endpoint);
}
