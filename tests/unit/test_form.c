/* test_form.c: unit tests of query string and form body parsing */
#include <string.h>

#include "unit.h"

#include "form.h"

/* The parsed list, written as "name=value|name=value" for comparison. */
static struct str
flatten(struct arena *a, const struct form *f)
{
	struct strbuf	b;
	size_t		i;

	strbuf_init(&b, a);
	for (i = 0; i < f->n; i++) {
		if (i)
			strbuf_putc(&b, '|');
		strbuf_append(&b, f->v[i].name.p, f->v[i].name.n);
		strbuf_putc(&b, '=');
		strbuf_append(&b, f->v[i].value.p, f->v[i].value.n);
	}
	return strbuf_str(&b);
}

static void
test_parse(void **state)
{
	static const struct {
		struct str	 in;
		int		 rc;
		const char	*want;
	} cases[] = {
		{ SV(""), 0, "" },
		{ SV("a=1"), 0, "a=1" },
		{ SV("a=1&b=2"), 0, "a=1|b=2" },
		{ SV("a=1&&b=2&"), 0, "a=1|b=2" },
		{ SV("&&&"), 0, "" },
		{ SV("&a=1"), 0, "a=1" },
		{ SV("a"), 0, "a=" },
		{ SV("a="), 0, "a=" },
		{ SV("=v"), 0, "=v" },
		{ SV("="), 0, "=" },
		{ SV("a=b=c"), 0, "a=b=c" },
		{ SV("a=1&a=2"), 0, "a=1|a=2" },
		{ SV("x+y=a+b%21"), 0, "x y=a b!" },
		{ SV("q=%26%3D%2B"), 0, "q=&=+" },
		{ SV("s=%E4%B8%AD"), 0, "s=\xe4\xb8\xad" },
		/* ';' is no separator. */
		{ SV("a=1;b=2"), 0, "a=1;b=2" },
		{ SV("a=%zz"), -1, NULL },
		{ SV("%zz=1"), -1, NULL },
		{ SV("a=%"), -1, NULL },
		{ SV("a=%0"), -1, NULL },
		{ SV("a=%00"), -1, NULL },
		{ SV("a%00=1"), -1, NULL },
		{ SV("ok=1&a=%C3"), -1, NULL },
		{ SV("a=\xff"), -1, NULL },
	};
	struct arena	a = { 0 };
	struct form	f;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		memset(&f, 0, sizeof(f));
		CASE_INT(i, form_parse(&f, &a, cases[i].in), cases[i].rc);
		if (cases[i].rc == 0)
			CASE_STR(i, flatten(&a, &f), cases[i].want);
	}
	arena_free(&a);
}

static void
test_get(void **state)
{
	static const struct {
		const char	*name;
		enum form_get	 rc;
		const char	*value;
		size_t		 count;
	} cases[] = {
		{ "client_id", FORM_ONE, "101", 1 },
		{ "state", FORM_ONE, "a b", 1 },
		{ "scope", FORM_DUP, NULL, 2 },
		{ "empty", FORM_ABSENT, NULL, 1 },
		{ "bare", FORM_ABSENT, NULL, 1 },
		{ "twice_empty", FORM_DUP, NULL, 2 },
		{ "missing", FORM_ABSENT, NULL, 0 },
		{ "client", FORM_ABSENT, NULL, 0 },	/* no prefix match */
		{ "client_id_x", FORM_ABSENT, NULL, 0 },
		{ "CLIENT_ID", FORM_ABSENT, NULL, 0 },	/* case matters */
		{ "", FORM_ONE, "anon", 1 },
	};
	static const struct str	q = SV("client_id=101&state=a+b&scope=x"
	    "&empty=&scope=y&bare&twice_empty=&twice_empty&=anon");
	struct arena		a = { 0 };
	struct form		f = { 0 };
	struct str		v;
	size_t			i;

	(void)state;
	assert_int_equal(form_parse(&f, &a, q), 0);
	for (i = 0; i < NELEM(cases); i++) {
		v = STR_LIT("untouched");
		CASE_INT(i, form_get(&f, cases[i].name, &v), cases[i].rc);
		CASE_STR(i, v, cases[i].value ? cases[i].value : "untouched");
		CASE_INT(i, form_count(&f, cases[i].name), cases[i].count);
	}
	arena_free(&a);
}

static void
test_nth(void **state)
{
	static const struct {
		size_t		 i;
		const char	*want;	/* NULL: STR_NULL */
	} cases[] = {
		{ 0, "a" },
		{ 1, "" },
		{ 2, "c d" },
		{ 3, NULL },
		{ 100, NULL },
	};
	struct arena	a = { 0 };
	struct form	f = { 0 };
	struct str	v;
	size_t		i;

	(void)state;
	assert_int_equal(form_parse(&f, &a,
	    STR_LIT("redirect_uri=a&x=1&redirect_uri=&redirect_uri=c+d")), 0);
	assert_int_equal(form_count(&f, "redirect_uri"), 3);
	for (i = 0; i < NELEM(cases); i++) {
		v = form_nth(&f, "redirect_uri", cases[i].i);
		if (cases[i].want == NULL) {
			assert_null(v.p);
			CASE_INT(i, v.n, 0);
		} else
			CASE_STR(i, v, cases[i].want);
	}
	v = form_nth(&f, "x", 0);
	assert_true(str_eq_c(v, "1"));
	v = form_nth(&f, "nope", 0);
	assert_null(v.p);
	arena_free(&a);
}

/* A second form_parse appends: query and body become one list. */
static void
test_append(void **state)
{
	struct arena	a = { 0 };
	struct form	f = { 0 };
	struct str	v;

	(void)state;
	assert_int_equal(form_parse(&f, &a, STR_LIT("a=1&b=2")), 0);
	assert_int_equal(form_parse(&f, &a, STR_LIT("c=3&a=4")), 0);
	assert_int_equal(f.n, 4);
	assert_int_equal(form_get(&f, "a", &v), FORM_DUP);
	assert_int_equal(form_get(&f, "c", &v), FORM_ONE);
	assert_true(str_eq_c(v, "3"));
	arena_free(&a);
}

/* FORM_MAX_PARAMS parameters parse; one more is refused. */
static void
test_too_many(void **state)
{
	static const struct {
		size_t	params;
		size_t	empty;	/* extra "&" segments, which do not count */
		int	rc;
	} cases[] = {
		{ 1, 0, 0 },
		{ FORM_MAX_PARAMS - 1, 0, 0 },
		{ FORM_MAX_PARAMS, 0, 0 },
		{ FORM_MAX_PARAMS, 500, 0 },
		{ FORM_MAX_PARAMS + 1, 0, -1 },
		{ 10 * FORM_MAX_PARAMS, 0, -1 },
	};
	struct arena	a = { 0 };
	struct strbuf	b;
	struct form	f;
	size_t		i, k;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		strbuf_init(&b, &a);
		for (k = 0; k < cases[i].params; k++)
			strbuf_appendf(&b, "p%zu=%zu&", k, k);
		for (k = 0; k < cases[i].empty; k++)
			strbuf_putc(&b, '&');
		memset(&f, 0, sizeof(f));
		CASE_INT(i, form_parse(&f, &a, strbuf_str(&b)), cases[i].rc);
		if (cases[i].rc == 0)
			CASE_INT(i, f.n, cases[i].params);
		else
			assert_true(f.n <= FORM_MAX_PARAMS);
	}
	/* The cap counts what is already in the list. */
	memset(&f, 0, sizeof(f));
	strbuf_init(&b, &a);
	for (k = 0; k < FORM_MAX_PARAMS; k++)
		strbuf_appendf(&b, "q%zu&", k);
	assert_int_equal(form_parse(&f, &a, strbuf_str(&b)), 0);
	assert_int_equal(form_parse(&f, &a, STR_LIT("one=more")), -1);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_nth),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_too_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
