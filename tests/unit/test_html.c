/* test_html.c: unit tests of the HTML escaper */
#include "unit.h"

#include "html.h"

static void
test_escape(void **state)
{
	static const struct enc_case cases[] = {
		{ SV(""), "" },
		{ SV("plain text"), "plain text" },
		{ SV("&"), "&amp;" },
		{ SV("<"), "&lt;" },
		{ SV(">"), "&gt;" },
		{ SV("\""), "&quot;" },
		{ SV("'"), "&#39;" },
		{ SV("<script>alert('x')</script>"),
		  "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" },
		{ SV("\" onmouseover=\"x"), "&quot; onmouseover=&quot;x" },
		{ SV("a&b&&c"), "a&amp;b&amp;&amp;c" },
		{ SV("&amp;"), "&amp;amp;" },		/* escaped once more */
		{ SV("&#39;"), "&amp;#39;" },
		{ SV("<<>>"), "&lt;&lt;&gt;&gt;" },
		{ SV("x<"), "x&lt;" },
		{ SV(">x"), "&gt;x" },
		{ SV("`={}/\\"), "`={}/\\" },
		{ SV("\xe4\xb8\xad<\xe6\x96\x87"),
		  "\xe4\xb8\xad&lt;\xe6\x96\x87" },
		{ SV("{{name}}"), "{{name}}" },
	};
	struct arena	a = { 0 };
	struct strbuf	b;

	(void)state;
	check_encoder(cases, NELEM(cases), html_escape);
	/* It appends. */
	strbuf_init(&b, &a);
	strbuf_puts(&b, "<p>");
	html_escape(&b, STR_LIT("a<b"));
	strbuf_puts(&b, "</p>");
	assert_string_equal(b.p, "<p>a&lt;b</p>");
	/* Bytes after the view are not read. */
	strbuf_reset(&b);
	html_escape(&b, (struct str){ "ab<", 2 });
	assert_string_equal(b.p, "ab");
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
