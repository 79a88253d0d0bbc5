/* console.h: what the web installer, admin and developer consoles share */
#ifndef CONSOLE_H
#define CONSOLE_H

#include "fcgi_loop.h"
#include "login.h"
#include "store.h"
#include "store_console.h"

#define CONSOLE_PASSWORD_MIN	8	/* characters, for every password set */

/* The logged-in user of a console page. */
struct console {
	struct user	 u;
	const char	*hash;		/* the session's digest parameter */
	int		 admin;
	long		 age;		/* seconds since the password */
	struct str	 csrf;		/* token for this session's forms */
	char		 uid[24];	/* u.id in decimal */
};

/*
 * Who is logged in. 0 with *k filled; 1 when nobody is (a login form for
 * action has been answered, lead the name of the console); -1 when a
 * database failure has been answered. A POST with op=login is the login
 * form's: checked (CSRF, throttling), then answered with a 303 to action.
 */
int	console_session(struct ctx *, struct console *k, const char *action,
	    const char *lead);

/* 1 if the posted form carries this session's CSRF token from our site. */
int	console_csrf_ok(struct ctx *, const struct console *k);

/*
 * Sensitive actions: when the login is older than admin_reauth seconds,
 * the form's reauth_password must be the user's password (counted and
 * limited as logins are). LOGIN_OK to go on, else the reason.
 */
enum login_result console_reauth(struct ctx *, struct console *k);

/* Record a change in the audit log. 0 or -1. */
int	console_audit(struct ctx *, const char *actor, const char *action,
	    struct str target, struct str detail);

/* The console page frame's variables: user, csrf, the admin link. */
struct tvars	*console_vars(struct ctx *, const struct console *k);

/* A plain error page in the consoles' look, with message key msg. */
void	console_error(struct ctx *, int status, const char *msg);

/* Redirect (303) to path after a POST. */
void	console_redirect(struct ctx *, const char *path);

/*
 * Parse newline-separated redirect URIs (1 to 16, each registrable) into
 * a newline-joined list. 0, or -1 when one is bad or there are none.
 */
int	console_uris(struct ctx *, struct str text, struct str *out);

/* Checked and trimmed form text: 0, or -1 when over max characters or
 * not one value; required: empty is -1 too. */
int	console_text(struct ctx *, const char *name, size_t max, int required,
	    struct str *out);

/*
 * After an action that changed n rows (-1: failed): answer the database
 * failure, or 404 when nothing matched (another's app, a gone client).
 * 1 when answered.
 */
int	console_missed(struct ctx *, long n);

/*
 * In one transaction: statement q, an edit of the client params[0], and
 * when it changed that row, the client's redirect URIs replaced by uris
 * (newline-separated) and, unless actor is NULL, the audit entry. The
 * rows q changed (0: not found), or -1 (rolled back).
 */
long	console_client_save(struct ctx *, enum cq q,
	    const char *const *params, struct str uris, const char *actor,
	    const char *action, struct str detail);

/* BEGIN, COMMIT or ROLLBACK. 0 or -1. */
int	console_tx(struct ctx *, const char *what);

/* A client's CLIENT_CONSOLE_COLS (store_console.c) of row i into v. */
void	console_client_vars(struct ctx *, struct tvars *v, PGresult *res,
	    int i);

/* A new QQ-style numeric client id (APP ID): ten digits, in the arena. */
char	*console_client_id(struct arena *);

#endif
