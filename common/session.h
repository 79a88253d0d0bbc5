/* session.h: the login session cookie and the pre-session */
#ifndef SESSION_H
#define SESSION_H

#include "fcgi_loop.h"
#include "store.h"

#define SESSION_COOKIE	"oauth_session"
#define PRESESSION_COOKIE "oauth_pre"
#define SESSION_TTL	(7 * 86400)

/*
 * Load the user of the request's session cookie. Returns 0 with *u and
 * *hash (the digest parameter of the session id) set, 1 when there is no
 * live session, -1 on a database failure.
 */
int	session_current(struct ctx *, struct user *u, const char **hash);

/*
 * The digest parameter of the request's session cookie, for a lookup
 * of the caller's own: 0 with *hash set, 1 when there is no such cookie.
 */
int	session_cookie_hash(struct ctx *, const char **hash);

/*
 * Start a new session for user_id (a fresh id: no fixation) and add its
 * Set-Cookie header. Returns 0 with *hash set, or -1 on database failure.
 */
int	session_start(struct ctx *, long user_id, const char **hash);

/* Expire the session cookie in the browser. */
void	session_clear_cookie(struct ctx *);

/*
 * Fill the login form's variables: action, and the csrf token bound to
 * the pre-session (created when absent).
 */
void	session_login_form(struct ctx *, struct tvars *v, const char *action);

/*
 * Check a posted login form: csrf against the pre-session, same-site
 * origin. Returns 1 if it may proceed.
 */
int	session_login_form_ok(struct ctx *);

#endif
