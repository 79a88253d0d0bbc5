/* csrf.h: CSRF tokens bound to a session, and the cross-site check */
#ifndef CSRF_H
#define CSRF_H

#include "fcgi_loop.h"

/*
 * CSRF token = base64url(HMAC(server key, purpose 0 bind 0 extra)),
 * in the arena. bind is the session (or pre-session) value; extra binds
 * the token to the exact form (e.g. the pending authorization request).
 */
struct str csrf_make(struct ctx *, const char *purpose, struct str bind,
	    struct str extra);

/*
 * The values v[0..n-1] of a form, each as "length:" and its bytes, as
 * csrf_make's extra: a token then holds for exactly these values. In the
 * arena.
 */
struct str csrf_fingerprint(struct arena *, const struct str *v, size_t n);

/* 1 if token equals csrf_make(purpose, bind, extra), in constant time. */
int	csrf_check(struct ctx *, const char *purpose, struct str bind,
	    struct str extra, struct str token);

/*
 * 1 if the posted form is ours: its one "csrf" field is
 * csrf_make(purpose, bind, extra) and the request is not cross-site.
 */
int	csrf_form_ok(struct ctx *, const char *purpose, struct str bind,
	    struct str extra);

/*
 * 1 if a state-changing POST plainly comes from another site
 * (Sec-Fetch-Site: cross-site, or an Origin other than our Host).
 */
int	csrf_cross_site(struct ctx *);

#endif
