/* fuzz_redirect_uri.c: fuzz redirect URIs, their origins, scope lists, PKCE, JSONP names */
#include <string.h>

#include "b64.h"
#include "crypto.h"
#include "json.h"
#include "pkce.h"
#include "redirect_uri.h"
#include "scope.h"
#include "urlenc.h"

#include "fuzz.h"

/* 1 if c may appear in a URI built by ruri_param after the base. */
static int
param_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("-._~%=&", c));
}

static void
check_registrable(struct str u)
{
	size_t	i;

	if (!ruri_registrable(u))
		return;
	FUZZ_CHECK(u.n > 0 && u.n <= 2000);
	FUZZ_CHECK(str_has_prefix(u, "https://") ||
	    str_has_prefix(u, "http://"));
	for (i = 0; i < u.n; i++)
		FUZZ_CHECK(u.p[i] > ' ' && u.p[i] < 0x7f && u.p[i] != '#');
}

/*
 * Build base?code=value&state=value: the base is copied verbatim, the
 * separator follows RFC 6749 §3.1.2, what follows it holds no CR, LF,
 * space or '#', and the value decodes back when it is NUL-free UTF-8.
 */
static void
check_response(struct arena *a, struct str base, struct str value,
    int fragment)
{
	struct strbuf	 b;
	struct str	 tail, enc, dec;
	const char	*amp;
	size_t		 i;
	int		 first = 1;
	char		 last = base.n ? base.p[base.n - 1] : '\0';

	strbuf_init(&b, a);
	ruri_begin(&b, base, fragment);
	ruri_param(&b, &first, "code", value);
	ruri_param(&b, &first, "state", value);
	FUZZ_CHECK(b.n > base.n && memcmp(b.p, base.p, base.n) == 0);
	tail.p = b.p + base.n;
	tail.n = b.n - base.n;
	if (fragment)
		FUZZ_CHECK(tail.p[0] == '#');
	else if (memchr(base.p, '?', base.n) == NULL)
		FUZZ_CHECK(tail.p[0] == '?');
	else if (last == '?' || last == '&')
		FUZZ_CHECK(tail.p[0] == 'c');
	else
		FUZZ_CHECK(tail.p[0] == '&');
	if (tail.p[0] != 'c')
		tail.p++, tail.n--;
	for (i = 0; i < tail.n; i++)
		FUZZ_CHECK(param_char(tail.p[i]));
	FUZZ_CHECK(str_has_prefix(tail, "code="));
	FUZZ_CHECK((amp = memchr(tail.p, '&', tail.n)) != NULL);
	enc.p = tail.p + 5;
	enc.n = (size_t)(amp - enc.p);
	FUZZ_CHECK(tail.n == 5 + enc.n + 7 + enc.n);
	FUZZ_CHECK(memcmp(amp, "&state=", 7) == 0 &&
	    memcmp(amp + 7, enc.p, enc.n) == 0);
	if (memchr(value.p, '\0', value.n) == NULL && str_is_utf8(value)) {
		FUZZ_CHECK(url_decode(a, enc, 0, &dec) == 0);
		FUZZ_CHECK(str_eq(dec, value));
	}
}

/* A parsed list holds distinct valid names and survives joining. */
static void
check_scopes(struct arena *a, struct str in)
{
	struct scopes	s, again;
	struct strbuf	b;
	size_t		i, j;

	if (scope_parse(&s, in))
		return;
	FUZZ_CHECK(s.n <= SCOPE_MAX);
	for (i = 0; i < s.n; i++) {
		FUZZ_CHECK(s.v[i].n >= 1 && s.v[i].n <= 64);
		FUZZ_CHECK(memchr(s.v[i].p, ' ', s.v[i].n) == NULL);
		FUZZ_CHECK(memchr(s.v[i].p, ',', s.v[i].n) == NULL);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(!str_eq(s.v[i], s.v[j]));
	}
	strbuf_init(&b, a);
	scope_join(&b, &s, ',');
	FUZZ_CHECK(scope_parse(&again, strbuf_str(&b)) == 0);
	FUZZ_CHECK(again.n == s.n && scope_subset(&s, &again) &&
	    scope_subset(&again, &s));
}

/* A well-formed verifier matches itself (plain) and its S256 challenge. */
static void
check_pkce(struct arena *a, struct str v)
{
	unsigned char	d[SHA256_LEN];
	struct strbuf	b;
	int		ok;

	ok = pkce_well_formed(v);
	FUZZ_CHECK(pkce_verify(PKCE_PLAIN, v, v) == ok);
	FUZZ_CHECK(pkce_verify(PKCE_NONE, v, v) == 0);
	if (!ok)
		return;
	FUZZ_CHECK(v.n >= 43 && v.n <= 128);
	crypto_sha256(v.p, v.n, d);
	strbuf_init(&b, a);
	b64url_encode(&b, d, sizeof(d));
	FUZZ_CHECK(pkce_verify(PKCE_S256, strbuf_str(&b), v) == 1);
	FUZZ_CHECK(pkce_verify(PKCE_S256, v, v) == 0);
}

/* The upper-case form of c, for comparing without case. */
static int
upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/*
 * in is "origin\nuri" (or both at once without a newline). A match is a
 * scheme://authority, with no path, query, fragment or userinfo, that
 * starts uri up to a '/', '?' or its end; and the origin of a registrable
 * URI matches it.
 */
static void
check_origin(struct str in)
{
	struct str	 o = in, u = in;
	const char	*nl = memchr(in.p, '\n', in.n), *sep;
	size_t		 i, start;

	if (nl != NULL) {
		o.n = (size_t)(nl - in.p);
		u.p = nl + 1;
		u.n = in.n - o.n - 1;
	}
	if (ruri_origin_of(o, u)) {
		FUZZ_CHECK(o.n <= u.n && (o.n == u.n || u.p[o.n] == '/' ||
		    u.p[o.n] == '?'));
		sep = memchr(o.p, ':', o.n);
		FUZZ_CHECK(sep != NULL && sep > o.p &&
		    (size_t)(sep - o.p) + 3 < o.n);
		start = (size_t)(sep - o.p) + 3;
		for (i = 0; i < o.n; i++) {
			FUZZ_CHECK(upper((unsigned char)o.p[i]) ==
			    upper((unsigned char)u.p[i]));
			if (i >= start)
				FUZZ_CHECK(o.p[i] != '\0' &&
				    strchr("/?#@\\ ", o.p[i]) == NULL);
		}
	}
	if (!ruri_registrable(in))
		return;
	sep = memchr(in.p, ':', in.n);
	FUZZ_CHECK(sep != NULL);
	start = (size_t)(sep - in.p) + 3;
	for (i = start; i < in.n && in.p[i] != '/' && in.p[i] != '?'; i++)
		if (in.p[i] == '@' || in.p[i] == '\\')
			return;
	o.p = in.p;
	o.n = i;
	if (i > start)
		FUZZ_CHECK(ruri_origin_of(o, in) == 1);
}

static void
check_callback(struct str s)
{
	if (!json_callback_ok(s))
		return;
	FUZZ_CHECK(s.n >= 1 && s.n <= 64);
	FUZZ_CHECK(!(s.p[0] >= '0' && s.p[0] <= '9') && s.p[0] != '.');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	init;
	struct arena	a = { 0 };
	struct str	in = { (const char *)data, size };

	if (!init) {
		FUZZ_CHECK(crypto_init() == 0);
		init = 1;
	}
	check_registrable(in);
	/* Query or fragment by the length's parity: encoding is the cost. */
	check_response(&a, in, in, (int)(size & 1));
	check_scopes(&a, in);
	check_pkce(&a, in);
	check_callback(in);
	check_origin(in);
	arena_free(&a);
	return 0;
}
