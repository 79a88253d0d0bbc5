/* grants.c: /user/grants: a user's authorized clients, revoke, password */
#include <stdio.h>

#include "crypto.h"
#include "csrf.h"
#include "fcgi_loop.h"
#include "login.h"
#include "page.h"
#include "password.h"
#include "session.h"

#define GRANTS_MAX	100

static const struct login_form login_form = {
	.action = "/user/grants",
	.db_failure = page_db_failure,
};

static void
grants_page(struct ctx *c, int status, const struct user *u,
    const char *hash, const char *msg)
{
	struct tvars		*v = tvars_new(&c->a, NULL), *item;
	struct grant_row	 rows[GRANTS_MAX];
	long			 i, n;

	if ((n = store_consent_list(&c->db, &c->a, u->id, c->lang, rows,
	    GRANTS_MAX)) < 0) {
		page_db_failure(c);
		return;
	}
	tvars_setc(v, "action", "/user/grants");
	tvars_set(v, "csrf", csrf_make(c, "grants", str_c(hash), STR_NULL));
	tvars_set(v, "nickname", u->nickname.n ? u->nickname : u->username);
	tvars_set(v, "avatar", u->avatar);
	tvars_set(v, "username", u->username);
	if (msg != NULL)
		tvars_setc(v, msg, "1");
	for (i = 0; i < n; i++) {
		item = tvars_add_item(v, "grants");
		tvars_set(item, "client_id", rows[i].client_id);
		tvars_set(item, "client_name", rows[i].client_name);
		tvars_set(item, "client_website", rows[i].client_website);
		tvars_set(item, "client_icon", rows[i].client_icon);
		tvars_set(item, "scopes", rows[i].scopes);
		tvars_set(item, "granted_at", rows[i].granted_at);
	}
	page_render(c, status, "grants", v);
}

static void
do_login(struct ctx *c)
{
	struct user	 u;
	const char	*hash;

	if (login_form_post(c, &login_form, &u, &hash) == 0)
		grants_page(c, 200, &u, hash, NULL);
}

static void
do_password(struct ctx *c, const struct user *u, const char *hash)
{
	struct str	 old, new;
	char		*phc;

	if (req_param(&c->req, "old_password", &old) != FORM_ONE ||
	    req_param(&c->req, "new_password", &new) != FORM_ONE ||
	    new.n < 8) {
		grants_page(c, 400, u, hash, "err_password");
		return;
	}
	/* Counted and limited as logins are: a session is no licence to guess. */
	switch (login_recheck(c, u, old)) {
	case LOGIN_OK:
		break;
	case LOGIN_BAD:
		grants_page(c, 400, u, hash, "err_password");
		return;
	case LOGIN_THROTTLED:
		resp_header(&c->resp, "Retry-After", STR_LIT("300"));
		grants_page(c, 429, u, hash, "err_throttled");
		return;
	default:
		page_db_failure(c);
		return;
	}
	if ((phc = password_hash(&c->a, new)) == NULL ||
	    store_user_set_password(&c->db, u->id, phc) ||
	    store_session_delete_others(&c->db, u->id, hash)) {
		page_db_failure(c);
		return;
	}
	grants_page(c, 200, u, hash, "msg_password_changed");
}

static void
grants(struct ctx *c)
{
	struct str	 op = STR_NULL, client;
	struct user	 u;
	const char	*hash;
	int		 rc;

	if (req_is(&c->req, "POST"))
		req_param(&c->req, "op", &op);
	if (str_eq_c(op, "login")) {
		do_login(c);
		return;
	}
	if ((rc = session_current(c, &u, &hash)) == -1) {
		page_db_failure(c);
		return;
	}
	if (rc == 1) {
		login_page(c, &login_form, 200, NULL, STR_NULL);
		return;
	}
	if (op.n == 0) {
		grants_page(c, 200, &u, hash, NULL);
		return;
	}
	if (!csrf_form_ok(c, "grants", str_c(hash), STR_NULL)) {
		resp_plain(&c->resp, 403, "the form expired or came from "
		    "another site");
		return;
	}
	if (str_eq_c(op, "password")) {
		do_password(c, &u, hash);
		return;
	}
	if (!str_eq_c(op, "revoke") ||
	    req_param(&c->req, "client_id", &client) != FORM_ONE) {
		resp_plain(&c->resp, 400, "bad request");
		return;
	}
	if (store_grant_revoke(&c->db, u.id, client)) {
		page_db_failure(c);
		return;
	}
	grants_page(c, 200, &u, hash, "msg_revoked");
}

static const struct endpoint endpoint = {
	.name = "grants",
	.methods = METHOD_GET | METHOD_POST,
	.reply = REPLY_PLAIN,
	.handler = grants,
};

int
main(void)
{
	return fcgi_main(&endpoint);
}
