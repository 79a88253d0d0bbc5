/* test_urlenc.c: unit tests of strict percent-decoding and encoding */
#include <string.h>

#include "unit.h"

#include "urlenc.h"

static void
test_decode(void **state)
{
	static const struct {
		struct str	 in;
		int		 plus;
		int		 rc;
		struct str	 want;
	} cases[] = {
		{ SV(""), 1, 0, SV("") },
		{ SV("abc"), 1, 0, SV("abc") },
		{ SV("a%20b"), 0, 0, SV("a b") },
		{ SV("%41%42%43"), 0, 0, SV("ABC") },
		{ SV("%2b%2B"), 1, 0, SV("++") },
		{ SV("%7e%7E"), 0, 0, SV("~~") },
		{ SV("%25"), 0, 0, SV("%") },
		{ SV("%2525"), 0, 0, SV("%25") },	/* decoded once only */
		{ SV("100%25+off"), 1, 0, SV("100% off") },
		/* '+' is a space only under form rules. */
		{ SV("a+b"), 1, 0, SV("a b") },
		{ SV("a+b"), 0, 0, SV("a+b") },
		{ SV("+"), 1, 0, SV(" ") },
		{ SV("++"), 1, 0, SV("  ") },
		{ SV("%2B"), 0, 0, SV("+") },
		{ SV("=&;/?#"), 1, 0, SV("=&;/?#") },
		{ SV("%C3%A9t%C3%A9"), 1, 0, SV("\xc3\xa9t\xc3\xa9") },
		{ SV("\xe4\xb8\xad"), 1, 0, SV("\xe4\xb8\xad") },
		{ SV("%e4%B8%Ad"), 1, 0, SV("\xe4\xb8\xad") },
		{ SV("%01%1f%7F"), 0, 0, SV("\x01\x1f\x7f") },
		/* Malformed escapes. */
		{ SV("%"), 1, -1, SV("") },
		{ SV("a%"), 1, -1, SV("") },
		{ SV("%0"), 1, -1, SV("") },
		{ SV("%2"), 1, -1, SV("") },
		{ SV("abc%2"), 1, -1, SV("") },
		{ SV("%G1"), 1, -1, SV("") },
		{ SV("%1G"), 1, -1, SV("") },
		{ SV("%g1"), 1, -1, SV("") },
		{ SV("%%"), 1, -1, SV("") },
		{ SV("%%41"), 1, -1, SV("") },
		{ SV("% 1"), 1, -1, SV("") },
		{ SV("%+1"), 1, -1, SV("") },
		{ SV("%-1"), 1, -1, SV("") },
		{ SV("%u0041"), 1, -1, SV("") },
		{ SV("%\xc3\xa9"), 1, -1, SV("") },
		/* NUL bytes, escaped or raw. */
		{ SV("%00"), 1, -1, SV("") },
		{ SV("a%00b"), 0, -1, SV("") },
		{ SV("a\0b"), 1, -1, SV("") },
		/* Invalid UTF-8 once decoded, escaped or raw. */
		{ SV("%C3"), 1, -1, SV("") },
		{ SV("%C3%28"), 1, -1, SV("") },
		{ SV("%C0%80"), 1, -1, SV("") },
		{ SV("%C0%AF"), 1, -1, SV("") },
		{ SV("%E0%80%AF"), 1, -1, SV("") },
		{ SV("%ED%A0%80"), 1, -1, SV("") },
		{ SV("%F4%90%80%80"), 1, -1, SV("") },
		{ SV("%FF"), 1, -1, SV("") },
		{ SV("%80"), 1, -1, SV("") },
		{ SV("\xff"), 1, -1, SV("") },
		{ SV("a\xc3"), 1, -1, SV("") },
	};
	static const char	 sentinel[] = "untouched";
	struct arena		 a = { 0 };
	struct str		 out;
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		out.p = sentinel;
		out.n = sizeof(sentinel) - 1;
		CASE_INT(i, url_decode(&a, cases[i].in, cases[i].plus, &out),
		    cases[i].rc);
		if (cases[i].rc == -1) {
			/* *out is untouched on failure. */
			CASE_INT(i, out.p == sentinel, 1);
			CASE_INT(i, out.n, sizeof(sentinel) - 1);
			continue;
		}
		CASE_INT(i, out.n, cases[i].want.n);
		CASE_INT(i, memcmp(out.p, cases[i].want.p, out.n), 0);
		CASE_INT(i, out.p[out.n], '\0');
	}
	arena_free(&a);
}

static void
test_encode(void **state)
{
	static const struct enc_case cases[] = {
		{ SV(""), "" },
		{ SV("abcXYZ019"), "abcXYZ019" },
		{ SV("-._~"), "-._~" },
		{ SV(" "), "%20" },
		{ SV("a+b"), "a%2Bb" },
		{ SV("a&b=c#d"), "a%26b%3Dc%23d" },
		{ SV("/?:@!$'()*,;"), "%2F%3F%3A%40%21%24%27%28%29%2A%2C%3B" },
		{ SV("%"), "%25" },
		{ SV("\"<>\\^`{|}"), "%22%3C%3E%5C%5E%60%7B%7C%7D" },
		{ SV("\r\n\t"), "%0D%0A%09" },
		{ SV("\0"), "%00" },
		{ SV("\x7f\x80\xff"), "%7F%80%FF" },
		{ SV("\xc3\xa9"), "%C3%A9" },
		{ SV("https://c.example/cb?x=1"),
		  "https%3A%2F%2Fc.example%2Fcb%3Fx%3D1" },
	};
	(void)state;
	check_encoder(cases, NELEM(cases), url_encode);
}

/* Every valid UTF-8 string survives encode then decode, plus or not. */
static void
test_round_trip(void **state)
{
	static const struct str	cases[] = {
		SV("a b+c&d=e%f"),
		SV("\xe4\xb8\xad\xe6\x96\x87 \xf0\x9d\x84\x9e"),
		SV("~!@#$%^&*()_+`-={}[]|\\:\";'<>?,./"),
		SV("\x01\x7f"),
	};
	struct arena	a = { 0 };
	struct strbuf	b;
	struct str	out;
	size_t		i;
	int		plus;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		for (plus = 0; plus <= 1; plus++) {
			strbuf_init(&b, &a);
			url_encode(&b, cases[i]);
			CASE_INT(i, url_decode(&a, strbuf_str(&b), plus, &out),
			    0);
			CASE_INT(i, str_eq(out, cases[i]), 1);
		}
	}
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
