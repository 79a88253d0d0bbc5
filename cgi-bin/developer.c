/* developer.c: /developer/: any user registers and manages their own apps */
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "crypto.h"
#include "csrf.h"
#include "page.h"
#include "redirect_uri.h"
#include "store_util.h"
#include "urlenc.h"

#define APPS_MAX	20	/* per developer */

struct dview {
	const char	*msg;
	struct str	 app;		/* the app shown, or none: the list */
	struct str	 key;		/* APP Key shown once */
};

static void
dev_page(struct ctx *c, const struct console *k, int status,
    const struct dview *w)
{
	struct tvars	*v = console_vars(c, k);
	const char	*params[2];
	PGresult	*res;
	int		 i;

	if (w->msg != NULL)
		tvars_setc(v, w->msg, "1");
	if (c->cfg.developer_registration == DEVREG_OFF)
		tvars_setc(v, "registration_off", "1");
	else if (c->cfg.developer_registration == DEVREG_REVIEW)
		tvars_setc(v, "registration_review", "1");
	if (w->app.n) {
		params[0] = str_dup(&c->a, w->app);
		params[1] = k->uid;
		if ((res = store_console_q(c, CQ_CLIENT_ONE, params)) == NULL) {
			page_db_failure(c);
			return;
		}
		if (PQntuples(res) != 1) {
			PQclear(res);
			console_error(c, 404, "err_not_found");
			return;
		}
		tvars_setc(v, "view_app", "1");
		console_client_vars(c, v, res, 0);
		PQclear(res);
	} else {
		params[0] = k->uid;
		if ((res = store_console_q(c, CQ_APP_LIST, params)) == NULL) {
			page_db_failure(c);
			return;
		}
		tvars_setc(v, "view_list", "1");
		for (i = 0; i < PQntuples(res); i++)
			console_client_vars(c, tvars_add_item(v, "apps"),
			    res, i);
		PQclear(res);
	}
	if (w->key.n)
		tvars_set(v, "app_key", w->key);
	page_render(c, status, "developer", v);
}

/* The app form: name, website, callbacks, description, icon, ICP number. */
struct app_form {
	struct str	name, website, uris, description, icon, icp;
};

static int
app_form(struct ctx *c, struct app_form *f)
{
	struct str	text;

	if (console_text(c, "name", 100, 1, &f->name) ||
	    console_text(c, "website", 2000, 1, &f->website) ||
	    !ruri_website_ok(f->website) ||
	    console_text(c, "redirect_uris", 40000, 1, &text) ||
	    console_uris(c, text, &f->uris) ||
	    console_text(c, "description", 1000, 0, &f->description) ||
	    console_text(c, "icon", 2000, 0, &f->icon) ||
	    /* The pages' CSP loads images from https: only. */
	    (f->icon.n && (!ruri_website_ok(f->icon) ||
	    !str_has_prefix(f->icon, "https://"))) ||
	    console_text(c, "icp", 64, 0, &f->icp))
		return -1;
	return 0;
}

/* At APPS_MAX apps a developer registers no more: 1 when answered. */
static int
apps_full(struct ctx *c, struct console *k, struct dview *w)
{
	const char	*params[1] = { k->uid };
	PGresult	*res;
	long		 n;

	if ((res = store_console_q(c, CQ_APP_COUNT, params)) == NULL) {
		page_db_failure(c);
		return 1;
	}
	n = store_long(res, 0, 0);
	PQclear(res);
	if (n < APPS_MAX)
		return 0;
	w->msg = "err_too_many";
	dev_page(c, k, 403, w);
	return 1;
}

static void
op_add(struct ctx *c, struct console *k, struct dview *w)
{
	struct app_form	 f;
	struct str	 key;
	const char	*params[12];
	char		*id, owner[32];

	if (c->cfg.developer_registration == DEVREG_OFF) {
		w->msg = "err_registration_off";
		dev_page(c, k, 403, w);
		return;
	}
	if (app_form(c, &f)) {
		w->msg = "err_app_form";
		dev_page(c, k, 400, w);
		return;
	}
	if (apps_full(c, k, w))
		return;
	id = console_client_id(&c->a);
	key = crypto_token(&c->a);
	/* One unionid per developer, as QQ gives one per developer account. */
	snprintf(owner, sizeof(owner), "user:%s", k->uid);
	params[0] = id;
	params[1] = f.name.p;
	params[2] = store_digest(&c->a, key);
	params[3] = f.website.p;
	params[4] = "authorization_code,refresh_token";
	params[5] = NULL;
	params[6] = k->uid;
	params[7] = c->cfg.developer_registration == DEVREG_OPEN ?
	    "approved" : "review";
	params[8] = f.description.p;
	params[9] = f.icon.p;
	params[10] = f.icp.p;
	params[11] = owner;
	if (console_tx(c, "BEGIN") ||
	    store_console_do(c, CQ_CLIENT_ADD, params) < 0 ||
	    store_console_do(c, CQ_CLIENT_URIS_ADD, (const char *[]){ id,
	    f.uris.p }) < 0 ||
	    console_audit(c, k->u.username.p, "app.register", str_c(id),
	    f.name) || console_tx(c, "COMMIT")) {
		console_tx(c, "ROLLBACK");
		page_db_failure(c);
		return;
	}
	w->app = str_c(id);
	w->key = key;
	w->msg = "msg_registered";
	dev_page(c, k, 200, w);
}

#define ANSWERED	(-2)	/* an action answered the request itself */

/*
 * The actions on one app (params[0] its id, [1] the developer's id):
 * the rows changed (0: not theirs, a 404), -1, or ANSWERED.
 */
static long
app_edit(struct ctx *c, struct console *k, struct dview *w,
    const char **params)
{
	struct app_form	 f;

	if (app_form(c, &f)) {
		w->msg = "err_app_form";
		/* Another's app: dev_page answers 404. */
		dev_page(c, k, 400, w);
		return ANSWERED;
	}
	params[2] = f.name.p;
	params[3] = f.website.p;
	params[4] = f.description.p;
	params[5] = f.icon.p;
	params[6] = f.icp.p;
	/* The audit entry comes after, as for the other app actions. */
	return console_client_save(c, CQ_CLIENT_APP_EDIT, params, f.uris, NULL,
	    NULL, STR_NULL);
}

static long
app_rotate(struct ctx *c, struct console *k, struct dview *w,
    const char **params)
{
	struct str	key = crypto_token(&c->a);
	long		n;

	params[1] = store_digest(&c->a, key);
	params[2] = k->uid;
	if ((n = store_console_do(c, CQ_CLIENT_SECRET, params)) == 1)
		w->key = key;
	return n;
}

static long
app_delete(struct ctx *c, struct console *k, struct dview *w,
    const char **params)
{
	(void)k;
	w->app = STR_NULL;
	return store_console_do(c, CQ_CLIENT_DELETE, params);
}

static const struct {
	const char	*op;
	long		(*run)(struct ctx *, struct console *,
			    struct dview *, const char **);
	const char	*audit;		/* the audit log's action */
	const char	*done;		/* the notice after it */
} app_actions[] = {
	{ "app_edit", app_edit, "app.edit", "msg_saved" },
	{ "app_rotate", app_rotate, "app.rotate_key", "msg_saved" },
	{ "app_delete", app_delete, "app.delete", "msg_deleted" },
};

static void
dev_post(struct ctx *c, struct console *k, struct str op)
{
	struct dview	 w = { 0 };
	struct strbuf	 b;
	struct str	 id = STR_NULL;
	const char	*params[7];
	size_t		 i;
	long		 n;

	if (!console_csrf_ok(c, k)) {
		console_error(c, 403, "err_csrf");
		return;
	}
	if (str_eq_c(op, "app_add")) {
		op_add(c, k, &w);
		return;
	}
	for (i = 0; i < sizeof(app_actions) / sizeof(app_actions[0]); i++)
		if (str_eq_c(op, app_actions[i].op))
			break;
	if (req_param(&c->req, "app_id", &id) != FORM_ONE || id.n > 128 ||
	    i == sizeof(app_actions) / sizeof(app_actions[0])) {
		console_error(c, 400, "err_bad_request");
		return;
	}
	w.app = id;
	params[0] = str_dup(&c->a, id);
	params[1] = k->uid;
	if ((n = app_actions[i].run(c, k, &w, params)) == ANSWERED ||
	    console_missed(c, n))
		return;
	if (console_audit(c, k->u.username.p, app_actions[i].audit, id,
	    STR_NULL)) {
		page_db_failure(c);
		return;
	}
	if (w.key.n) {
		w.msg = "msg_key_rotated";
		dev_page(c, k, 200, &w);
		return;
	}
	strbuf_init(&b, &c->a);
	strbuf_appendf(&b, "/developer/?msg=%s", app_actions[i].done);
	if (w.app.n) {
		strbuf_puts(&b, "&app=");
		url_encode(&b, w.app);
	}
	console_redirect(c, b.p);
}

static void
developer(struct ctx *c)
{
	struct console	 k;
	struct dview	 w = { 0 };
	struct str	 op = STR_NULL, s;

	if (console_session(c, &k, "/developer/", "lead_developer"))
		return;
	if (req_is(&c->req, "POST")) {
		if (req_param(&c->req, "op", &op) != FORM_ONE) {
			console_error(c, 400, "err_bad_request");
			return;
		}
		dev_post(c, &k, op);
		return;
	}
	if (req_param(&c->req, "app", &s) == FORM_ONE)
		w.app = s;
	if (req_param(&c->req, "msg", &s) == FORM_ONE) {
		if (str_eq_c(s, "msg_saved"))
			w.msg = "msg_saved";
		else if (str_eq_c(s, "msg_deleted"))
			w.msg = "msg_deleted";
	}
	dev_page(c, &k, 200, &w);
}

static const struct endpoint endpoint = {
	.name = "developer",
	.methods = METHOD_GET | METHOD_POST,
	.reply = REPLY_PLAIN,
	.handler = developer,
};

int
main(void)
{
	return fcgi_main(&endpoint);
}
