/* test_csrf.c: unit tests of CSRF tokens and the cross-site check */
#include <string.h>

#include "unit.h"

#include "crypto.h"
#include "csrf.h"
#include "fakeio.h"

static struct ctx	c;

static int
setup(void **state)
{
	size_t	i;

	(void)state;
	if (crypto_init())
		return -1;
	config_defaults(&c.cfg);
	for (i = 0; i < 32; i++)
		c.cfg.key[i] = (unsigned char)i;
	c.cfg.keylen = 32;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_free(&c.a);
	return 0;
}

/* base64url(HMAC-SHA256(key, purpose NUL bind NUL extra)), by Python. */
static void
test_known_answers(void **state)
{
	struct str	fp, v[2] = { STR_LIT("a"), STR_LIT("bc") };

	(void)state;
	assert_true(str_eq_c(csrf_make(&c, "login", STR_LIT("pre"), STR_NULL),
	    "3f3vmyL0dvRCixP6GwXsOyd0uV-RQiKGy6ReM3HNRrc"));
	fp = csrf_fingerprint(&c.a, v, 2);
	assert_true(str_eq_c(fp, "1:a2:bc"));
	assert_true(str_eq_c(csrf_make(&c, "end_session", STR_LIT("sess"), fp),
	    "T88LJiXKPNzmM1qM7bvGZGyLZXLxtupDUiwJIoKhLC4"));
}

/* A token holds for its purpose, binding and form, and nothing else. */
static void
test_check(void **state)
{
	static const struct {
		const char	*purpose;
		struct str	 bind;
		struct str	 extra;
	} other[] = {
		{ "grants", SV("s1"), SV("x") },	/* the token's own */
		{ "consent", SV("s1"), SV("x") },
		{ "grants", SV("s2"), SV("x") },
		{ "grants", SV("s1"), SV("y") },
		{ "grants", SV("s1"), SV("") },
		/* The separators keep the fields apart. */
		{ "grants", SV("s1x"), SV("") },
		{ "grantss", SV("1"), SV("x") },
	};
	struct str	tok;
	struct strbuf	b;
	size_t		i;

	(void)state;
	tok = csrf_make(&c, "grants", STR_LIT("s1"), STR_LIT("x"));
	assert_int_equal(tok.n, 43);
	for (i = 0; i < NELEM(other); i++)
		CASE_INT(i, csrf_check(&c, other[i].purpose, other[i].bind,
		    other[i].extra, tok), i == 0);
	/* Cut, lengthened, changed in one character, empty. */
	assert_false(csrf_check(&c, "grants", STR_LIT("s1"), STR_LIT("x"),
	    (struct str){ tok.p, tok.n - 1 }));
	strbuf_init(&b, &c.a);
	strbuf_append(&b, tok.p, tok.n);
	strbuf_putc(&b, 'A');
	assert_false(csrf_check(&c, "grants", STR_LIT("s1"), STR_LIT("x"),
	    strbuf_str(&b)));
	b.p[0] = b.p[0] == 'A' ? 'B' : 'A';
	assert_false(csrf_check(&c, "grants", STR_LIT("s1"), STR_LIT("x"),
	    (struct str){ b.p, tok.n }));
	assert_false(csrf_check(&c, "grants", STR_LIT("s1"), STR_LIT("x"),
	    STR_NULL));
	/* Another server key makes other tokens. */
	c.cfg.key[0] ^= 1;
	assert_false(csrf_check(&c, "grants", STR_LIT("s1"), STR_LIT("x"),
	    tok));
	c.cfg.key[0] ^= 1;
	assert_true(csrf_check(&c, "grants", STR_LIT("s1"), STR_LIT("x"),
	    tok));
}

/* Each value with its length first: no two lists share a fingerprint. */
static void
test_fingerprint(void **state)
{
	struct str	ab_c[2] = { STR_LIT("ab"), STR_LIT("c") };
	struct str	a_bc[2] = { STR_LIT("a"), STR_LIT("bc") };
	struct str	empty[2] = { STR_LIT(""), STR_LIT("") };

	(void)state;
	assert_true(str_eq_c(csrf_fingerprint(&c.a, ab_c, 2), "2:ab1:c"));
	assert_true(str_eq_c(csrf_fingerprint(&c.a, a_bc, 2), "1:a2:bc"));
	assert_true(str_eq_c(csrf_fingerprint(&c.a, empty, 2), "0:0:"));
	assert_true(str_eq_c(csrf_fingerprint(&c.a, empty, 0), ""));
}

static void
test_cross_site(void **state)
{
	static const struct {
		const char	*fetch_site;
		const char	*origin;
		const char	*host;
		int		 cross;
	} cases[] = {
		{ "", "", "as.example", 0 },
		{ "same-origin", "https://as.example", "as.example", 0 },
		{ "", "http://as.example:8080", "as.example:8080", 0 },
		/* no-referrer pages send "Origin: null": the token decides. */
		{ "same-origin", "null", "as.example", 0 },
		{ "cross-site", "", "as.example", 1 },
		{ "cross-site", "https://as.example", "as.example", 1 },
		{ "", "https://evil.example", "as.example", 1 },
		{ "", "https://as.example.evil", "as.example", 1 },
		{ "", "https://as.example:444", "as.example", 1 },
		{ "", "ftp://as.example", "as.example", 1 },
		{ "", "as.example", "as.example", 1 },
		{ "same-site", "https://as.example", "as.example", 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		c.req.sec_fetch_site = str_c(cases[i].fetch_site);
		c.req.origin = str_c(cases[i].origin);
		c.req.host = str_c(cases[i].host);
		CASE_INT(i, csrf_cross_site(&c), cases[i].cross);
	}
}

/* A posted form: its one "csrf" field, from our own site. */
static void
test_form_ok(void **state)
{
	static const struct {
		const char	*head;		/* then ntok times "&csrf=" token */
		int		 ntok;
		const char	*origin;
		int		 ok;
	} cases[] = {
		{ "op=x", 1, "HTTP_ORIGIN=https://as.example", 1 },
		{ "op=x", 1, "HTTP_SEC_FETCH_SITE=same-origin", 1 },
		{ "op=x", 2, "HTTP_ORIGIN=https://as.example", 0 },
		{ "op=x", 0, "HTTP_ORIGIN=https://as.example", 0 },
		{ "op=x&csrf=", 0, "HTTP_ORIGIN=https://as.example", 0 },
		{ "op=x", 1, "HTTP_ORIGIN=https://evil.example", 0 },
		{ "op=x", 1, "HTTP_SEC_FETCH_SITE=cross-site", 0 },
	};
	static struct fakeio	 f;
	static char		 body[256], cl[48];
	const char		*env[6] = { "REQUEST_METHOD=POST",
	    "CONTENT_TYPE=application/x-www-form-urlencoded",
	    "HTTP_HOST=as.example", cl, NULL, NULL };
	struct str		 tok;
	size_t			 i, n;
	int			 k;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		arena_reset(&c.a);
		memset(&c.req, 0, sizeof(c.req));
		tok = csrf_make(&c, "grants", STR_LIT("s1"), STR_NULL);
		n = (size_t)snprintf(body, sizeof(body), "%s", cases[i].head);
		for (k = 0; k < cases[i].ntok; k++)
			n += (size_t)snprintf(body + n, sizeof(body) - n,
			    "&csrf=%.*s", (int)tok.n, tok.p);
		snprintf(cl, sizeof(cl), "CONTENT_LENGTH=%zu", strlen(body));
		env[4] = cases[i].origin;
		fakeio_init(&f, &c.a, env, body, strlen(body));
		req_read(&c.req, &c.a, &f.io, REQ_BODY_MAX);
		CASE_INT(i, csrf_form_ok(&c, "grants", STR_LIT("s1"),
		    STR_NULL), cases[i].ok);
		/* The same form for another session or purpose fails. */
		CASE_INT(i, csrf_form_ok(&c, "grants", STR_LIT("s2"),
		    STR_NULL), 0);
		CASE_INT(i, csrf_form_ok(&c, "login", STR_LIT("s1"),
		    STR_NULL), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_cross_site),
		cmocka_unit_test(test_form_ok),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
