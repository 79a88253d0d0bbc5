/* login.c: the login form flow, and password checks with throttling */
#include <stdio.h>
#include <string.h>

#include "login.h"
#include "page.h"
#include "password.h"
#include "session.h"

/*
 * The Argon2id hash of 32 random bytes nobody kept, with the production
 * parameters: an unknown username costs the same work as a wrong
 * password, in every process from its first request (plain CGI too).
 */
static const char dummy_phc[] = "$argon2id$v=19$m=19456,t=2,p=1$"
    "yqaap8P9OHlMCg+3AySVxw$5/YGcFCBpIY8Cmwsn/nVMVzheAt2hibbDqd+w/HV3tc";

/* The failure counters' keys: "u:" and "a:" then at most 64 characters. */
struct login_keys {
	char	user[2 + USERNAME_MAX * 4 + 1];
	char	addr[2 + 64 + 1];
};

static void
keys_make(struct ctx *c, struct str username, struct login_keys *k)
{
	/* Cut at a character boundary: PostgreSQL refuses broken UTF-8. */
	snprintf(k->user, sizeof(k->user), "u:%.*s",
	    (int)str_utf8_prefix(username, USERNAME_MAX), username.p);
	snprintf(k->addr, sizeof(k->addr), "a:%.*s",
	    (int)(c->req.remote_addr.n > 64 ? 64 : c->req.remote_addr.n),
	    c->req.remote_addr.p);
}

/* LOGIN_OK when neither counter is past its limit. */
static enum login_result
limited(struct ctx *c, const struct login_keys *k)
{
	long	nu, na;

	if (store_failures_count(&c->db, k->user, k->addr, LOGIN_FAIL_WINDOW,
	    &nu, &na))
		return LOGIN_DB;
	if (nu >= LOGIN_FAIL_MAX || na >= c->cfg.login_address_limit)
		return LOGIN_THROTTLED;
	return LOGIN_OK;
}

/* Count the outcome of one password check. */
static enum login_result
settle(struct ctx *c, const struct login_keys *k, int ok)
{
	if (ok) {
		store_failures_clear(&c->db, k->user);
		return LOGIN_OK;
	}
	if (store_failure_add(&c->db, k->user, k->addr))
		return LOGIN_DB;
	return LOGIN_BAD;
}

enum login_result
login_check(struct ctx *c, struct str username, struct str password,
    struct user *u)
{
	struct login_keys	k;
	enum login_result	r;
	int			rc, ok;

	keys_make(c, username, &k);
	if ((r = limited(c, &k)) != LOGIN_OK)
		return r;
	if ((rc = store_user_by_name(&c->db, &c->a, username, u)) == -1)
		return LOGIN_DB;
	if (rc == 1) {
		password_verify(password, STR_LIT(dummy_phc));
		ok = 0;
	} else
		ok = password_verify(password, u->password_hash);
	return settle(c, &k, ok);
}

enum login_result
login_recheck(struct ctx *c, const struct user *u, struct str password)
{
	struct login_keys	k;
	enum login_result	r;

	keys_make(c, u->username, &k);
	if ((r = limited(c, &k)) != LOGIN_OK)
		return r;
	return settle(c, &k, password_verify(password, u->password_hash));
}

void
login_page(struct ctx *c, const struct login_form *f, int status,
    const char *err, struct str username)
{
	struct tvars	*v = tvars_new(&c->a, NULL);

	session_login_form(c, v, f->action);
	if (f->fill != NULL)
		f->fill(c, v, f->arg);
	tvars_set(v, "username", username);
	if (err != NULL)
		tvars_setc(v, err, "1");
	if (status == 429)
		resp_header(&c->resp, "Retry-After", STR_LIT("300"));
	page_render(c, status, "login", v);
}

int
login_form_post(struct ctx *c, const struct login_form *f, struct user *u,
    const char **session_hash)
{
	struct str	name = STR_NULL, pw = STR_NULL;

	req_param(&c->req, "username", &name);
	if (!session_login_form_ok(c)) {
		login_page(c, f, 403, "err_csrf", name);
		return -1;
	}
	/* An empty name is a bad login: no lookup, no failure counted. */
	if (req_param(&c->req, "password", &pw) != FORM_ONE || name.n == 0) {
		login_page(c, f, 200, "err_bad_login", name);
		return -1;
	}
	switch (login_check(c, name, pw, u)) {
	case LOGIN_OK:
		break;
	case LOGIN_BAD:
		login_page(c, f, 200, "err_bad_login", name);
		return -1;
	case LOGIN_THROTTLED:
		login_page(c, f, 429, "err_throttled", name);
		return -1;
	default:
		f->db_failure(c);
		return -1;
	}
	if (session_start(c, u->id, session_hash)) {
		f->db_failure(c);
		return -1;
	}
	return 0;
}
