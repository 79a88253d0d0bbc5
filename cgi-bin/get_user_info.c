/* get_user_info.c: GET|POST /user/get_user_info: QQ's profile API */
#include "fcgi_loop.h"
#include "json.h"
#include "openid.h"
#include "resource.h"

static void
reply_error(struct ctx *c, const struct oerror *e, int bearer, int jsonp,
    struct str cb)
{
	json_object	*o = json_object_new_object();
	int		 status = resource_error_status(c, e, bearer);

	json_object_object_add(o, "ret", json_object_new_int(oerr_qq(e)));
	json_object_object_add(o, "msg", json_object_new_string(oerr_desc(e)));
	resp_json(&c->resp, status, o,
	    jsonp ? RESP_JSONP_NAMED : RESP_JSON, cb);
	json_object_put(o);
}

/* The loop's refusals (405, 413, 400): before the callback is known. */
static void
get_user_info_fail(struct ctx *c, const struct oerror *e)
{
	reply_error(c, e, 0, 0, STR_NULL);
}

static void
add(json_object *o, const char *k, struct str v)
{
	json_object_object_add(o, k, json_str(v));
}

/* QQ's picture fields and the size in pixels each stands for. */
static const struct {
	const char	*field;
	int		 px;
} pictures[] = {
	{ "figureurl", 30 },
	{ "figureurl_1", 50 },
	{ "figureurl_2", 100 },
	{ "figureurl_qq_1", 40 },
	{ "figureurl_qq_2", 100 },
};

/*
 * The user's avatar in every picture field; without one, the absolute
 * URL of the default picture of that size under the issuer, since QQ
 * never answers an empty picture URL.
 */
static void
add_pictures(struct ctx *c, json_object *o, struct str avatar)
{
	struct strbuf	b;
	struct str	iss = str_c(c->cfg.issuer);
	size_t		i;

	while (iss.n > 0 && iss.p[iss.n - 1] == '/')
		iss.n--;
	for (i = 0; i < sizeof(pictures) / sizeof(pictures[0]); i++) {
		if (avatar.n) {
			add(o, pictures[i].field, avatar);
			continue;
		}
		strbuf_init(&b, &c->a);
		strbuf_append(&b, iss.p, iss.n);
		strbuf_appendf(&b, "/static/avatar-default-%d.png",
		    pictures[i].px);
		add(o, pictures[i].field, strbuf_str(&b));
	}
}

static void
get_user_info(struct ctx *c)
{
	struct token_row	 t = { 0 };
	struct oerror		 e = { 0 };
	struct str		 cb = STR_NULL, key, oid;
	struct scopes		 sc;
	json_object		*o;
	char			 want[OPENID_LEN + 1];
	int			 bearer = 0, jsonp = 0;

	if (resource_begin(c, TOKEN_USER, &t, &bearer, &jsonp, &cb, &e))
		goto fail;
	switch (req_param(&c->req, "oauth_consumer_key", &key)) {
	case FORM_ONE:
		break;
	case FORM_DUP:
		OERR_SET(&e, OERR_INVALID_REQUEST, 100000,
		    "oauth_consumer_key repeated");
		goto fail;
	default:
		OERR_SET(&e, OERR_INVALID_REQUEST, 100001,
		    "missing oauth_consumer_key");
		goto fail;
	}
	if (!str_eq(key, t.client_id)) {
		OERR_SET(&e, OERR_INVALID_TOKEN, 100031,
		    "token was not issued to this oauth_consumer_key");
		goto fail;
	}
	if (req_param(&c->req, "openid", &oid) != FORM_ONE) {
		OERR_SET(&e, OERR_INVALID_REQUEST, 100050,
		    "missing or repeated openid");
		goto fail;
	}
	if (t.user_id == 0 || openid_make(c->cfg.key, c->cfg.keylen,
	    t.client_id, t.user_id, want) ||
	    !str_eq_ct(oid, str_c(want))) {
		OERR_SET(&e, OERR_INVALID_TOKEN, 100050,
		    "openid does not match the token");
		goto fail;
	}
	if (scope_parse(&sc, t.scope) || !scope_has(&sc, STR_LIT("get_user_info"))) {
		OERR_SET(&e, OERR_INSUFFICIENT_SCOPE, 100030,
		    "the user did not grant get_user_info");
		goto fail;
	}
	o = json_object_new_object();
	json_object_object_add(o, "ret", json_object_new_int(0));
	json_object_object_add(o, "msg", json_object_new_string(""));
	add(o, "nickname", t.nickname);
	add(o, "gender", t.gender.n ? t.gender : str_c("男"));
	add_pictures(c, o, t.avatar);
	resp_json(&c->resp, 200, o, jsonp ? RESP_JSONP_NAMED : RESP_JSON,
	    cb);
	json_object_put(o);
	return;
fail:
	reply_error(c, &e, bearer, jsonp, cb);
}

static const struct endpoint endpoint = {
	.name = "get_user_info",
	.methods = METHOD_GET | METHOD_POST,
	.flags = EP_CORS,
	.reply = REPLY_RESOURCE,
	.handler = get_user_info,
	.fail = get_user_info_fail,
};

int
main(void)
{
	return fcgi_main(&endpoint);
}
