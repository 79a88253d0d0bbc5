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

enum login_result
login_check(struct ctx *c, struct str username, struct str password,
    struct user *u)
{
	char	 ukey[96], akey[80];
	long	 nu, na;
	int	 rc, ok;

	snprintf(ukey, sizeof(ukey), "u:%.*s",
	    (int)(username.n > 64 ? 64 : username.n), username.p);
	snprintf(akey, sizeof(akey), "a:%.*s",
	    (int)(c->req.remote_addr.n > 64 ? 64 : c->req.remote_addr.n),
	    c->req.remote_addr.p);
	if (store_failures_count(&c->db, ukey, akey, LOGIN_FAIL_WINDOW, &nu,
	    &na))
		return LOGIN_DB;
	if (nu >= LOGIN_FAIL_MAX || na >= c->cfg.login_address_limit)
		return LOGIN_THROTTLED;
	if ((rc = store_user_by_name(&c->db, &c->a, username, u)) == -1)
		return LOGIN_DB;
	if (rc == 1) {
		password_verify(password, STR_LIT(dummy_phc));
		ok = 0;
	} else
		ok = password_verify(password, u->password_hash);
	if (ok) {
		store_failures_clear(&c->db, ukey);
		return LOGIN_OK;
	}
	if (store_failure_add(&c->db, ukey, akey))
		return LOGIN_DB;
	return LOGIN_BAD;
}
