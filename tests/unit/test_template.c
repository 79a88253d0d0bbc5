/* test_template.c: unit tests of template rendering */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "template.h"

/*
 * The variables every case renders with:
 *   x = "X", name = markup, empty = "", raw = "{{x}}",
 *   list = [ { s = "a", sub = [ { t = "1" }, { t = "2" } ] },
 *            { s = "b<", x = "Y" } ]
 */
static struct tvars *
fixture(struct arena *a)
{
	struct tvars	*v, *item;

	v = tvars_new(a, NULL);
	tvars_setc(v, "x", "X");
	tvars_setc(v, "name", "<b>Tom & 'Jerry'</b>");
	tvars_setc(v, "empty", "");
	tvars_setc(v, "raw", "{{x}}");
	item = tvars_add_item(v, "list");
	tvars_setc(item, "s", "a");
	tvars_setc(tvars_add_item(item, "sub"), "t", "1");
	tvars_setc(tvars_add_item(item, "sub"), "t", "2");
	item = tvars_add_item(v, "list");
	tvars_setc(item, "s", "b<");
	tvars_setc(item, "x", "Y");
	return v;
}

/*
 * Render t from an exactly sized heap copy, so that a read past the end
 * of the template is caught under ASan.
 */
static int
render(struct strbuf *out, const char *t, const struct tvars *v)
{
	size_t	 n = strlen(t);
	char	*copy = xmalloc(n);
	int	 rc;

	memcpy(copy, t, n);
	rc = template_render(out, (struct str){ copy, n }, v);
	free(copy);
	return rc;
}

static void
test_render(void **state)
{
	static const struct {
		const char	*t;
		const char	*want;
	} cases[] = {
		{ "", "" },
		{ "hello", "hello" },
		{ "{{x}}", "X" },
		{ "a{{x}}b{{x}}c", "aXbXc" },
		{ "{{ x }}", "" },		/* names are exact */
		/* Values are always HTML-escaped, and never parsed again. */
		{ "{{name}}", "&lt;b&gt;Tom &amp; &#39;Jerry&#39;&lt;/b&gt;" },
		{ "<p title=\"{{name}}\">", "<p title=\"&lt;b&gt;Tom &amp; "
		  "&#39;Jerry&#39;&lt;/b&gt;\">" },
		{ "{{raw}}", "{{x}}" },
		/* There is no raw form. */
		{ "{{{name}}}", "}" },
		{ "{{&name}}", "" },
		/* Unknown variables are empty. */
		{ "[{{nope}}]", "[]" },
		{ "[{{}}]", "[]" },
		/* Lists. */
		{ "{{#list}}[{{s}}]{{/list}}", "[a][b&lt;]" },
		{ "{{#list}}{{x}}{{/list}}", "XY" },	/* parent, then own */
		{ "{{#list}}{{s}}:{{#sub}}{{t}}{{/sub}};{{/list}}",
		  "a:12;b&lt;:;" },
		{ "{{#list}}{{#sub}}{{s}}{{t}}{{/sub}}{{/list}}", "a1a2" },
		{ "{{#nolist}}z{{/nolist}}", "" },
		{ "{{#x}}z{{/x}}", "" },		/* a value is no list */
		{ "{{#list}}{{/list}}", "" },
		/* Conditionals. */
		{ "{{?x}}yes{{/x}}", "yes" },
		{ "{{?empty}}yes{{/empty}}", "" },
		{ "{{?nope}}yes{{/nope}}", "" },
		{ "{{^x}}no{{/x}}", "" },
		{ "{{^empty}}no{{/empty}}", "no" },
		{ "{{^nope}}no{{/nope}}", "no" },
		{ "{{?list}}has{{/list}}", "has" },
		{ "{{^list}}none{{/list}}", "" },
		{ "{{?x}}[{{x}}]{{/x}}{{^x}}-{{/x}}", "[X]" },
		/* Nesting. */
		{ "{{?x}}{{#list}}{{?sub}}<{{s}}>{{/sub}}{{/list}}{{/x}}",
		  "<a>" },
		{ "{{#list}}{{^sub}}{{s}}{{/sub}}{{/list}}", "b&lt;" },
		{ "{{?x}}a{{?x}}b{{/x}}c{{/x}}", "abc" },
		{ "{{?x}}a{{^x}}b{{/x}}c{{/x}}", "ac" },
		{ "{{^empty}}{{?x}}both{{/x}}{{/empty}}", "both" },
		{ "{{?x}}{{?empty}}no{{/empty}}{{/x}}", "" },
		/* Lone braces are text. */
		{ "a}}b", "a}}b" },
		{ "{x}}", "{x}}" },
		{ "{ {x} }", "{ {x} }" },
		{ "{", "{" },
	};
	struct arena	 a = { 0 };
	struct tvars	*v;
	struct strbuf	 b;
	size_t		 i;

	(void)state;
	v = fixture(&a);
	for (i = 0; i < NELEM(cases); i++) {
		strbuf_init(&b, &a);
		CASE_INT(i, render(&b, cases[i].t, v), 0);
		CASE_STR(i, strbuf_str(&b), cases[i].want);
	}
	arena_free(&a);
}

static void
test_malformed(void **state)
{
	static const char	*cases[] = {
		"{{",
		"{{x",
		"a{{x}",
		"a{{",
		"{{x}}{{",
		"{{#list}}",
		"{{#list}}a",
		"{{?x}}a",
		"{{^x}}",
		"{{/x}}",
		"a{{/x}}b",
		"{{#list}}{{/lis}}",
		"{{#list}}{{/list}",
		"{{?x}}{{/x}}{{/x}}",
		"{{?x}}{{#list}}{{/x}}{{/list}}",	/* crossed */
		"{{#list}}{{",
		"{{#list}}{{s",
		"{{?x}}{{y}}",
		"{{?x}}{{?x}}{{/x}}",
		"{{#list}}{{#sub}}{{/list}}{{/sub}}",
		"{{#list}}{{/sub}}{{/list}}",
	};
	struct arena	 a = { 0 };
	struct tvars	*v;
	struct strbuf	 b;
	size_t		 i;

	(void)state;
	v = fixture(&a);
	for (i = 0; i < NELEM(cases); i++) {
		strbuf_init(&b, &a);
		CASE_INT(i, render(&b, cases[i], v), -1);
	}
	arena_free(&a);
}

/* Sections nest 8 deep; a ninth level is refused. */
static void
test_depth(void **state)
{
	static const struct {
		size_t	depth;
		int	same;	/* one name for every level, else distinct */
		int	rc;
	} cases[] = {
		{ 1, 1, 0 },
		{ 8, 1, 0 },
		{ 9, 1, -1 },
		{ 8, 0, 0 },
		{ 9, 0, -1 },
		{ 64, 0, -1 },
	};
	struct arena	 a = { 0 };
	struct tvars	*v;
	struct strbuf	 t, b;
	size_t		 i, k;

	(void)state;
	v = tvars_new(&a, NULL);
	for (k = 0; k < 64; k++) {
		strbuf_init(&t, &a);
		strbuf_appendf(&t, "v%zu", k);
		tvars_setc(v, t.p, "1");
	}
	tvars_setc(v, "v", "1");
	for (i = 0; i < NELEM(cases); i++) {
		strbuf_init(&t, &a);
		for (k = 0; k < cases[i].depth; k++) {
			if (cases[i].same)
				strbuf_puts(&t, "{{?v}}");
			else
				strbuf_appendf(&t, "{{?v%zu}}", k);
		}
		strbuf_puts(&t, "in");
		for (k = cases[i].depth; k-- > 0;) {
			if (cases[i].same)
				strbuf_puts(&t, "{{/v}}");
			else
				strbuf_appendf(&t, "{{/v%zu}}", k);
		}
		strbuf_init(&b, &a);
		CASE_INT(i, render(&b, t.p, v), cases[i].rc);
		if (cases[i].rc == 0)
			CASE_STR(i, strbuf_str(&b), "in");
	}
	arena_free(&a);
}

static void
test_tvars(void **state)
{
	struct arena	 a = { 0 };
	struct tvars	*v, *child;
	struct strbuf	 b;
	char		 buf[] = "first";

	(void)state;
	v = tvars_new(&a, NULL);
	/* The value is copied, and the last set wins. */
	tvars_set(v, "k", (struct str){ buf, 5 });
	buf[0] = 'X';
	strbuf_init(&b, &a);
	assert_int_equal(template_render(&b, STR_LIT("{{k}}"), v), 0);
	assert_string_equal(b.p, "first");
	tvars_setc(v, "k", "second");
	strbuf_reset(&b);
	assert_int_equal(template_render(&b, STR_LIT("{{k}}"), v), 0);
	assert_string_equal(b.p, "second");
	/* A child scope shadows its parent and falls back to it. */
	tvars_setc(v, "p", "parent");
	child = tvars_new(&a, v);
	tvars_setc(child, "k", "child");
	strbuf_reset(&b);
	assert_int_equal(template_render(&b, STR_LIT("{{k}} {{p}}"), child),
	    0);
	assert_string_equal(b.p, "child parent");
	/* Values keep embedded bytes that need escaping. */
	tvars_set(v, "q", STR_LIT("a\"b"));
	strbuf_reset(&b);
	assert_int_equal(template_render(&b, STR_LIT("{{q}}"), v), 0);
	assert_string_equal(b.p, "a&quot;b");
	/* Rendering appends. */
	strbuf_reset(&b);
	strbuf_puts(&b, ">");
	assert_int_equal(template_render(&b, STR_LIT("{{p}}"), v), 0);
	assert_string_equal(b.p, ">parent");
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_tvars),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
