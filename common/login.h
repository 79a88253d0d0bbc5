/* login.h: the login form flow, and password checks with throttling */
#ifndef LOGIN_H
#define LOGIN_H

#include "fcgi_loop.h"
#include "store.h"
#include "template.h"

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

/*
 * A page that logs its user in with the "login" template: where the form
 * posts, what it shows besides the form (fill: the client's name, hidden
 * fields; NULL: nothing) and how the page answers a database failure.
 */
struct login_form {
	const char	*action;
	void		 (*fill)(struct ctx *, struct tvars *, const void *arg);
	const void	*arg;
	void		 (*db_failure)(struct ctx *);
};

/*
 * Answer the login form with status, the template flag err set (NULL:
 * none) and username filled in; a 429 carries Retry-After.
 */
void	login_page(struct ctx *, const struct login_form *, int status,
	    const char *err, struct str username);

/*
 * Run a posted login form: CSRF and same-site check, then username and
 * password under login_check's limits, then a new session. Returns 0
 * with *u and *session_hash set (the session cookie added), or -1 when
 * the answer has been sent: the form again (403 err_csrf, 200
 * err_bad_login, 429 err_throttled) or f->db_failure.
 */
int	login_form_post(struct ctx *, const struct login_form *, struct user *u,
	    const char **session_hash);

#endif
