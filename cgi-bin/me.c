/* me.c: GET /oauth2.0/me: the openid of an access token, QQ's JSONP */
#include "fcgi_loop.h"
#include "json.h"
#include "openid.h"
#include "resource.h"

static void
reply(struct ctx *c, json_object *o, int status, int jsonp, struct str cb)
{
	struct str	fmt;
	enum resp_json	f = RESP_JSONP_QQ;

	if (req_param(&c->req, "fmt", &fmt) == FORM_ONE &&
	    str_eq_c(fmt, "json"))
		f = RESP_JSON;
	else if (jsonp)
		f = RESP_JSONP_NAMED;
	resp_json(&c->resp, status, o, f, cb);
}

static void
reply_error(struct ctx *c, const struct oerror *e, int bearer, int jsonp,
    struct str cb)
{
	json_object	*o = json_object_new_object();
	int		 status = resource_error_status(c, e, bearer);

	json_object_object_add(o, "error", json_object_new_int(oerr_qq(e)));
	json_object_object_add(o, "error_description",
	    json_object_new_string(oerr_desc(e)));
	reply(c, o, status, jsonp, cb);
	json_object_put(o);
}

/* The loop's refusals (405, 413, 400): before the callback is known. */
static void
me_fail(struct ctx *c, const struct oerror *e)
{
	reply_error(c, e, 0, 0, STR_NULL);
}

static void
me(struct ctx *c)
{
	struct token_row	 t = { 0 };
	struct oerror		 e = { 0 };
	struct str		 cb = STR_NULL, v;
	json_object		*o;
	char			 id[OPENID_LEN + 1];
	int			 bearer = 0, jsonp = 0, union_id;

	/* The client's owner is read only for a unionid. */
	union_id = req_param(&c->req, "unionid", &v) == FORM_ONE &&
	    str_eq_c(v, "1");
	if (resource_begin(c, union_id ? TOKEN_OWNER : 0, &t, &bearer, &jsonp,
	    &cb, &e))
		goto fail;
	if (t.user_id == 0) {
		OERR_SET(&e, OERR_INVALID_TOKEN, 100016,
		    "token has no user (client_credentials)");
		goto fail;
	}
	if (openid_make(c->cfg.key, c->cfg.keylen, t.client_id, t.user_id, id)) {
		OERR_SET(&e, OERR_SERVER_ERROR, 0, NULL);
		goto fail;
	}
	/* A unionid ties a user across one owner's clients: none without one. */
	if (union_id && t.owner.n == 0) {
		OERR_SET(&e, OERR_ACCESS_DENIED, 100048,
		    "no unionid permission: the client has no owner");
		goto fail;
	}
	o = json_object_new_object();
	json_object_object_add(o, "client_id", json_str(t.client_id));
	json_object_object_add(o, "openid", json_object_new_string(id));
	if (union_id && openid_unionid(c->cfg.key, c->cfg.keylen, t.owner,
	    t.user_id, id) == 0)
		json_object_object_add(o, "unionid", json_object_new_string(id));
	reply(c, o, 200, jsonp, cb);
	json_object_put(o);
	return;
fail:
	reply_error(c, &e, bearer, jsonp, cb);
}

static const struct endpoint endpoint = {
	.name = "me",
	.methods = METHOD_GET | METHOD_POST,
	.flags = EP_CORS,
	.reply = REPLY_RESOURCE,
	.handler = me,
	.fail = me_fail,
};

int
main(void)
{
	return fcgi_main(&endpoint);
}
