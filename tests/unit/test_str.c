/* test_str.c: unit tests of string views and the string builder */
#include <string.h>

#include "unit.h"

#include "str.h"

static void
test_views(void **state)
{
	static const char	 buf[] = "Hello";
	struct arena		 a = { 0 };
	struct str		 s;
	char			*d;

	(void)state;
	s = str_c(NULL);
	assert_int_equal(s.n, 0);
	assert_non_null(s.p);
	s = str_c("abc");
	assert_int_equal(s.n, 3);
	assert_true(str_eq(s, STR_LIT("abc")));
	assert_false(str_eq(s, STR_LIT("abd")));
	assert_false(str_eq(s, STR_LIT("ab")));
	assert_true(str_eq(STR_NULL, STR_LIT("")));
	assert_true(str_eq_c(s, "abc"));
	assert_false(str_eq_c(s, "abcd"));
	assert_true(str_eq_c(STR_NULL, ""));
	assert_true(str_caseeq_c(STR_LIT("BaSiC"), "basic"));
	assert_false(str_caseeq_c(STR_LIT("Basic"), "basi"));
	assert_false(str_caseeq_c(STR_LIT("B\xc1sic"), "b\xe1sic"));
	assert_true(str_has_prefix(STR_LIT("Bearer x"), "Bearer "));
	assert_true(str_has_prefix(STR_LIT("x"), ""));
	assert_false(str_has_prefix(STR_LIT("Bear"), "Bearer"));
	/* A view need not be NUL-terminated; str_dup terminates the copy. */
	d = str_dup(&a, (struct str){ buf, 4 });
	assert_string_equal(d, "Hell");
	d = str_dup(&a, STR_NULL);
	assert_string_equal(d, "");
	arena_free(&a);
}

static void
test_eq_ct(void **state)
{
	static const struct {
		struct str	a, b;
		int		want;
	} cases[] = {
		{ SV(""), SV(""), 1 },
		{ SV("a"), SV("a"), 1 },
		{ SV("a"), SV("b"), 0 },
		{ SV("abc"), SV("abd"), 0 },
		{ SV("xbc"), SV("abc"), 0 },
		{ SV("abc"), SV("ab"), 0 },
		{ SV("ab"), SV("abc"), 0 },
		{ SV(""), SV("a"), 0 },
		{ SV("a"), SV(""), 0 },
		/* A longer view that is the shorter one padded with NULs. */
		{ SV("ab"), SV("ab\0"), 0 },
		{ SV("a\0b"), SV("a\0b"), 1 },
		{ SV("a\0b"), SV("a\0c"), 0 },
		{ SV("\x80\xff"), SV("\x80\xff"), 1 },
		{ SV("\x80\xff"), SV("\x80\xfe"), 0 },
		{ SV("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
		  SV("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), 1 },
		{ SV("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
		  SV("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"), 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		CASE_INT(i, str_eq_ct(cases[i].a, cases[i].b), cases[i].want);
		CASE_INT(i, str_eq_ct(cases[i].b, cases[i].a), cases[i].want);
	}
}

static void
test_to_long(void **state)
{
	static const struct {
		struct str	in;
		int		rc;
		long		want;
	} cases[] = {
		{ SV("0"), 0, 0 },
		{ SV("7"), 0, 7 },
		{ SV("42"), 0, 42 },
		{ SV("000123"), 0, 123 },
		{ SV("3600"), 0, 3600 },
		{ SV("999999999999999999"), 0, 999999999999999999L },
		{ SV("1000000000000000000"), -1, 0 },	/* 19 digits */
		{ SV("99999999999999999999999"), -1, 0 },
		{ SV(""), -1, 0 },
		{ SV("-1"), -1, 0 },
		{ SV("+1"), -1, 0 },
		{ SV(" 1"), -1, 0 },
		{ SV("1 "), -1, 0 },
		{ SV("1a"), -1, 0 },
		{ SV("0x10"), -1, 0 },
		{ SV("1.5"), -1, 0 },
		{ SV("1e3"), -1, 0 },
		{ SV("1\0"), -1, 0 },
		{ SV("\xd9\xa1"), -1, 0 },	/* ARABIC-INDIC DIGIT ONE */
	};
	size_t	i;
	long	v;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		v = -12345;
		CASE_INT(i, str_to_long(cases[i].in, &v), cases[i].rc);
		/* On failure *out is left alone. */
		CASE_INT(i, v, cases[i].rc == 0 ? cases[i].want : -12345);
	}
}

static void
test_is_utf8(void **state)
{
	static const struct {
		struct str	in;
		int		want;
	} cases[] = {
		{ SV(""), 1 },
		{ SV("plain ascii"), 1 },
		{ SV("\0"), 1 },
		{ SV("\x7f"), 1 },
		{ SV("\xc2\x80"), 1 },			/* U+0080 */
		{ SV("\xc3\xa9t\xc3\xa9"), 1 },		/* "été" */
		{ SV("\xdf\xbf"), 1 },			/* U+07FF */
		{ SV("\xe0\xa0\x80"), 1 },		/* U+0800 */
		{ SV("\xe2\x82\xac"), 1 },		/* EURO SIGN */
		{ SV("\xe4\xb8\xad\xe6\x96\x87"), 1 },	/* "中文" */
		{ SV("\xed\x9f\xbf"), 1 },		/* U+D7FF */
		{ SV("\xee\x80\x80"), 1 },		/* U+E000 */
		{ SV("\xef\xbf\xbf"), 1 },		/* U+FFFF */
		{ SV("\xf0\x90\x80\x80"), 1 },		/* U+10000 */
		{ SV("\xf0\x9d\x84\x9e"), 1 },		/* U+1D11E */
		{ SV("\xf4\x8f\xbf\xbf"), 1 },		/* U+10FFFF */
		/* Overlong forms. */
		{ SV("\xc0\x80"), 0 },
		{ SV("\xc0\xaf"), 0 },
		{ SV("\xc1\xbf"), 0 },
		{ SV("\xe0\x80\xaf"), 0 },
		{ SV("\xe0\x9f\xbf"), 0 },
		{ SV("\xf0\x80\x80\xaf"), 0 },
		{ SV("\xf0\x8f\xbf\xbf"), 0 },
		/* UTF-16 surrogates, alone and paired. */
		{ SV("\xed\xa0\x80"), 0 },		/* U+D800 */
		{ SV("\xed\xaf\xbf"), 0 },		/* U+DBFF */
		{ SV("\xed\xb0\x80"), 0 },		/* U+DC00 */
		{ SV("\xed\xbf\xbf"), 0 },		/* U+DFFF */
		{ SV("\xed\xa0\xbd\xed\xb2\xa9"), 0 },
		/* Beyond U+10FFFF and bytes that never occur. */
		{ SV("\xf4\x90\x80\x80"), 0 },
		{ SV("\xf5\x80\x80\x80"), 0 },
		{ SV("\xf7\xbf\xbf\xbf"), 0 },
		{ SV("\xf8\x88\x80\x80\x80"), 0 },
		{ SV("\xfc\x84\x80\x80\x80\x80"), 0 },
		{ SV("\xfe"), 0 },
		{ SV("\xff"), 0 },
		/* Stray or missing continuation bytes. */
		{ SV("\x80"), 0 },
		{ SV("a\xbf"), 0 },
		{ SV("\xc3\x28"), 0 },
		{ SV("\xc3\xc3\xa9"), 0 },
		{ SV("\xe2\x28\xa1"), 0 },
		{ SV("\xe2\x82\x28"), 0 },
		{ SV("\xf0\x28\x8c\xbc"), 0 },
		{ SV("\xf0\x90\x28\xbc"), 0 },
		{ SV("\xf0\x90\x8c\x28"), 0 },
		/* Truncated sequences at the end. */
		{ SV("\xc3"), 0 },
		{ SV("abc\xc3"), 0 },
		{ SV("\xe2\x82"), 0 },
		{ SV("\xe2"), 0 },
		{ SV("\xf0\x9d\x84"), 0 },
		{ SV("\xf0\x9d"), 0 },
		{ SV("\xf0"), 0 },
	};
	static const char	whole[] = "x\xe2\x82\xac";
	size_t			i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++)
		CASE_INT(i, str_is_utf8(cases[i].in), cases[i].want);
	/* A view cut inside a sequence is truncated even if bytes follow. */
	assert_true(str_is_utf8((struct str){ whole, 4 }));
	assert_false(str_is_utf8((struct str){ whole, 3 }));
	assert_false(str_is_utf8((struct str){ whole, 2 }));
	assert_true(str_is_utf8((struct str){ whole, 1 }));
}

static void
test_utf8_len_and_prefix(void **state)
{
	/* "用户" is 2 characters in 6 bytes; "\xf0\x9d\x84\x9e" is one in 4. */
	static const struct {
		struct str	in;
		size_t		max;
		size_t		len, prefix;
	} cases[] = {
		{ SV(""), 3, 0, 0 },
		{ SV("abc"), 0, 3, 0 },
		{ SV("abc"), 2, 3, 2 },
		{ SV("abc"), 3, 3, 3 },
		{ SV("abc"), 9, 3, 3 },
		{ SV("\xe7\x94\xa8\xe6\x88\xb7"), 1, 2, 3 },
		{ SV("\xe7\x94\xa8\xe6\x88\xb7"), 2, 2, 6 },
		{ SV("a\xe7\x94\xa8" "b"), 2, 3, 4 },
		{ SV("\xf0\x9d\x84\x9e!"), 1, 2, 4 },
		{ SV("\xc3\xa9\xc3\xa9"), 1, 2, 2 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		CASE_INT(i, str_utf8_len(cases[i].in), cases[i].len);
		CASE_INT(i, str_utf8_prefix(cases[i].in, cases[i].max),
		    cases[i].prefix);
	}
}

static void
test_strbuf_basic(void **state)
{
	struct arena	 a = { 0 };
	struct strbuf	 b;
	struct str	 s;

	(void)state;
	strbuf_init(&b, &a);
	assert_int_equal(b.n, 0);
	assert_string_equal(b.p, "");
	strbuf_reset(&b);
	assert_string_equal(b.p, "");
	strbuf_append(&b, "ab", 2);
	strbuf_append(&b, "XYZ", 0);
	strbuf_puts(&b, "cd");
	strbuf_puts(&b, "");
	strbuf_putc(&b, 'e');
	strbuf_appendf(&b, "-%d-%s-%zu", 42, "x", (size_t)7);
	assert_int_equal(b.n, strlen("abcde-42-x-7"));
	assert_string_equal(b.p, "abcde-42-x-7");
	s = strbuf_str(&b);
	assert_ptr_equal(s.p, b.p);
	assert_int_equal(s.n, b.n);
	strbuf_reset(&b);
	assert_int_equal(b.n, 0);
	assert_string_equal(b.p, "");
	/* Embedded NULs are bytes like any other. */
	strbuf_append(&b, "a\0b", 3);
	assert_int_equal(b.n, 3);
	assert_memory_equal(b.p, "a\0b", 4);
	strbuf_reset(&b);
	strbuf_appendf(&b, "%s", "");
	assert_int_equal(b.n, 0);
	assert_string_equal(b.p, "");
	arena_free(&a);
}

static void
test_strbuf_hex(void **state)
{
	static const struct {
		struct str	 in;
		const char	*want;
	} cases[] = {
		{ SV(""), "" },
		{ SV("\0"), "00" },
		{ SV("\x01\x23\x45\x67\x89\xab\xcd\xef"), "0123456789abcdef" },
		{ SV("\xff\x10"), "ff10" },
		{ SV("abc"), "616263" },
	};
	struct arena	a = { 0 };
	struct strbuf	b;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		strbuf_init(&b, &a);
		strbuf_puts(&b, "[");
		strbuf_hex(&b, (const unsigned char *)cases[i].in.p,
		    cases[i].in.n);
		strbuf_puts(&b, "]");
		CASE_INT(i, b.n, strlen(cases[i].want) + 2);
		CASE_INT(i, b.p[b.n], '\0');
		CASE_INT(i, memcmp(b.p + 1, cases[i].want, b.n - 2), 0);
	}
	arena_free(&a);
}

/* Growth across many doublings and arena chunks keeps every byte. */
static void
test_strbuf_grow(void **state)
{
	struct arena	a = { 0 };
	struct strbuf	b;
	size_t		i;

	(void)state;
	strbuf_init(&b, &a);
	for (i = 0; i < 100000; i++) {
		strbuf_putc(&b, (char)('a' + i % 26));
		if (b.p[b.n] != '\0')
			fail_msg("no NUL after %zu bytes", b.n);
	}
	assert_int_equal(b.n, 100000);
	for (i = 0; i < b.n; i++)
		if (b.p[i] != (char)('a' + i % 26))
			fail_msg("byte %zu is %c", i, b.p[i]);
	strbuf_reset(&b);
	strbuf_appendf(&b, "%0*d", 70000, 5);
	assert_int_equal(b.n, 70000);
	assert_int_equal(b.p[69999], '5');
	assert_int_equal(b.p[0], '0');
	assert_int_equal(b.p[70000], '\0');
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_eq_ct),
		cmocka_unit_test(test_to_long),
		cmocka_unit_test(test_is_utf8),
		cmocka_unit_test(test_utf8_len_and_prefix),
		cmocka_unit_test(test_strbuf_basic),
		cmocka_unit_test(test_strbuf_hex),
		cmocka_unit_test(test_strbuf_grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
