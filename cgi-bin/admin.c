/* admin.c: /admin/setup (the web installer) and /admin/ (the admin console) */
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "console_admin.h"
#include "console_setup.h"
#include "crypto.h"
#include "login.h"
#include "page.h"
#include "password.h"
#include "purge.h"
#include "urlenc.h"

/* Notices a redirect may name (?msg=...), and nothing else. */
static const char *const notices[] = {
	"msg_saved", "msg_deleted", "msg_purged", "msg_approved",
	"msg_suspended", "msg_password_reset", "msg_user_added",
	"msg_disabled", "msg_enabled",
};

#define ANSWERED	(-2)	/* an action answered the request itself */

/*
 * What an action has: the client (client_id) or user (user) it is about,
 * the page to show after it and the notice there.
 */
struct action {
	struct str		 id, name;
	const char		*params[4];	/* [0]: the id or name */
	const char		*done;
	struct console_view	 w;
};

/*
 * The actions. Each returns the rows it changed (0: nothing matched, a
 * 404), -1 on a database failure, or ANSWERED.
 */
static long
act_client_add(struct ctx *c, struct console *k, struct action *x)
{
	console_admin_client_add(c, k, &x->w);
	return ANSWERED;
}

static long
act_client_edit(struct ctx *c, struct console *k, struct action *x)
{
	console_admin_client_edit(c, k, &x->w, x->id);
	return ANSWERED;
}

static long
act_client_rotate(struct ctx *c, struct console *k, struct action *x)
{
	struct str	secret = crypto_token(&c->a);
	long		n;

	(void)k;
	x->params[1] = store_digest(&c->a, secret);
	if ((n = store_console_do(c, CQ_CLIENT_SECRET, x->params)) == 1) {
		x->w.secret = secret;
		x->w.secret_for = x->id;
	}
	return n;
}

static long
act_client_delete(struct ctx *c, struct console *k, struct action *x)
{
	(void)k;
	x->w.name = "clients";
	return store_console_do(c, CQ_CLIENT_DELETE, x->params);
}

static long
act_client_approve(struct ctx *c, struct console *k, struct action *x)
{
	(void)k;
	x->params[1] = "approved";
	return store_console_do(c, CQ_CLIENT_STATUS, x->params);
}

/* Suspended: every token of the client is dead at once. */
static long
act_client_suspend(struct ctx *c, struct console *k, struct action *x)
{
	long	n;

	(void)k;
	x->params[1] = "suspended";
	if ((n = store_console_do(c, CQ_CLIENT_STATUS, x->params)) == 1 &&
	    (store_console_do(c, CQ_CLIENT_REVOKE_ALL, x->params) < 0 ||
	    store_console_do(c, CQ_CLIENT_REVOKE_CC, x->params) < 0))
		n = -1;
	return n;
}

/* The user form: name and new password into params[0], [1] (a PHC). */
static long
user_form(struct ctx *c, struct console *k, struct action *x)
{
	struct str	 pw;
	char		*phc;

	if (console_text(c, "user", USERNAME_MAX, 1, &x->name) ||
	    req_param(&c->req, "new_password", &pw) != FORM_ONE ||
	    str_utf8_len(pw) < CONSOLE_PASSWORD_MIN) {
		x->w.msg = "err_user_form";
		console_admin_page(c, k, 400, &x->w);
		return ANSWERED;
	}
	if ((phc = password_hash(&c->a, pw)) == NULL) {
		page_db_failure(c);
		return ANSWERED;
	}
	x->params[0] = x->name.p;
	x->params[1] = phc;
	return 0;
}

static long
act_user_add(struct ctx *c, struct console *k, struct action *x)
{
	long	n;

	if ((n = user_form(c, k, x)) != 0)
		return n;
	if ((n = store_console_do(c, CQ_USER_ADD, x->params)) == 0) {
		x->w.msg = "err_user_taken";
		console_admin_page(c, k, 409, &x->w);
		return ANSWERED;
	}
	return n;
}

/* A new password ends the user's sessions. */
static long
act_user_password(struct ctx *c, struct console *k, struct action *x)
{
	long	n;

	if ((n = user_form(c, k, x)) != 0)
		return n;
	if ((n = store_console_do(c, CQ_USER_PASSWORD, x->params)) == 1 &&
	    store_console_do(c, CQ_USER_SESSIONS_END, x->params) < 0)
		n = -1;
	return n;
}

/* Disabled: the user's sessions end and their tokens die. */
static long
act_user_disable(struct ctx *c, struct console *k, struct action *x)
{
	long	n;

	x->params[1] = "true";
	x->params[2] = k->uid;
	if ((n = store_console_do(c, CQ_USER_DISABLE, x->params)) == 1 &&
	    (store_console_do(c, CQ_USER_SESSIONS_END, x->params) < 0 ||
	    store_console_do(c, CQ_USER_REVOKE_ALL, x->params) < 0))
		n = -1;
	return n;
}

static long
act_user_enable(struct ctx *c, struct console *k, struct action *x)
{
	x->params[1] = "false";
	x->params[2] = k->uid;
	return store_console_do(c, CQ_USER_DISABLE, x->params);
}

static long
act_user_delete(struct ctx *c, struct console *k, struct action *x)
{
	x->params[1] = k->uid;
	return store_console_do(c, CQ_USER_DELETE, x->params);
}

static long
act_scope_set(struct ctx *c, struct console *k, struct action *x)
{
	struct str	name, text, text2;
	long		n;

	if (console_text(c, "scope_name", 64, 1, &name) ||
	    console_text(c, "description", 200, 1, &text) ||
	    console_text(c, "description_en", 200, 0, &text2))
		goto refused;
	x->name = name;
	x->params[0] = name.p;
	x->params[1] = text.p;
	x->params[2] = text2.p;
	/* The table's CHECK refuses a bad name: a 400, not a 500. */
	if ((n = store_console_do(c, CQ_SCOPE_SET, x->params)) >= 0 ||
	    c->db.state != DB_ERROR)
		return n;
refused:
	x->w.msg = "err_scope_form";
	console_admin_page(c, k, 400, &x->w);
	return ANSWERED;
}

/* oauthctl purge's batched walk (common/purge.c). */
static long
act_purge(struct ctx *c, struct console *k, struct action *x)
{
	(void)k;
	x->w.name = "audit";
	return purge_expired(&c->db) < 0 ? -1 : 1;
}

static const struct {
	const char	*op;
	long		(*run)(struct ctx *, struct console *,
			    struct action *);
	const char	*done;		/* the notice after it */
	int		 sensitive;	/* password again on an old login */
} actions[] = {
	{ "client_add", act_client_add, NULL, 0 },
	{ "client_edit", act_client_edit, NULL, 0 },
	{ "client_rotate", act_client_rotate, "msg_saved", 1 },
	{ "client_delete", act_client_delete, "msg_deleted", 1 },
	{ "client_approve", act_client_approve, "msg_approved", 0 },
	{ "client_suspend", act_client_suspend, "msg_suspended", 1 },
	{ "user_add", act_user_add, "msg_user_added", 0 },
	{ "user_password", act_user_password, "msg_password_reset", 1 },
	{ "user_disable", act_user_disable, "msg_disabled", 1 },
	{ "user_enable", act_user_enable, "msg_enabled", 0 },
	{ "user_delete", act_user_delete, "msg_deleted", 1 },
	{ "scope_set", act_scope_set, "msg_saved", 0 },
	{ "purge", act_purge, "msg_purged", 0 },
};
#define NACTIONS	(sizeof(actions) / sizeof(actions[0]))

/* A sensitive action on an old login: the password again. 1 if answered. */
static int
reauth_refused(struct ctx *c, struct console *k, struct console_view *w)
{
	switch (console_reauth(c, k)) {
	case LOGIN_OK:
		return 0;
	case LOGIN_THROTTLED:
		resp_header(&c->resp, "Retry-After", STR_LIT("300"));
		w->msg = "err_throttled";
		console_admin_page(c, k, 429, w);
		return 1;
	case LOGIN_BAD:
		w->msg = "err_reauth";
		console_admin_page(c, k, 403, w);
		return 1;
	default:
		page_db_failure(c);
		return 1;
	}
}

/* After an action: audited, then the secret shown or a redirect (303). */
static void
admin_done(struct ctx *c, struct console *k, struct str op, long n,
    struct action *x)
{
	struct strbuf	b;

	if (console_missed(c, n))
		return;
	if (console_audit(c, k->u.username.p, str_dup(&c->a, op),
	    x->id.n ? x->id : x->name, STR_NULL)) {
		page_db_failure(c);
		return;
	}
	if (x->w.secret.n) {
		x->w.msg = x->done;
		console_admin_page(c, k, 200, &x->w);
		return;
	}
	strbuf_init(&b, &c->a);
	strbuf_appendf(&b, "/admin/?view=%s&msg=%s", x->w.name, x->done);
	if (strcmp(x->w.name, "client") == 0) {
		strbuf_puts(&b, "&id=");
		url_encode(&b, x->id);
	}
	console_redirect(c, b.p);
}

static void
admin_post(struct ctx *c, struct console *k, struct str op)
{
	struct action	 x = { .w = { .name = "clients" } };
	size_t		 i;
	long		 n;

	if (!console_csrf_ok(c, k)) {
		console_error(c, 403, "err_csrf");
		return;
	}
	req_param(&c->req, "client_id", &x.id);
	req_param(&c->req, "user", &x.name);
	if (x.id.n) {
		x.w.name = "client";
		x.w.client_id = x.id;
	} else if (str_has_prefix(op, "user_"))
		x.w.name = "users";
	else if (str_has_prefix(op, "scope_"))
		x.w.name = "scopes";
	for (i = 0; i < NACTIONS; i++)
		if (str_eq_c(op, actions[i].op))
			break;
	if (i == NACTIONS) {
		console_error(c, 400, "err_bad_request");
		return;
	}
	if (actions[i].sensitive && reauth_refused(c, k, &x.w))
		return;
	x.params[0] = str_dup(&c->a, x.id.n ? x.id : x.name);
	x.done = actions[i].done;
	if ((n = actions[i].run(c, k, &x)) != ANSWERED)
		admin_done(c, k, op, n, &x);
}

static void
admin(struct ctx *c)
{
	struct console		 k;
	struct console_view	 w = { .name = "clients" };
	struct str		 op = STR_NULL, s;
	size_t			 i;

	if (str_eq_c(c->req.path, "/admin/setup")) {
		console_setup(c);
		return;
	}
	if (c->cfg.keylen == 0) {
		console_error(c, 503, "err_not_installed");
		return;
	}
	if (console_session(c, &k, "/admin/", "lead_admin"))
		return;
	if (!k.admin) {
		console_error(c, 403, "err_not_admin");
		return;
	}
	if (req_is(&c->req, "POST")) {
		if (req_param(&c->req, "op", &op) != FORM_ONE) {
			console_error(c, 400, "err_bad_request");
			return;
		}
		admin_post(c, &k, op);
		return;
	}
	if (req_param(&c->req, "view", &s) == FORM_ONE) {
		if (str_eq_c(s, "users"))
			w.name = "users";
		else if (str_eq_c(s, "scopes"))
			w.name = "scopes";
		else if (str_eq_c(s, "audit"))
			w.name = "audit";
		else if (str_eq_c(s, "client") &&
		    req_param(&c->req, "id", &w.client_id) == FORM_ONE)
			w.name = "client";
	}
	if (req_param(&c->req, "msg", &s) == FORM_ONE)
		for (i = 0; i < sizeof(notices) / sizeof(notices[0]); i++)
			if (str_eq_c(s, notices[i]))
				w.msg = notices[i];
	console_admin_page(c, &k, 200, &w);
}

static const struct endpoint endpoint = {
	.name = "admin",
	.methods = METHOD_GET | METHOD_POST,
	.flags = EP_KEYLESS,
	.reply = REPLY_PLAIN,
	.handler = admin,
};

int
main(void)
{
	return fcgi_main(&endpoint);
}
