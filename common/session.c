/* session.c: the login session cookie and the pre-session */
#include <string.h>

#include "crypto.h"
#include "csrf.h"
#include "header.h"
#include "session.h"

static void
set_cookie(struct ctx *c, const char *name, struct str value, long max_age)
{
	struct strbuf	b;

	strbuf_init(&b, &c->a);
	strbuf_appendf(&b, "%s=", name);
	strbuf_append(&b, value.p, value.n);
	strbuf_appendf(&b, "; Path=/; HttpOnly; SameSite=Lax; Max-Age=%ld",
	    max_age);
	/* An https issuer is served over TLS, whatever the proxy's hop. */
	if (c->req.https || str_has_prefix(str_c(c->cfg.issuer), "https://"))
		strbuf_puts(&b, "; Secure");
	resp_header(&c->resp, "Set-Cookie", strbuf_str(&b));
}

static int
cookie_token(struct ctx *c, const char *name, struct str *v)
{
	/* Our values are 43 base64url characters; anything else is absent. */
	if (header_cookie(c->req.cookie, name, v) != 0 || v->n != 43)
		return -1;
	return 0;
}

int
session_cookie_hash(struct ctx *c, const char **hash)
{
	struct str	v;

	if (cookie_token(c, SESSION_COOKIE, &v))
		return 1;
	*hash = store_digest(&c->a, v);
	return 0;
}

int
session_current(struct ctx *c, struct user *u, const char **hash)
{
	if (session_cookie_hash(c, hash))
		return 1;
	return store_session_user(&c->db, &c->a, *hash, u);
}

int
session_start(struct ctx *c, long user_id, const char **hash)
{
	struct str	v = crypto_token(&c->a);

	*hash = store_digest(&c->a, v);
	if (store_session_create(&c->db, *hash, user_id, SESSION_TTL))
		return -1;
	set_cookie(c, SESSION_COOKIE, v, SESSION_TTL);
	return 0;
}

void
session_clear_cookie(struct ctx *c)
{
	set_cookie(c, SESSION_COOKIE, STR_LIT("deleted"), 0);
}

/*
 * The value bound to the pre-login form: the oauth_pre cookie, created
 * (with one Set-Cookie header per request) when absent. In the arena.
 */
static struct str
session_pre(struct ctx *c)
{
	struct str	v;

	/* Made once per request: a second call must not set a second one. */
	if (c->pre.n)
		return c->pre;
	if (cookie_token(c, PRESESSION_COOKIE, &v) == 0)
		return c->pre = v;
	v = crypto_token(&c->a);
	set_cookie(c, PRESESSION_COOKIE, v, 3600);
	return c->pre = v;
}

void
session_login_form(struct ctx *c, struct tvars *v, const char *action)
{
	tvars_setc(v, "action", action);
	tvars_set(v, "csrf", csrf_make(c, "login", session_pre(c), STR_NULL));
}

int
session_login_form_ok(struct ctx *c)
{
	return csrf_form_ok(c, "login", session_pre(c), STR_NULL);
}
