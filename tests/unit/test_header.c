/* test_header.c: unit tests of Cookie, Authorization and Accept-Language */
#include <string.h>

#include "unit.h"

#include "b64.h"
#include "header.h"

static void
test_header_cookie(void **state)
{
	static const struct {
		struct str	 h;
		const char	*name;
		int		 rc;
		const char	*want;
	} cases[] = {
		{ SV("sid=abc"), "sid", 0, "abc" },
		{ SV("a=b; sid=xyz; c=d"), "sid", 0, "xyz" },
		{ SV("a=b; c=d"), "a", 0, "b" },
		{ SV("a=b; c=d"), "c", 0, "d" },
		{ SV("a=b;c=d"), "c", 0, "d" },
		{ SV("a=b ;  c=d  "), "a", 0, "b" },
		{ SV("a=b ;  c=d  "), "c", 0, "d" },
		{ SV(";; sid=1;;"), "sid", 0, "1" },
		{ SV("sid="), "sid", 0, "" },
		{ SV("sid=x=y"), "sid", 0, "x=y" },
		{ SV("sid=\"q\""), "sid", 0, "\"q\"" },
		{ SV("xsid=1; sidx=2; sid=3"), "sid", 0, "3" },
		{ SV("SID=1; sid=2"), "sid", 0, "2" },	/* names are exact */
		/* A name seen twice is ambiguous (cookie tossing). */
		{ SV("sid=a; sid=b"), "sid", -1, NULL },
		{ SV("sid=a;sid=a"), "sid", -1, NULL },
		{ SV("sid=; x=1; sid=b"), "sid", -1, NULL },
		{ SV("a=1; sid=a; b=2; sid=b; c=3"), "sid", -1, NULL },
		/* Absent. */
		{ SV(""), "sid", 1, NULL },
		{ SV("   "), "sid", 1, NULL },
		{ SV("sid"), "sid", 1, NULL },		/* no '=' */
		{ SV("sid ; a=b"), "sid", 1, NULL },
		{ SV("a=sid"), "sid", 1, NULL },
		{ SV("si=d"), "sid", 1, NULL },
		{ SV("sid x=1"), "sid", 1, NULL },
	};
	struct str	v;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		v = STR_LIT("untouched");
		CASE_INT(i, header_cookie(cases[i].h, cases[i].name, &v),
		    cases[i].rc);
		if (cases[i].rc == 0) {
			CASE_STR(i, v, cases[i].want);
			/* The value is a view into the header. */
			assert_true(v.p >= cases[i].h.p &&
			    v.p + v.n <= cases[i].h.p + cases[i].h.n);
		} else if (cases[i].rc == 1)
			CASE_STR(i, v, "untouched");
	}
}

static void
test_header_basic(void **state)
{
	static const struct {
		struct str	 h;
		int		 rc;
		const char	*id, *secret;
	} cases[] = {
		/* "client:secret" */
		{ SV("Basic Y2xpZW50OnNlY3JldA=="), 0, "client", "secret" },
		{ SV("basic Y2xpZW50OnNlY3JldA=="), 0, "client", "secret" },
		{ SV("BASIC Y2xpZW50OnNlY3JldA=="), 0, "client", "secret" },
		{ SV("Basic   Y2xpZW50OnNlY3JldA=="), 0, "client", "secret" },
		{ SV("Basic Y2xpZW50OnNlY3JldA"), 0, "client", "secret" },
		/* RFC 6749 §2.3.1: both parts are form-urlencoded. */
		/* "my%20client:s%2Bcret+x" */
		{ SV("Basic bXklMjBjbGllbnQ6cyUyQmNyZXQreA=="), 0,
		  "my client", "s+cret x" },
		/* "a+b:c+d" */
		{ SV("Basic YStiOmMrZA=="), 0, "a b", "c d" },
		/* "%E4%B8%AD:p%C3%A9" */
		{ SV("Basic JUU0JUI4JUFEOnAlQzMlQTk="), 0, "\xe4\xb8\xad",
		  "p\xc3\xa9" },
		/* "id:a%3Ab": an escaped colon belongs to the secret. */
		{ SV("Basic aWQ6YSUzQWI="), 0, "id", "a:b" },
		/* "id:sec:ret": the first colon splits (RFC 7617 §2). */
		{ SV("Basic aWQ6c2VjOnJldA=="), 0, "id", "sec:ret" },
		/* "id:" */
		{ SV("Basic aWQ6"), 0, "id", "" },
		/* Not Basic at all. */
		{ SV(""), 1, NULL, NULL },
		{ SV("Bearer abc"), 1, NULL, NULL },
		{ SV("Digest username=\"x\""), 1, NULL, NULL },
		{ SV("BasicY2xpZW50OnNlY3JldA=="), 1, NULL, NULL },
		{ SV("Basi Y2xp"), 1, NULL, NULL },
		/* Basic, but malformed. */
		{ SV("Basic"), -1, NULL, NULL },
		{ SV("basic"), -1, NULL, NULL },
		{ SV("Basic "), -1, NULL, NULL },
		{ SV("Basic    "), -1, NULL, NULL },
		{ SV("Basic !!!"), -1, NULL, NULL },
		{ SV("Basic Y2xp ZW50"), -1, NULL, NULL },
		{ SV("Basic Y2xpZW50OnNlY3JldA==="), -1, NULL, NULL },
		{ SV("Basic Y2xpZW50OnNlY3JldA= "), -1, NULL, NULL },
		{ SV("Basic Y2xpZW50OnNlY3JldA-_"), -1, NULL, NULL },
		/* "nocolon" */
		{ SV("Basic bm9jb2xvbg=="), -1, NULL, NULL },
		/* ":secret": no client id */
		{ SV("Basic OnNlY3JldA=="), -1, NULL, NULL },
		/* "a\0b:c" */
		{ SV("Basic YQBiOmM="), -1, NULL, NULL },
		/* "a%zz:b" and "id:%zz" */
		{ SV("Basic YSV6ejpi"), -1, NULL, NULL },
		{ SV("Basic aWQ6JXp6"), -1, NULL, NULL },
		/* "id:%00" */
		{ SV("Basic aWQ6JTAw"), -1, NULL, NULL },
		/* "%C3:x": invalid UTF-8 once decoded */
		{ SV("Basic JUMzOng="), -1, NULL, NULL },
	};
	struct arena	a = { 0 };
	struct str	id, secret;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		id = secret = STR_NULL;
		CASE_INT(i, header_basic(&a, cases[i].h, &id, &secret),
		    cases[i].rc);
		if (cases[i].rc != 0)
			continue;
		CASE_STR(i, id, cases[i].id);
		CASE_STR(i, secret, cases[i].secret);
		CASE_INT(i, id.p[id.n], '\0');
		CASE_INT(i, secret.p[secret.n], '\0');
	}
	arena_free(&a);
}

/* The decoded credentials may hold 1 KiB; more is refused, up to 8 KiB. */
static void
test_header_basic_size(void **state)
{
	static const struct {
		size_t	decoded;	/* bytes of "id:" + secret */
		int	rc;
	} cases[] = {
		{ 1000, 0 },
		{ 1023, 0 },
		{ 1024, 0 },
		{ 1025, -1 },
		{ 2048, -1 },
		{ 6144, -1 },	/* an 8 KiB header */
	};
	struct arena	 a = { 0 };
	struct strbuf	 h;
	struct str	 id, secret;
	unsigned char	*raw;
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		raw = arena_alloc(&a, cases[i].decoded);
		memset(raw, 's', cases[i].decoded);
		memcpy(raw, "id:", 3);
		strbuf_init(&h, &a);
		strbuf_puts(&h, "Basic ");
		b64_encode(&h, raw, cases[i].decoded, 1);
		CASE_INT(i, header_basic(&a, strbuf_str(&h), &id, &secret),
		    cases[i].rc);
		if (cases[i].rc == 0) {
			CASE_STR(i, id, "id");
			CASE_INT(i, secret.n, cases[i].decoded - 3);
		}
	}
	/* 8 KiB of base64 alphabet and of junk. */
	strbuf_init(&h, &a);
	strbuf_puts(&h, "Basic ");
	for (i = 0; i < 8192; i++)
		strbuf_putc(&h, 'A');
	assert_int_equal(header_basic(&a, strbuf_str(&h), &id, &secret), -1);
	strbuf_putc(&h, '!');
	assert_int_equal(header_basic(&a, strbuf_str(&h), &id, &secret), -1);
	arena_free(&a);
}

static void
test_header_bearer(void **state)
{
	static const struct {
		struct str	 h;
		int		 rc;
		const char	*want;
	} cases[] = {
		{ SV("Bearer abc"), 0, "abc" },
		{ SV("bearer abc"), 0, "abc" },
		{ SV("BEARER abc"), 0, "abc" },
		{ SV("Bearer   abc"), 0, "abc" },
		{ SV("Bearer Zm9v-._~+/09AZaz"), 0, "Zm9v-._~+/09AZaz" },
		{ SV("Bearer abc="), 0, "abc=" },
		{ SV("Bearer abc=="), 0, "abc==" },
		{ SV("Bearer mF_9.B5f-4.1JqM"), 0, "mF_9.B5f-4.1JqM" },
		/* Not Bearer. */
		{ SV(""), 1, NULL },
		{ SV("Basic Y2xpZW50OnNlY3JldA=="), 1, NULL },
		{ SV("Bearerabc"), 1, NULL },
		{ SV("Bear abc"), 1, NULL },
		{ SV("MAC id=\"x\""), 1, NULL },
		/* Only SP separates scheme and token (RFC 7235 §2.1). */
		{ SV("Bearer\tabc"), 1, NULL },
		/* Bearer, but malformed. */
		{ SV("Bearer"), -1, NULL },
		{ SV("bearer"), -1, NULL },
		{ SV("Bearer "), -1, NULL },
		{ SV("Bearer    "), -1, NULL },
		{ SV("Bearer abc def"), -1, NULL },
		{ SV("Bearer abc "), -1, NULL },
		{ SV("Bearer \tabc"), -1, NULL },
		{ SV("Bearer abc\t"), -1, NULL },
		{ SV("Bearer a\tb"), -1, NULL },
		{ SV("Bearer \"abc\""), -1, NULL },
		{ SV("Bearer abc\""), -1, NULL },
		{ SV("Bearer 'abc'"), -1, NULL },
		{ SV("Bearer ="), -1, NULL },
		{ SV("Bearer =abc"), -1, NULL },
		{ SV("Bearer abc=d"), -1, NULL },
		{ SV("Bearer abc,def"), -1, NULL },
		{ SV("Bearer abc;x"), -1, NULL },
		{ SV("Bearer abc\r\n"), -1, NULL },
		{ SV("Bearer ab\0c"), -1, NULL },
		{ SV("Bearer ab\xc3\xa9"), -1, NULL },
		{ SV("Bearer token=\"abc\""), -1, NULL },
	};
	struct str	v;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		v = STR_LIT("untouched");
		CASE_INT(i, header_bearer(cases[i].h, &v), cases[i].rc);
		CASE_STR(i, v, cases[i].rc == 0 ? cases[i].want : "untouched");
	}
}

/* Tokens up to 4096 characters; longer ones are refused. */
static void
test_header_bearer_size(void **state)
{
	static const struct {
		size_t	len;
		int	rc;
	} cases[] = {
		{ 1, 0 },
		{ 43, 0 },
		{ 4096, 0 },
		{ 4097, -1 },
		{ 8192, -1 },
	};
	struct arena	a = { 0 };
	struct strbuf	h;
	struct str	v;
	size_t		i, k;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		strbuf_init(&h, &a);
		strbuf_puts(&h, "Bearer ");
		for (k = 0; k < cases[i].len; k++)
			strbuf_putc(&h, 'x');
		CASE_INT(i, header_bearer(strbuf_str(&h), &v), cases[i].rc);
		if (cases[i].rc == 0)
			CASE_INT(i, v.n, cases[i].len);
	}
	arena_free(&a);
}

static void
test_accept_language(void **state)
{
	static const struct {
		struct str	 h;
		const char	*want;
	} cases[] = {
		{ SV(""), "zh-CN" },
		{ SV("en"), "en" },
		{ SV("EN"), "en" },
		{ SV("en-US"), "en" },
		{ SV("en-GB,en;q=0.9"), "en" },
		{ SV("zh"), "zh-CN" },
		{ SV("zh-CN"), "zh-CN" },
		{ SV("zh-TW,zh;q=0.9,en;q=0.8"), "zh-CN" },
		{ SV("zh-CN,zh;q=0.9,en-US;q=0.8,en;q=0.7"), "zh-CN" },
		{ SV("en-US,en;q=0.9,zh-CN;q=0.8"), "en" },
		{ SV("zh;q=0.5, en;q=0.8"), "en" },
		{ SV("zh;q=0.8, en;q=0.5"), "zh-CN" },
		/* A tie keeps Chinese. */
		{ SV("en;q=0.5,zh;q=0.5"), "zh-CN" },
		{ SV("en, zh"), "zh-CN" },
		{ SV("en;q=1.0,zh;q=0.999"), "en" },
		{ SV("en;q=0.001"), "en" },
		{ SV("en;q=0"), "zh-CN" },		/* "not acceptable" */
		{ SV("en;q=0.000"), "zh-CN" },
		{ SV("fr-FR,fr;q=0.9"), "zh-CN" },
		{ SV("fr,en;q=0.5"), "en" },
		{ SV("*"), "zh-CN" },
		{ SV("eng"), "zh-CN" },			/* not the en tag */
		{ SV("enx-US"), "zh-CN" },
		{ SV("zhx,en;q=0.1"), "en" },
		{ SV(",,,en,,,"), "en" },
		{ SV("en;q="), "zh-CN" },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++)
		CASE_INT(i, strcmp(header_accept_language(cases[i].h), cases[i].want),
		    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_cookie),
		cmocka_unit_test(test_header_basic),
		cmocka_unit_test(test_header_basic_size),
		cmocka_unit_test(test_header_bearer),
		cmocka_unit_test(test_header_bearer_size),
		cmocka_unit_test(test_accept_language),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
