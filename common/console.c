/* console.c: what the web installer, admin and developer consoles share */
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "crypto.h"
#include "csrf.h"
#include "login.h"
#include "page.h"
#include "redirect_uri.h"
#include "session.h"
#include "store_user.h"
#include "store_util.h"

#define CONSOLE_URIS_MAX	16

/* The login page of a console: its lead text, and the console's look. */
static void
login_fill(struct ctx *c, struct tvars *v, const void *lead)
{
	(void)c;
	tvars_setc(v, lead, "1");
	tvars_setc(v, "console", "1");
}

int
console_session(struct ctx *c, struct console *k, const char *action,
    const char *lead)
{
	const char	*params[1], *hash;
	PGresult	*res;
	struct str	 op = STR_NULL;
	const struct login_form f = { action, login_fill, lead,
	    page_db_failure };

	memset(k, 0, sizeof(*k));
	if (req_is(&c->req, "POST"))
		req_param(&c->req, "op", &op);
	if (str_eq_c(op, "login")) {
		/* The login flow of login.c; a session then goes to action. */
		if (login_form_post(c, &f, &k->u, &hash) == 0)
			console_redirect(c, action);
		return 1;
	}
	if (session_cookie_hash(c, &k->hash)) {
		login_page(c, &f, 200, NULL, STR_NULL);
		return 1;
	}
	params[0] = k->hash;
	if ((res = store_console_q(c, CQ_SESSION, params)) == NULL) {
		page_db_failure(c);
		return -1;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		login_page(c, &f, 200, NULL, STR_NULL);
		return 1;
	}
	store_user_row(&c->a, res, 0, &k->u);
	k->admin = store_bool(res, 0, 6);
	k->age = store_long(res, 0, 7);
	PQclear(res);
	store_num(k->uid, sizeof(k->uid), k->u.id);
	k->csrf = csrf_make(c, "grants", str_c(k->hash), STR_NULL);
	return 0;
}

int
console_csrf_ok(struct ctx *c, const struct console *k)
{
	return csrf_form_ok(c, "grants", str_c(k->hash), STR_NULL);
}

enum login_result
console_reauth(struct ctx *c, struct console *k)
{
	const char		*params[1] = { k->hash };
	struct str		 pw;
	enum login_result	 r;

	if (k->age < c->cfg.admin_reauth)
		return LOGIN_OK;
	if (req_param(&c->req, "reauth_password", &pw) != FORM_ONE ||
	    pw.n == 0)
		return LOGIN_BAD;
	if ((r = login_recheck(c, &k->u, pw)) != LOGIN_OK)
		return r;
	if (store_console_do(c, CQ_REAUTHED, params) < 0)
		return LOGIN_DB;
	k->age = 0;
	return LOGIN_OK;
}

int
console_audit(struct ctx *c, const char *actor, const char *action,
    struct str target, struct str detail)
{
	const char	*params[5];

	params[0] = actor;
	params[1] = action;
	params[2] = str_dup(&c->a, target);
	params[3] = str_dup(&c->a, detail);
	params[4] = str_dup(&c->a, c->req.remote_addr);
	return store_console_do(c, CQ_AUDIT_ADD, params) < 0 ? -1 : 0;
}

struct tvars *
console_vars(struct ctx *c, const struct console *k)
{
	struct tvars	*v = tvars_new(&c->a, NULL);

	tvars_set(v, "csrf", k->csrf);
	tvars_set(v, "username", k->u.username);
	tvars_set(v, "nickname", k->u.nickname.n ? k->u.nickname :
	    k->u.username);
	if (k->admin)
		tvars_setc(v, "is_admin", "1");
	if (k->age >= c->cfg.admin_reauth)
		tvars_setc(v, "reauth", "1");
	return v;
}

void
console_error(struct ctx *c, int status, const char *msg)
{
	struct tvars	*v = tvars_new(&c->a, NULL);
	char		 s[8];

	snprintf(s, sizeof(s), "%d", status);
	tvars_setc(v, "status", s);
	tvars_setc(v, msg, "1");
	page_render(c, status, "console_error", v);
}

void
console_redirect(struct ctx *c, const char *path)
{
	resp_redirect(&c->resp, 303, str_c(path));
}

int
console_uris(struct ctx *c, struct str text, struct str *out)
{
	struct strbuf	b;
	struct str	u;
	size_t		i = 0, start, n = 0;

	strbuf_init(&b, &c->a);
	while (i < text.n) {
		start = i;
		while (i < text.n && text.p[i] != '\n')
			i++;
		u = (struct str){ text.p + start, i - start };
		i++;
		while (u.n && (u.p[u.n - 1] == '\r' || u.p[u.n - 1] == ' ' ||
		    u.p[u.n - 1] == '\t'))
			u.n--;
		while (u.n && (u.p[0] == ' ' || u.p[0] == '\t'))
			u.p++, u.n--;
		if (u.n == 0)
			continue;
		if (++n > CONSOLE_URIS_MAX || !ruri_registrable(u))
			return -1;
		if (b.n)
			strbuf_putc(&b, '\n');
		strbuf_append(&b, u.p, u.n);
	}
	if (n == 0)
		return -1;
	*out = strbuf_str(&b);
	return 0;
}

int
console_text(struct ctx *c, const char *name, size_t max, int required,
    struct str *out)
{
	struct str	v = STR_NULL;

	if (req_param(&c->req, name, &v) == FORM_DUP)
		return -1;
	while (v.n && (v.p[0] == ' ' || v.p[0] == '\t'))
		v.p++, v.n--;
	while (v.n && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\t' ||
	    v.p[v.n - 1] == '\r' || v.p[v.n - 1] == '\n'))
		v.n--;
	if ((required && v.n == 0) || str_utf8_len(v) > max ||
	    memchr(v.p ? v.p : "", '\0', v.n) != NULL)
		return -1;
	*out = (struct str){ v.n ? str_dup(&c->a, v) : "", v.n };
	return 0;
}

char *
console_client_id(struct arena *a)
{
	unsigned char	r[8];
	unsigned long	v = 0;
	char		buf[16];
	size_t		i;

	crypto_random(r, sizeof(r));
	for (i = 0; i < sizeof(r); i++)
		v = v << 8 | r[i];
	snprintf(buf, sizeof(buf), "%lu", 1000000000UL + v % 9000000000UL);
	return arena_strndup(a, buf, strlen(buf));
}

long
console_client_save(struct ctx *c, enum cq q, const char *const *params,
    struct str uris, const char *actor, const char *action,
    struct str detail)
{
	const char	*up[2] = { params[0], uris.p };
	long		 n;

	if (console_tx(c, "BEGIN") ||
	    (n = store_console_do(c, q, params)) < 0 ||
	    (n == 1 && (store_console_do(c, CQ_CLIENT_URIS_CLEAR, params) < 0 ||
	    store_console_do(c, CQ_CLIENT_URIS_ADD, up) < 0 ||
	    (actor != NULL && console_audit(c, actor, action,
	    str_c(params[0]), detail)))) ||
	    console_tx(c, "COMMIT")) {
		console_tx(c, "ROLLBACK");
		return -1;
	}
	return n;
}

int
console_tx(struct ctx *c, const char *what)
{
	PGresult	*res;

	if ((res = db_exec_plain(&c->db, what)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

void
console_client_vars(struct ctx *c, struct tvars *v, PGresult *res, int i)
{
	struct str	status = store_cell(&c->a, res, i, 3);

	tvars_set(v, "client_id", store_cell(&c->a, res, i, 0));
	tvars_set(v, "client_name", store_cell(&c->a, res, i, 1));
	tvars_set(v, "website", store_cell(&c->a, res, i, 2));
	tvars_setc(v, str_eq_c(status, "review") ? "st_review" :
	    str_eq_c(status, "suspended") ? "st_suspended" : "st_approved",
	    "1");
	tvars_set(v, "developer", store_cell(&c->a, res, i, 4));
	if (store_bool(res, i, 5))
		tvars_setc(v, "public", "1");
	tvars_set(v, "grant_list", store_cell(&c->a, res, i, 6));
	tvars_set(v, "scope_list", store_cell(&c->a, res, i, 7));
	tvars_set(v, "redirect_uris", store_cell(&c->a, res, i, 8));
	tvars_set(v, "description", store_cell(&c->a, res, i, 9));
	tvars_set(v, "icon", store_cell(&c->a, res, i, 10));
	tvars_set(v, "icp", store_cell(&c->a, res, i, 11));
	tvars_set(v, "created", store_cell(&c->a, res, i, 12));
}

int
console_missed(struct ctx *c, long n)
{
	if (n < 0)
		page_db_failure(c);
	else if (n == 0)
		console_error(c, 404, "err_not_found");
	return n <= 0;
}
