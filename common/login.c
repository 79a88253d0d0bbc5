/* login.c: password checks with throttling, shared by login form and password grant */
#include <stdio.h>
#include <string.h>

#include "login.h"
#include "crypto.h"
#include "password.h"

/* A hash of nothing anyone knows, to spend the same time on unknown users. */
static char	*dummy_phc;

static const char *
dummy(struct ctx *c)
{
	struct arena	 a = { 0 };
	unsigned char	 raw[16];
	char		*h;

	if (dummy_phc != NULL)
		return dummy_phc;
	crypto_random(raw, sizeof(raw));
	h = password_hash(&a, (struct str){ (char *)raw, sizeof(raw) });
	dummy_phc = xstrdup(h ? h : "$argon2id$v=19$m=19456,t=2,p=1$x$x");
	arena_free(&a);
	(void)c;
	return dummy_phc;
}

enum login_result
login_check(struct ctx *c, struct str username, struct str password,
    struct user *u)
{
	char	 ukey[96], akey[80];
	long	 n;
	int	 rc, ok;

	snprintf(ukey, sizeof(ukey), "u:%.*s",
	    (int)(username.n > 64 ? 64 : username.n), username.p);
	snprintf(akey, sizeof(akey), "a:%.*s",
	    (int)(c->req.remote_addr.n > 64 ? 64 : c->req.remote_addr.n),
	    c->req.remote_addr.p);
	if ((n = store_failures_count(&c->db, ukey, ukey,
	    LOGIN_FAIL_WINDOW)) == -1)
		return LOGIN_DB;
	if (n >= LOGIN_FAIL_MAX)
		return LOGIN_THROTTLED;
	if ((n = store_failures_count(&c->db, akey, akey,
	    LOGIN_FAIL_WINDOW)) == -1)
		return LOGIN_DB;
	if (n >= c->cfg.login_address_limit)
		return LOGIN_THROTTLED;
	if ((rc = store_user_by_name(&c->db, &c->a, username, u)) == -1)
		return LOGIN_DB;
	if (rc == 1) {
		password_verify(password, str_c(dummy(c)));
		ok = 0;
	} else
		ok = password_verify(password, u->password_hash);
	if (ok) {
		store_failures_clear(&c->db, ukey);
		return LOGIN_OK;
	}
	if (store_failure_add(&c->db, ukey) || store_failure_add(&c->db, akey))
		return LOGIN_DB;
	return LOGIN_BAD;
}
