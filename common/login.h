/* login.h: password checks with throttling, shared by login form and password grant */
#ifndef LOGIN_H
#define LOGIN_H

#include "fcgi_loop.h"
#include "store.h"

#define LOGIN_FAIL_MAX		10	/* SPEC: 429 after 10 in 5 minutes */
#define LOGIN_FAIL_WINDOW	300

enum login_result {
	LOGIN_OK = 0,
	LOGIN_BAD,		/* unknown user or wrong password: same answer */
	LOGIN_THROTTLED,	/* too many failures for this name or address */
	LOGIN_DB		/* database failure; see c->db.state */
};

/*
 * Check username and password. Failures are counted per username and per
 * remote address; past LOGIN_FAIL_MAX for the username (or the config's
 * login_address_limit for the address) in LOGIN_FAIL_WINDOW seconds the
 * answer is LOGIN_THROTTLED without checking. An unknown user costs the
 * same Argon2id work as a known one. On LOGIN_OK *u is loaded.
 */
enum login_result login_check(struct ctx *, struct str username,
	    struct str password, struct user *u);

/*
 * Check the password of a logged-in user (before a password change)
 * under the same counters and limits as login_check.
 */
enum login_result login_recheck(struct ctx *, const struct user *u,
	    struct str password);

#endif
