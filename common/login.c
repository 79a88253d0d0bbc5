/* login.c: password checks with throttling, shared by login form and password grant */
#include <stdio.h>
#include <string.h>

#include "login.h"
#include "password.h"

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
