/* admin.c: /admin/setup (the web installer) and /admin/ (the admin console) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "crypto.h"
#include "login.h"
#include "migrate.h"
#include "password.h"
#include "purge.h"
#include "redirect_uri.h"
#include "session.h"
#include "store_util.h"
#include "urlenc.h"

#define PASSWORD_MIN	8

/* The scopes of SPEC, seeded by the installer. */
static const char *const seed_scopes[][3] = {
	{ "get_user_info", "获得您的昵称、头像、性别",
	    "your nickname, avatar and gender" },
	{ "list_album", "获取您的相册列表", "your photo albums" },
};

static const char *const grant_list[] = {
	"authorization_code", "refresh_token", "password",
	"client_credentials", "implicit",
};
#define NGRANTS	(sizeof(grant_list) / sizeof(grant_list[0]))

/* Notices a redirect may name (?msg=...), and nothing else. */
static const char *const notices[] = {
	"msg_saved", "msg_deleted", "msg_purged", "msg_approved",
	"msg_suspended", "msg_password_reset", "msg_user_added",
	"msg_disabled", "msg_enabled",
};

/* -- the web installer ----------------------------------------------------- */

static void
setup_page(struct ctx *c, int status, const char *msg, struct str name)
{
	struct tvars	*v = tvars_new(&c->a, NULL);

	tvars_set(v, "username", name);
	if (msg != NULL)
		tvars_setc(v, msg, "1");
	if (status == 429)
		resp_header(&c->resp, "Retry-After", STR_LIT("300"));
	page_render(c, status, "setup", v);
}

/* 1 when an administrator exists, 0 when not (or no schema yet), -1. */
static int
installed(struct ctx *c)
{
	PGresult	*res;
	int		 yes;

	if ((res = console_q(c, CQ_ADMIN_EXISTS, NULL)) == NULL)
		return c->db.state == DB_DOWN ? -1 : 0;
	yes = store_bool(res, 0, 0);
	PQclear(res);
	return yes;
}

/* Make the secret key file when absent, then load it. 0 or -1. */
static int
setup_key_file(struct ctx *c)
{
	unsigned char	key[64];
	char		err[512];
	ssize_t		w;
	int		fd;

	fd = open(c->cfg.secret_key_file, O_WRONLY | O_CREAT | O_EXCL |
	    O_CLOEXEC, 0640);
	if (fd == -1 && errno != EEXIST) {
		fprintf(stderr, "admin: cannot create %s: %s\n",
		    c->cfg.secret_key_file, strerror(errno));
		return -1;
	}
	if (fd != -1) {
		crypto_random(key, sizeof(key));
		w = write(fd, key, sizeof(key));
		explicit_bzero(key, sizeof(key));
		if (close(fd) == -1 || w != (ssize_t)sizeof(key)) {
			fprintf(stderr, "admin: cannot write %s\n",
			    c->cfg.secret_key_file);
			unlink(c->cfg.secret_key_file);
			return -1;
		}
	}
	if (config_load_key(&c->cfg, err, sizeof(err))) {
		fprintf(stderr, "admin: %s\n", err);
		return -1;
	}
	return 0;
}

/* In one transaction under a lock: the first administrator, or none. */
static int
setup_admin(struct ctx *c, struct str name, const char *phc, long *made)
{
	const char	*params[2];
	PGresult	*res;
	size_t		 i;

	params[0] = str_dup(&c->a, name);
	params[1] = phc;
	if ((res = db_exec_plain(&c->db, "BEGIN")) == NULL)
		return -1;
	PQclear(res);
	if (console_do(c, CQ_SETUP_LOCK, NULL) < 0 ||
	    (*made = console_do(c, CQ_SETUP_ADMIN, params)) < 0)
		goto fail;
	for (i = 0; i < sizeof(seed_scopes) / sizeof(seed_scopes[0]); i++)
		if (console_do(c, CQ_SCOPE_SEED, seed_scopes[i]) < 0)
			goto fail;
	if ((res = db_exec_plain(&c->db, "COMMIT")) == NULL)
		goto fail;
	PQclear(res);
	return 0;
fail:
	if ((res = db_exec_plain(&c->db, "ROLLBACK")) != NULL)
		PQclear(res);
	return -1;
}

static void
setup(struct ctx *c)
{
	struct str	 key = STR_NULL, name = STR_NULL, pw, pw2;
	struct user	 u;
	char		 err[512], addr[2 + 64 + 1];
	char		*phc;
	const char	*hash;
	long		 nu, na, made;
	int		 rc;

	if ((rc = installed(c)) == -1) {
		page_db_failure(c);
		return;
	}
	if (rc == 1) {
		setup_page(c, 403, "err_installed", STR_NULL);
		return;
	}
	if (c->cfg.setup_key == NULL || strlen(c->cfg.setup_key) < 16) {
		setup_page(c, 403, "err_no_setup_key", STR_NULL);
		return;
	}
	if (!req_is(&c->req, "POST")) {
		setup_page(c, 200, NULL, STR_NULL);
		return;
	}
	if (request_cross_site(c)) {
		setup_page(c, 403, "err_csrf", STR_NULL);
		return;
	}
	/* The schema first: the failure counters live in it. */
	if (migrate_run(&c->db, err, sizeof(err)) < 0) {
		fprintf(stderr, "admin: %s\n", err);
		setup_page(c, c->db.state == DB_DOWN ? 503 : 500,
		    "err_database", STR_NULL);
		return;
	}
	snprintf(addr, sizeof(addr), "a:%.*s",
	    (int)(c->req.remote_addr.n > 64 ? 64 : c->req.remote_addr.n),
	    c->req.remote_addr.p);
	if (store_failures_count(&c->db, "s:setup", addr, LOGIN_FAIL_WINDOW,
	    &nu, &na)) {
		page_db_failure(c);
		return;
	}
	if (nu >= LOGIN_FAIL_MAX || na >= c->cfg.login_address_limit) {
		setup_page(c, 429, "err_throttled", STR_NULL);
		return;
	}
	req_param(&c->req, "username", &name);
	if (req_param(&c->req, "setup_key", &key) != FORM_ONE ||
	    !str_eq_ct(key, str_c(c->cfg.setup_key))) {
		if (store_failure_add(&c->db, "s:setup", addr)) {
			page_db_failure(c);
			return;
		}
		setup_page(c, 403, "err_setup_key", name);
		return;
	}
	if (console_text(c, "username", USERNAME_MAX, 1, &name) ||
	    req_param(&c->req, "password", &pw) != FORM_ONE ||
	    req_param(&c->req, "password2", &pw2) != FORM_ONE ||
	    !str_eq(pw, pw2) || str_utf8_len(pw) < PASSWORD_MIN) {
		setup_page(c, 400, "err_admin_form", name);
		return;
	}
	if (setup_key_file(c)) {
		setup_page(c, 500, "err_key_file", name);
		return;
	}
	if ((phc = password_hash(&c->a, pw)) == NULL ||
	    setup_admin(c, name, phc, &made)) {
		setup_page(c, c->db.state == DB_DOWN ? 503 : 400,
		    "err_admin_taken", name);
		return;
	}
	if (made == 0) {
		setup_page(c, 403, "err_installed", STR_NULL);
		return;
	}
	store_failures_clear(&c->db, "s:setup");
	if (store_user_by_name(&c->db, &c->a, name, &u) != 0 ||
	    console_audit(c, u.username.p, "setup", u.username,
	    STR_LIT("schema, secret key, scopes, first administrator")) ||
	    session_start(c, u.id, &hash)) {
		page_db_failure(c);
		return;
	}
	console_redirect(c, "/admin/");
}

/* -- the console's pages ------------------------------------------------ */

struct view {
	const char	*name;		/* clients client users scopes audit */
	const char	*msg;		/* a notice or error key */
	struct str	 client_id;	/* for "client" */
	struct str	 secret;	/* shown once */
	struct str	 secret_for;
	struct str	 form_name;	/* a refused form's values, kept */
};

static void
scope_items(struct ctx *c, struct tvars *v, PGresult *scopes,
    struct str selected)
{
	struct tvars	*item;
	struct str	 name;
	struct scopes	 sel;
	int		 i;

	if (scope_parse(&sel, selected))
		sel.n = 0;
	for (i = 0; i < PQntuples(scopes); i++) {
		name = store_cell(&c->a, scopes, i, 0);
		item = tvars_add_item(v, "scopes");
		tvars_set(item, "name", name);
		tvars_set(item, "description", store_cell(&c->a, scopes, i,
		    strcmp(c->lang, "en") == 0 &&
		    PQgetlength(scopes, i, 2) ? 2 : 1));
		tvars_set(item, "description_zh",
		    store_cell(&c->a, scopes, i, 1));
		tvars_set(item, "description_en",
		    store_cell(&c->a, scopes, i, 2));
		if (selected.n == 0 || scope_has(&sel, name))
			tvars_setc(item, "checked", "1");
	}
}

static void
grant_items(struct tvars *v, struct str selected)
{
	struct tvars	*item;
	struct scopes	 sel;
	size_t		 i;

	if (scope_parse(&sel, selected))
		sel.n = 0;
	for (i = 0; i < NGRANTS; i++) {
		item = tvars_add_item(v, "grants");
		tvars_setc(item, "name", grant_list[i]);
		/* New clients: authorization_code and refresh_token. */
		if (selected.n == 0 ? i < 2 :
		    scope_has(&sel, str_c(grant_list[i])))
			tvars_setc(item, "checked", "1");
	}
}

/* Fill the variables of one view. 0, 1 not found, -1 database failure. */
static int
view_fill(struct ctx *c, struct tvars *v, const struct view *w)
{
	const char	*params[2];
	PGresult	*res, *scopes = NULL;
	struct tvars	*item;
	struct str	 grants, sc;
	int		 i, rc = 0;

	if (strcmp(w->name, "clients") == 0 || strcmp(w->name, "client") == 0 ||
	    strcmp(w->name, "scopes") == 0) {
		if ((scopes = console_q(c, CQ_SCOPE_LIST, NULL)) == NULL)
			return -1;
	}
	if (strcmp(w->name, "clients") == 0) {
		if ((res = console_q(c, CQ_CLIENT_LIST, NULL)) == NULL) {
			PQclear(scopes);
			return -1;
		}
		for (i = 0; i < PQntuples(res); i++)
			console_client_vars(c, tvars_add_item(v, "clients"),
			    res, i);
		PQclear(res);
		scope_items(c, v, scopes, STR_NULL);
		grant_items(v, STR_NULL);
	} else if (strcmp(w->name, "client") == 0) {
		params[0] = str_dup(&c->a, w->client_id);
		params[1] = NULL;
		if ((res = console_q(c, CQ_CLIENT_ONE, params)) == NULL) {
			PQclear(scopes);
			return -1;
		}
		if (PQntuples(res) != 1)
			rc = 1;
		else {
			console_client_vars(c, v, res, 0);
			grants = store_cell(&c->a, res, 0, 6);
			sc = store_cell(&c->a, res, 0, 7);
			grant_items(v, grants);
			scope_items(c, v, scopes, sc.n ? sc : STR_LIT(" "));
		}
		PQclear(res);
	} else if (strcmp(w->name, "users") == 0) {
		if ((res = console_q(c, CQ_USER_LIST, NULL)) == NULL)
			return -1;
		for (i = 0; i < PQntuples(res); i++) {
			item = tvars_add_item(v, "users");
			tvars_set(item, "name", store_cell(&c->a, res, i, 0));
			tvars_set(item, "nick", store_cell(&c->a, res, i, 1));
			if (store_bool(res, i, 2))
				tvars_setc(item, "admin", "1");
			if (store_bool(res, i, 3))
				tvars_setc(item, "disabled", "1");
			tvars_set(item, "created",
			    store_cell(&c->a, res, i, 4));
		}
		PQclear(res);
	} else if (strcmp(w->name, "scopes") == 0) {
		scope_items(c, v, scopes, STR_NULL);
	} else {
		if ((res = console_q(c, CQ_AUDIT_LIST, NULL)) == NULL)
			return -1;
		for (i = 0; i < PQntuples(res); i++) {
			item = tvars_add_item(v, "audit");
			tvars_set(item, "at", store_cell(&c->a, res, i, 0));
			tvars_set(item, "actor", store_cell(&c->a, res, i, 1));
			tvars_set(item, "action", store_cell(&c->a, res, i, 2));
			tvars_set(item, "target", store_cell(&c->a, res, i, 3));
			tvars_set(item, "detail", store_cell(&c->a, res, i, 4));
			tvars_set(item, "address",
			    store_cell(&c->a, res, i, 5));
		}
		PQclear(res);
	}
	PQclear(scopes);
	return rc;
}

static void
admin_page(struct ctx *c, const struct console *k, int status,
    const struct view *w)
{
	struct tvars	*v = console_vars(c, k);
	char		 key[32];
	int		 rc;

	snprintf(key, sizeof(key), "view_%s", w->name);
	tvars_setc(v, key, "1");
	if (w->msg != NULL)
		tvars_setc(v, w->msg, "1");
	if (w->secret.n) {
		tvars_set(v, "secret", w->secret);
		tvars_set(v, "secret_for", w->secret_for);
	}
	tvars_set(v, "form_name", w->form_name);
	if ((rc = view_fill(c, v, w)) == -1) {
		page_db_failure(c);
		return;
	}
	if (rc == 1) {
		console_error(c, 404, "err_not_found");
		return;
	}
	page_render(c, status, "admin", v);
}

/* -- the console's actions ---------------------------------------------- */

/* The values of the checked boxes called name, joined with ','. */
static struct str
form_joined(struct ctx *c, const char *name)
{
	struct strbuf	b;
	struct str	v;
	size_t		i, n = form_count(&c->req.params, name);

	strbuf_init(&b, &c->a);
	for (i = 0; i < n; i++) {
		v = form_nth(&c->req.params, name, i);
		if (b.n)
			strbuf_putc(&b, ',');
		strbuf_append(&b, v.p, v.n);
	}
	return strbuf_str(&b);
}

/* The checked grants as "a,b" (0), or -1 when none or an unknown one. */
static int
form_grants(struct ctx *c, int public, struct str *out)
{
	struct str	g;
	size_t		i, n = form_count(&c->req.params, "grant");

	for (i = 0; i < n; i++) {
		g = form_nth(&c->req.params, "grant", i);
		if (grant_from_name(g) == 0 ||
		    (public && grant_from_name(g) == GRANT_CLIENT_CREDENTIALS))
			return -1;
	}
	*out = form_joined(c, "grant");
	return out->n ? 0 : -1;
}

/* Name, website, redirect URIs and grants of the client forms. */
struct client_form {
	struct str	name, website, uris, grants, scopes;
};

static int
client_form(struct ctx *c, int public, struct client_form *f)
{
	struct str	text;

	if (console_text(c, "name", 100, 1, &f->name) ||
	    console_text(c, "website", 2000, 0, &f->website) ||
	    (f->website.n && !website_ok(f->website)) ||
	    console_text(c, "redirect_uris", 40000, 1, &text) ||
	    console_uris(c, text, &f->uris) ||
	    form_grants(c, public, &f->grants))
		return -1;
	f->scopes = form_joined(c, "scope");
	return 0;
}

static int
set_uris(struct ctx *c, struct str id, struct str uris)
{
	const char	*params[2];

	params[0] = str_dup(&c->a, id);
	params[1] = str_dup(&c->a, uris);
	return console_do(c, CQ_CLIENT_URIS_CLEAR, params) < 0 ||
	    console_do(c, CQ_CLIENT_URIS_ADD, params) < 0 ? -1 : 0;
}

static void
op_client_add(struct ctx *c, struct console *k, struct view *w)
{
	struct client_form	 f;
	struct str		 secret = STR_NULL, pub = STR_NULL;
	const char		*params[12];
	char			*id = console_client_id(&c->a);

	req_param(&c->req, "public", &pub);
	if (client_form(c, pub.n > 0, &f)) {
		w->msg = "err_client_form";
		w->name = "clients";
		req_param(&c->req, "name", &w->form_name);
		admin_page(c, k, 400, w);
		return;
	}
	if (pub.n == 0)
		secret = crypto_token(&c->a);
	params[0] = id;
	params[1] = f.name.p;
	params[2] = pub.n ? NULL : crypto_digest_param(&c->a, secret);
	params[3] = f.website.p;
	params[4] = f.grants.p;
	params[5] = f.scopes.p;
	params[6] = NULL;
	params[7] = "approved";
	params[8] = params[9] = params[10] = "";
	params[11] = NULL;
	if (console_tx(c, "BEGIN") ||
	    console_do(c, CQ_CLIENT_ADD, params) < 0 ||
	    set_uris(c, str_c(id), f.uris) ||
	    console_audit(c, k->u.username.p, "client.create", str_c(id),
	    f.name) || console_tx(c, "COMMIT")) {
		console_tx(c, "ROLLBACK");
		page_db_failure(c);
		return;
	}
	w->name = "client";
	w->client_id = str_c(id);
	w->secret = secret;
	w->secret_for = str_c(id);
	w->msg = "msg_saved";
	admin_page(c, k, 200, w);
}

static void
op_client_edit(struct ctx *c, struct console *k, struct view *w,
    struct str id)
{
	struct client_form	 f;
	const char		*params[5];
	long			 n;

	if (client_form(c, 0, &f)) {
		w->msg = "err_client_form";
		admin_page(c, k, 400, w);
		return;
	}
	params[0] = str_dup(&c->a, id);
	params[1] = f.name.p;
	params[2] = f.website.p;
	params[3] = f.grants.p;
	params[4] = f.scopes.p;
	if (console_tx(c, "BEGIN") ||
	    (n = console_do(c, CQ_CLIENT_EDIT, params)) < 0 ||
	    (n == 1 && (set_uris(c, id, f.uris) ||
	    console_audit(c, k->u.username.p, "client.edit", id, f.name))) ||
	    console_tx(c, "COMMIT")) {
		console_tx(c, "ROLLBACK");
		page_db_failure(c);
		return;
	}
	if (n == 0) {
		console_error(c, 404, "err_not_found");
		return;
	}
	w->msg = "msg_saved";
	admin_page(c, k, 200, w);
}

/* The actions that ask for the password again on an old login. */
static const char *const sensitive[] = {
	"client_rotate", "client_delete", "client_suspend", "user_password",
	"user_disable", "user_delete",
};

static void
admin_post(struct ctx *c, struct console *k, struct str op)
{
	struct view	 w = { .name = "clients" };
	struct str	 id = STR_NULL, name = STR_NULL, text, text2, secret;
	const char	*params[4], *done = "msg_saved";
	struct strbuf	 b;
	char		*phc;
	size_t		 i;
	long		 n = 0;

	if (!console_csrf_ok(c, k)) {
		console_error(c, 403, "err_csrf");
		return;
	}
	req_param(&c->req, "client_id", &id);
	req_param(&c->req, "user", &name);
	if (id.n) {
		w.name = "client";
		w.client_id = id;
	} else if (str_has_prefix(op, "user_"))
		w.name = "users";
	else if (str_has_prefix(op, "scope_"))
		w.name = "scopes";
	for (i = 0; i < sizeof(sensitive) / sizeof(sensitive[0]); i++) {
		if (!str_eq_c(op, sensitive[i]))
			continue;
		switch (console_reauth(c, k)) {
		case LOGIN_OK:
			break;
		case LOGIN_THROTTLED:
			resp_header(&c->resp, "Retry-After", STR_LIT("300"));
			w.msg = "err_throttled";
			admin_page(c, k, 429, &w);
			return;
		case LOGIN_BAD:
			w.msg = "err_reauth";
			admin_page(c, k, 403, &w);
			return;
		default:
			page_db_failure(c);
			return;
		}
	}
	params[0] = str_dup(&c->a, id.n ? id : name);
	params[1] = params[2] = NULL;
	if (str_eq_c(op, "client_add")) {
		op_client_add(c, k, &w);
		return;
	} else if (str_eq_c(op, "client_edit")) {
		op_client_edit(c, k, &w, id);
		return;
	} else if (str_eq_c(op, "client_rotate")) {
		secret = crypto_token(&c->a);
		params[1] = crypto_digest_param(&c->a, secret);
		if ((n = console_do(c, CQ_CLIENT_SECRET, params)) == 1) {
			w.secret = secret;
			w.secret_for = id;
		}
	} else if (str_eq_c(op, "client_delete")) {
		n = console_do(c, CQ_CLIENT_DELETE, params);
		done = "msg_deleted";
		w.name = "clients";
	} else if (str_eq_c(op, "client_approve")) {
		params[1] = "approved";
		n = console_do(c, CQ_CLIENT_STATUS, params);
		done = "msg_approved";
	} else if (str_eq_c(op, "client_suspend")) {
		params[1] = "suspended";
		if ((n = console_do(c, CQ_CLIENT_STATUS, params)) == 1 &&
		    (console_do(c, CQ_CLIENT_REVOKE_ALL, params) < 0 ||
		    console_do(c, CQ_CLIENT_REVOKE_CC, params) < 0))
			n = -1;
		done = "msg_suspended";
	} else if (str_eq_c(op, "user_add") || str_eq_c(op, "user_password")) {
		if (console_text(c, "user", USERNAME_MAX, 1, &name) ||
		    req_param(&c->req, "new_password", &text) != FORM_ONE ||
		    str_utf8_len(text) < PASSWORD_MIN) {
			w.msg = "err_user_form";
			admin_page(c, k, 400, &w);
			return;
		}
		if ((phc = password_hash(&c->a, text)) == NULL) {
			page_db_failure(c);
			return;
		}
		params[0] = name.p;
		params[1] = phc;
		if (str_eq_c(op, "user_add")) {
			n = console_do(c, CQ_USER_ADD, params);
			done = "msg_user_added";
		} else {
			n = console_do(c, CQ_USER_PASSWORD, params);
			if (n == 1 &&
			    console_do(c, CQ_USER_SESSIONS_END, params) < 0)
				n = -1;
			done = "msg_password_reset";
		}
		if (n == 0 && str_eq_c(op, "user_add")) {
			w.msg = "err_user_taken";
			admin_page(c, k, 409, &w);
			return;
		}
	} else if (str_eq_c(op, "user_disable") ||
	    str_eq_c(op, "user_enable")) {
		params[1] = str_eq_c(op, "user_disable") ? "true" : "false";
		params[2] = k->uid;
		if ((n = console_do(c, CQ_USER_DISABLE, params)) == 1 &&
		    params[1][0] == 't' &&
		    (console_do(c, CQ_USER_SESSIONS_END, params) < 0 ||
		    console_do(c, CQ_USER_REVOKE_ALL, params) < 0))
			n = -1;
		done = params[1][0] == 't' ? "msg_disabled" : "msg_enabled";
	} else if (str_eq_c(op, "user_delete")) {
		params[1] = k->uid;
		n = console_do(c, CQ_USER_DELETE, params);
		done = "msg_deleted";
	} else if (str_eq_c(op, "scope_set")) {
		if (console_text(c, "scope_name", 64, 1, &name) ||
		    console_text(c, "description", 200, 1, &text) ||
		    console_text(c, "description_en", 200, 0, &text2)) {
			w.msg = "err_scope_form";
			admin_page(c, k, 400, &w);
			return;
		}
		params[0] = name.p;
		params[1] = text.p;
		params[2] = text2.p;
		/* The table's CHECK refuses a bad name: a 400, not a 500. */
		if ((n = console_do(c, CQ_SCOPE_SET, params)) < 0 &&
		    c->db.state == DB_ERROR) {
			w.msg = "err_scope_form";
			admin_page(c, k, 400, &w);
			return;
		}
	} else if (str_eq_c(op, "purge")) {
		n = purge_expired(&c->db);
		done = "msg_purged";
		w.name = "audit";
		if (n >= 0)
			n = 1;
	} else {
		console_error(c, 400, "err_bad_request");
		return;
	}
	if (console_missed(c, n))
		return;
	if (console_audit(c, k->u.username.p, str_dup(&c->a, op),
	    id.n ? id : name, STR_NULL)) {
		page_db_failure(c);
		return;
	}
	if (w.secret.n) {
		w.msg = done;
		admin_page(c, k, 200, &w);
		return;
	}
	strbuf_init(&b, &c->a);
	strbuf_appendf(&b, "/admin/?view=%s&msg=%s", w.name, done);
	if (strcmp(w.name, "client") == 0) {
		strbuf_puts(&b, "&id=");
		url_encode(&b, id);
	}
	console_redirect(c, b.p);
}

static void
admin(struct ctx *c)
{
	struct console	 k;
	struct view	 w = { .name = "clients" };
	struct str	 op = STR_NULL, s;
	size_t		 i;

	if (console_request_bad(c))
		return;
	if (str_eq_c(c->req.path, "/admin/setup")) {
		setup(c);
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
	admin_page(c, &k, 200, &w);
}

int
main(void)
{
	return fcgi_main_keyless("admin", admin);
}
