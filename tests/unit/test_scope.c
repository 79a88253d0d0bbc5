/* test_scope.c: unit tests of scope list parsing, comparison and output */
#include <string.h>

#include "unit.h"

#include "scope.h"

/* A scope name of 64 characters. */
#define N64	"n2345678902345678902345678902345" \
		"67890234567890234567890234567890"

/* Parse in into s, failing the test on error. */
static void
parse(struct scopes *s, const char *in)
{
	if (scope_parse(s, str_c(in)) != 0)
		fail_msg("scope_parse(\"%s\") failed", in);
}

static void
test_parse(void **state)
{
	static const struct {
		struct str	 in;
		int		 rc;
		const char	*want;	/* joined with ' ' */
	} cases[] = {
		{ SV(""), 0, "" },
		{ SV("   ,, "), 0, "" },
		{ SV("get_user_info"), 0, "get_user_info" },
		{ SV("get_user_info,add_t,list_album"), 0,
		  "get_user_info add_t list_album" },
		{ SV("a,b c"), 0, "a b c" },
		{ SV("a b"), 0, "a b" },
		{ SV(",a,,b  c,"), 0, "a b c" },
		{ SV(" a "), 0, "a" },
		{ SV("a, b"), 0, "a b" },
		/* Duplicates are dropped; the first place is kept. */
		{ SV("a a,a b"), 0, "a b" },
		{ SV("b,a,b,a"), 0, "b a" },
		{ SV("A a"), 0, "A a" },		/* names are exact */
		{ SV("openid:read a.b-c_D9"), 0, "openid:read a.b-c_D9" },
		{ SV(N64), 0, N64 },
		/* Bad names. */
		{ SV(N64 "5"), -1, NULL },
		{ SV("a;b"), -1, NULL },
		{ SV("a\tb"), -1, NULL },
		{ SV("a\nb"), -1, NULL },
		{ SV("a+b"), -1, NULL },
		{ SV("a/b"), -1, NULL },
		{ SV("a\"b"), -1, NULL },
		{ SV("a%20b"), -1, NULL },
		{ SV("ok bad!"), -1, NULL },
		{ SV("\xc3\xa9"), -1, NULL },
		{ SV("a\0b"), -1, NULL },
	};
	struct arena	a = { 0 };
	struct scopes	s;
	struct strbuf	b;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		CASE_INT(i, scope_parse(&s, cases[i].in), cases[i].rc);
		if (cases[i].rc != 0)
			continue;
		strbuf_init(&b, &a);
		scope_join(&b, &s, ' ');
		CASE_STR(i, strbuf_str(&b), cases[i].want);
	}
	arena_free(&a);
}

/* SCOPE_MAX distinct names parse; one more is refused. */
static void
test_too_many(void **state)
{
	static const struct {
		size_t	distinct;
		size_t	repeats;	/* times the list is given */
		int	rc;
	} cases[] = {
		{ 1, 1, 0 },
		{ SCOPE_MAX, 1, 0 },
		{ SCOPE_MAX, 3, 0 },	/* duplicates do not count */
		{ SCOPE_MAX + 1, 1, -1 },
		{ 1000, 1, -1 },
	};
	struct arena	a = { 0 };
	struct scopes	s;
	struct strbuf	b;
	size_t		i, k, r;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		strbuf_init(&b, &a);
		for (r = 0; r < cases[i].repeats; r++)
			for (k = 0; k < cases[i].distinct; k++)
				strbuf_appendf(&b, "s%zu,", k);
		CASE_INT(i, scope_parse(&s, strbuf_str(&b)), cases[i].rc);
		if (cases[i].rc == 0)
			CASE_INT(i, s.n, cases[i].distinct);
	}
	arena_free(&a);
}

static void
test_subset(void **state)
{
	static const struct {
		const char	*a, *b;
		int		 want;
	} cases[] = {
		{ "", "", 1 },
		{ "", "a", 1 },
		{ "a", "", 0 },
		{ "a", "a", 1 },
		{ "a b", "b a", 1 },
		{ "a", "a,b,c", 1 },
		{ "c a", "a,b,c", 1 },
		{ "a d", "a,b,c", 0 },
		{ "a,b,c", "a b", 0 },
		{ "get", "get_user_info", 0 },
		{ "get_user_info", "get", 0 },
		{ "A", "a", 0 },
	};
	struct scopes	x, y;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		parse(&x, cases[i].a);
		parse(&y, cases[i].b);
		CASE_INT(i, scope_subset(&x, &y), cases[i].want);
	}
}

static void
test_has(void **state)
{
	static const struct {
		struct str	name;
		int		want;
	} cases[] = {
		{ SV("get_user_info"), 1 },
		{ SV("add_t"), 1 },
		{ SV("get"), 0 },
		{ SV("get_user_info_x"), 0 },
		{ SV("GET_USER_INFO"), 0 },
		{ SV(""), 0 },
	};
	struct scopes	s;
	size_t		i;

	(void)state;
	parse(&s, "get_user_info add_t");
	for (i = 0; i < NELEM(cases); i++)
		CASE_INT(i, scope_has(&s, cases[i].name), cases[i].want);
}

static void
test_join(void **state)
{
	static const struct {
		const char	*in;
		char		 sep;
		const char	*want;
	} cases[] = {
		{ "", ' ', "" },
		{ "", ',', "" },
		{ "a", ',', "a" },
		{ "a b c", ',', "a,b,c" },
		{ "a,b,c", ' ', "a b c" },
		{ "get_user_info,get_user_info", ',', "get_user_info" },
	};
	struct arena	a = { 0 };
	struct scopes	s;
	struct strbuf	b;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		parse(&s, cases[i].in);
		strbuf_init(&b, &a);
		strbuf_puts(&b, "scope=");
		scope_join(&b, &s, cases[i].sep);
		CASE_INT(i, strncmp(b.p, "scope=", 6), 0);
		CASE_STR(i, ((struct str){ b.p + 6, b.n - 6 }), cases[i].want);
	}
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_subset),
		cmocka_unit_test(test_has),
		cmocka_unit_test(test_join),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
