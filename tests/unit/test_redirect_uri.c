/* test_redirect_uri.c: unit tests of redirect URI checks and building */
#include <string.h>

#include "unit.h"

#include "redirect_uri.h"

static void
test_registrable(void **state)
{
	static const struct {
		struct str	in;
		int		want;
	} cases[] = {
		{ SV("https://client.example.com/cb"), 1 },
		{ SV("https://client.example.com/cb?x=1&y=2"), 1 },
		{ SV("https://client.example.com:8443/oauth/cb"), 1 },
		{ SV("https://client.example.com"), 1 },
		{ SV("https://a"), 1 },
		{ SV("https://[2001:db8::1]/cb"), 1 },
		{ SV("https://client.example.com/x@y"), 1 },	/* path '@' */
		{ SV("https://client.example.com/cb%20x"), 1 },
		/* Plain http only on loopback (RFC 8252 §7.3). */
		{ SV("http://127.0.0.1/cb"), 1 },
		{ SV("http://127.0.0.1:8080/cb"), 1 },
		{ SV("http://127.0.0.1"), 1 },
		{ SV("http://[::1]/cb"), 1 },
		{ SV("http://[::1]:51004/cb"), 1 },
		{ SV("http://localhost/cb"), 1 },
		{ SV("http://localhost:3000"), 1 },
		{ SV("http://client.example.com/cb"), 0 },
		{ SV("http://localhost.evil.example/cb"), 0 },
		{ SV("http://127.0.0.1.evil.example/cb"), 0 },
		{ SV("http://127.0.0.10/cb"), 0 },
		{ SV("http://localhostx/cb"), 0 },
		{ SV("http://[::1]x/cb"), 0 },
		{ SV("http://evil.example/127.0.0.1"), 0 },
		/* Userinfo, which hides the real host. */
		{ SV("http://127.0.0.1@evil.example/cb"), 0 },
		{ SV("http://localhost@evil.example/cb"), 0 },
		{ SV("http://[::1]@evil.example/cb"), 0 },
		{ SV("https://user@client.example.com/cb"), 0 },
		{ SV("https://user:pass@client.example.com/cb"), 0 },
		{ SV("https://client.example.com@evil.example/cb"), 0 },
		{ SV("https://client.example.com\\@evil.example/"), 0 },
		/* Fragments are not allowed (RFC 6749 §3.1.2). */
		{ SV("https://client.example.com/cb#frag"), 0 },
		{ SV("https://client.example.com/cb#"), 0 },
		{ SV("https://client.example.com/#/cb"), 0 },
		/* Not absolute, or not http(s). */
		{ SV(""), 0 },
		{ SV("/cb"), 0 },
		{ SV("cb"), 0 },
		{ SV("//client.example.com/cb"), 0 },
		{ SV("client.example.com/cb"), 0 },
		{ SV("javascript:alert(1)"), 0 },
		{ SV("javascript://client.example.com/%0aalert(1)"), 0 },
		{ SV("JavaScript:alert(1)"), 0 },
		{ SV("data:text/html,<script>alert(1)</script>"), 0 },
		{ SV("vbscript:msgbox(1)"), 0 },
		{ SV("file:///etc/passwd"), 0 },
		{ SV("ftp://client.example.com/cb"), 0 },
		{ SV("com.example.app:/cb"), 0 },
		{ SV("https:client.example.com/cb"), 0 },
		{ SV("https:/client.example.com/cb"), 0 },
		{ SV("http:/localhost/cb"), 0 },
		{ SV("https ://client.example.com/cb"), 0 },
		/* No host. */
		{ SV("https://"), 0 },
		{ SV("https:///cb"), 0 },
		{ SV("https://:443/cb"), 0 },
		{ SV("http://"), 0 },
		/* Whitespace, controls and non-ASCII bytes. */
		{ SV("https://client.example.com/c b"), 0 },
		{ SV("https://client.example.com/cb "), 0 },
		{ SV(" https://client.example.com/cb"), 0 },
		{ SV("https://client.example.com/c\tb"), 0 },
		{ SV("https://client.example.com/cb\r\nSet-Cookie: x=1"), 0 },
		{ SV("https://client.example.com/cb\n"), 0 },
		{ SV("https://client.example.com/cb\0"), 0 },
		{ SV("https://client.example.com/\x7f"), 0 },
		{ SV("https://client.example.com/\xc3\xa9"), 0 },
		{ SV("https://\xd0\xb0pple.com/cb"), 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++)
		CASE_INT(i, ruri_registrable(cases[i].in), cases[i].want);
}

/* A website: any http(s) host; everything else as for redirect URIs. */
static void
test_website(void **state)
{
	static const struct {
		struct str	in;
		int		want;
	} cases[] = {
		{ SV("https://my.example/"), 1 },
		{ SV("http://my.example/"), 1 },
		{ SV("http://my.example"), 1 },
		{ SV("https://my.example:8443/a?b=c"), 1 },
		{ SV("http://127.0.0.1:8080/demo/"), 1 },
		{ SV("javascript:alert(1)"), 0 },
		{ SV("JavaScript:alert(1)"), 0 },
		{ SV("javascript://my.example/%0aalert(1)"), 0 },
		{ SV("data:text/html,x"), 0 },
		{ SV("vbscript:x"), 0 },
		{ SV("ftp://my.example/"), 0 },
		{ SV("//my.example/"), 0 },
		{ SV("/relative"), 0 },
		{ SV("my.example"), 0 },
		{ SV("https://"), 0 },
		{ SV("https://?x"), 0 },
		{ SV("https://user@my.example/"), 0 },
		{ SV("https://my.example/a b"), 0 },
		{ SV("https://my.example/\r\nX: y"), 0 },
		{ SV(""), 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++)
		CASE_INT(i, ruri_website_ok(cases[i].in), cases[i].want);
}

/* At most 2000 bytes. */
static void
test_registrable_length(void **state)
{
	static const struct {
		size_t	len;
		int	want;
	} cases[] = {
		{ 100, 1 },
		{ 1999, 1 },
		{ 2000, 1 },
		{ 2001, 0 },
		{ 65536, 0 },
	};
	struct arena	a = { 0 };
	struct strbuf	b;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		strbuf_init(&b, &a);
		strbuf_puts(&b, "https://client.example.com/");
		while (b.n < cases[i].len)
			strbuf_putc(&b, 'x');
		CASE_INT(i, ruri_registrable(strbuf_str(&b)), cases[i].want);
	}
	arena_free(&a);
}

static void
test_begin(void **state)
{
	static const struct {
		const char	*base;
		int		 fragment;
		const char	*want;
	} cases[] = {
		{ "https://c.example/cb", 0, "https://c.example/cb?" },
		{ "https://c.example/cb?x=1", 0, "https://c.example/cb?x=1&" },
		{ "https://c.example/cb?", 0, "https://c.example/cb?" },
		{ "https://c.example/cb?x=1&", 0, "https://c.example/cb?x=1&" },
		{ "https://c.example/cb?x", 0, "https://c.example/cb?x&" },
		{ "https://c.example/a?b/c?d", 0,
		  "https://c.example/a?b/c?d&" },
		{ "http://127.0.0.1:8080", 0, "http://127.0.0.1:8080?" },
		/* Implicit grant: parameters in the fragment (§4.2.2). */
		{ "https://c.example/cb", 1, "https://c.example/cb#" },
		{ "https://c.example/cb?x=1", 1, "https://c.example/cb?x=1#" },
		{ "https://c.example/cb?", 1, "https://c.example/cb?#" },
	};
	struct arena	a = { 0 };
	struct strbuf	b;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		strbuf_init(&b, &a);
		ruri_begin(&b, str_c(cases[i].base), cases[i].fragment);
		CASE_STR(i, strbuf_str(&b), cases[i].want);
	}
	arena_free(&a);
}

static void
test_param(void **state)
{
	static const struct {
		struct str	 value;
		const char	*want;
	} cases[] = {
		{ SV("abc"), "abc" },
		{ SV(""), "" },
		{ SV("a b"), "a%20b" },
		{ SV("a+b"), "a%2Bb" },
		{ SV("a&b=c#d"), "a%26b%3Dc%23d" },
		{ SV("x?y/z"), "x%3Fy%2Fz" },
		{ SV("%41"), "%2541" },
		{ SV("-._~"), "-._~" },
		{ SV("\r\n"), "%0D%0A" },
		{ SV("\xe4\xb8\xad"), "%E4%B8%AD" },
	};
	struct arena	a = { 0 };
	struct strbuf	b;
	size_t		i;
	int		first;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		strbuf_init(&b, &a);
		first = 1;
		ruri_param(&b, &first, "state", cases[i].value);
		CASE_INT(i, first, 0);
		CASE_INT(i, strncmp(b.p, "state=", 6), 0);
		CASE_STR(i, ((struct str){ b.p + 6, b.n - 6 }), cases[i].want);
	}
	arena_free(&a);
}

/* Whole response URIs as the authorize endpoint builds them. */
static void
test_build(void **state)
{
	static const struct {
		const char	*base;
		int		 fragment;
		const char	*want;
	} cases[] = {
		{ "https://c.example/cb", 0,
		  "https://c.example/cb?code=Spl%2Fx&state=a%26b%3Dc%23" },
		{ "https://c.example/cb?app=1", 0,
		  "https://c.example/cb?app=1&code=Spl%2Fx"
		  "&state=a%26b%3Dc%23" },
		{ "https://c.example/cb", 1,
		  "https://c.example/cb#code=Spl%2Fx&state=a%26b%3Dc%23" },
	};
	struct arena	a = { 0 };
	struct strbuf	b;
	size_t		i;
	int		first;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		strbuf_init(&b, &a);
		first = 1;
		ruri_begin(&b, str_c(cases[i].base), cases[i].fragment);
		ruri_param(&b, &first, "code", STR_LIT("Spl/x"));
		ruri_param(&b, &first, "state", STR_LIT("a&b=c#"));
		CASE_STR(i, strbuf_str(&b), cases[i].want);
	}
	arena_free(&a);
}

static void
test_origin_of(void **state)
{
	static const struct {
		struct str	origin;
		struct str	uri;
		int		want;
	} cases[] = {
		{ SV("https://site.example"), SV("https://site.example/cb"), 1 },
		{ SV("https://site.example"), SV("https://site.example"), 1 },
		{ SV("https://site.example"), SV("https://site.example?x=1"), 1 },
		{ SV("http://127.0.0.1:8081"),
		    SV("http://127.0.0.1:8081/qc_callback.html"), 1 },
		{ SV("HTTPS://Site.Example"), SV("https://site.example/cb"), 1 },
		{ SV("http://[::1]:9000"), SV("http://[::1]:9000/cb"), 1 },
		/* Another port, scheme or host. */
		{ SV("http://127.0.0.1:80"), SV("http://127.0.0.1:8081/cb"), 0 },
		{ SV("http://127.0.0.1:8081"), SV("http://127.0.0.1:80/cb"), 0 },
		{ SV("http://site.example"), SV("https://site.example/cb"), 0 },
		{ SV("https://site.example.evil"), SV("https://site.example/cb"),
		    0 },
		{ SV("https://site.exampl"), SV("https://site.example/cb"), 0 },
		{ SV("https://evil.example"), SV("https://site.example/cb"), 0 },
		/* Not an origin at all. */
		{ SV("null"), SV("https://site.example/cb"), 0 },
		{ SV(""), SV("https://site.example/cb"), 0 },
		{ SV("https://"), SV("https://site.example/cb"), 0 },
		{ SV("https://site.example/cb"), SV("https://site.example/cb"), 0 },
		{ SV("https://site.example/"), SV("https://site.example/cb"), 0 },
		{ SV("https://site.example?"), SV("https://site.example?x"), 0 },
		{ SV("https://u@site.example"), SV("https://u@site.example/"), 0 },
		{ SV("site.example"), SV("site.example/cb"), 0 },
		{ SV("://site.example"), SV("://site.example/cb"), 0 },
		{ SV("https://site.example"), SV("https://site.example#x"), 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++)
		CASE_INT(i, ruri_origin_of(cases[i].origin, cases[i].uri),
		    cases[i].want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registrable),
		cmocka_unit_test(test_registrable_length),
		cmocka_unit_test(test_website),
		cmocka_unit_test(test_begin),
		cmocka_unit_test(test_param),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_origin_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
