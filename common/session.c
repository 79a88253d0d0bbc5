/* session.c: the login session cookie and CSRF tokens bound to it */
#include <string.h>

#include "b64.h"
#include "crypto.h"
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
	if (cookie_get(c->req.cookie, name, v) != 0 || v->n != 43)
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

struct str
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

struct str
csrf_make(struct ctx *c, const char *purpose, struct str bind,
    struct str extra)
{
	unsigned char	d[SHA256_LEN];
	struct strbuf	m, out;

	strbuf_init(&m, &c->a);
	strbuf_puts(&m, purpose);
	strbuf_putc(&m, '\0');
	strbuf_append(&m, bind.p, bind.n);
	strbuf_putc(&m, '\0');
	strbuf_append(&m, extra.p, extra.n);
	strbuf_init(&out, &c->a);
	if (crypto_hmac(c->cfg.key, c->cfg.keylen, m.p, m.n, d))
		return STR_LIT("");
	b64url_encode(&out, d, sizeof(d));
	return strbuf_str(&out);
}

struct str
csrf_fingerprint(struct arena *a, const struct str *v, size_t n)
{
	struct strbuf	b;
	size_t		i;

	strbuf_init(&b, a);
	for (i = 0; i < n; i++) {
		strbuf_appendf(&b, "%zu:", v[i].n);
		strbuf_append(&b, v[i].p, v[i].n);
	}
	return strbuf_str(&b);
}

int
csrf_check(struct ctx *c, const char *purpose, struct str bind,
    struct str extra, struct str token)
{
	struct str	want = csrf_make(c, purpose, bind, extra);

	return want.n > 0 && str_eq_ct(want, token);
}

int
request_cross_site(struct ctx *c)
{
	struct str	o = c->req.origin, rest;

	if (str_eq_c(c->req.sec_fetch_site, "cross-site"))
		return 1;
	/*
	 * Under "Referrer-Policy: no-referrer" browsers send "Origin: null"
	 * even for our own forms; Sec-Fetch-Site and the CSRF token decide.
	 */
	if (o.n == 0 || str_eq_c(o, "null"))
		return 0;
	if (str_has_prefix(o, "https://"))
		rest = (struct str){ o.p + 8, o.n - 8 };
	else if (str_has_prefix(o, "http://"))
		rest = (struct str){ o.p + 7, o.n - 7 };
	else
		return 1;
	return !str_eq(rest, c->req.host);
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
	struct str	token;

	return req_param(&c->req, "csrf", &token) == FORM_ONE &&
	    !request_cross_site(c) &&
	    csrf_check(c, "login", session_pre(c), STR_NULL, token);
}
