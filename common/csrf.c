/* csrf.c: CSRF tokens bound to a session, and the cross-site check */
#include "b64.h"
#include "crypto.h"
#include "csrf.h"

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
csrf_cross_site(struct ctx *c)
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

int
csrf_form_ok(struct ctx *c, const char *purpose, struct str bind,
    struct str extra)
{
	struct str	token;

	return req_param(&c->req, "csrf", &token) == FORM_ONE &&
	    !csrf_cross_site(c) && csrf_check(c, purpose, bind, extra, token);
}
