/* test_b64.c: unit tests of base64 and base64url (RFC 4648) */
#include <string.h>

#include "unit.h"

#include "b64.h"

/* RFC 4648 §10, plus bytes that differ between the two alphabets. */
static const struct {
	struct str	 in;
	const char	*std_pad;
	const char	*std;
	const char	*url;
} vectors[] = {
	{ SV(""), "", "", "" },
	{ SV("f"), "Zg==", "Zg", "Zg" },
	{ SV("fo"), "Zm8=", "Zm8", "Zm8" },
	{ SV("foo"), "Zm9v", "Zm9v", "Zm9v" },
	{ SV("foob"), "Zm9vYg==", "Zm9vYg", "Zm9vYg" },
	{ SV("fooba"), "Zm9vYmE=", "Zm9vYmE", "Zm9vYmE" },
	{ SV("foobar"), "Zm9vYmFy", "Zm9vYmFy", "Zm9vYmFy" },
	{ SV("\xfb\xff"), "+/8=", "+/8", "-_8" },
	{ SV("\xfb\xef\xbe"), "++++", "++++", "----" },
	{ SV("\xff\xff\xff"), "////", "////", "____" },
	{ SV("\0\0\0"), "AAAA", "AAAA", "AAAA" },
	{ SV("\0"), "AA==", "AA", "AA" },
	{ SV("\x14\xfb\x9c\x03\xd9\x7e"), "FPucA9l+", "FPucA9l+", "FPucA9l-" },
	{ SV("\x14\xfb\x9c\x03\xd9"), "FPucA9k=", "FPucA9k", "FPucA9k" },
	{ SV("\x14\xfb\x9c\x03"), "FPucAw==", "FPucAw", "FPucAw" },
};

static void
test_encode(void **state)
{
	struct arena		 a = { 0 };
	struct strbuf		 b;
	const unsigned char	*p;
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(vectors); i++) {
		p = (const unsigned char *)vectors[i].in.p;
		strbuf_init(&b, &a);
		b64_encode(&b, p, vectors[i].in.n, 1);
		CASE_STR(i, strbuf_str(&b), vectors[i].std_pad);
		strbuf_init(&b, &a);
		b64_encode(&b, p, vectors[i].in.n, 0);
		CASE_STR(i, strbuf_str(&b), vectors[i].std);
		strbuf_init(&b, &a);
		b64url_encode(&b, p, vectors[i].in.n);
		CASE_STR(i, strbuf_str(&b), vectors[i].url);
	}
	/* Encoders append. */
	strbuf_init(&b, &a);
	strbuf_puts(&b, "x=");
	b64url_encode(&b, (const unsigned char *)"foob", 4);
	assert_string_equal(b.p, "x=Zm9vYg");
	arena_free(&a);
}

static void
test_decode_vectors(void **state)
{
	unsigned char	out[16];
	size_t		i;
	long		n;

	(void)state;
	for (i = 0; i < NELEM(vectors); i++) {
		n = b64_decode(str_c(vectors[i].std_pad), out, sizeof(out));
		CASE_INT(i, n, vectors[i].in.n);
		CASE_INT(i, memcmp(out, vectors[i].in.p, vectors[i].in.n), 0);
		n = b64_decode(str_c(vectors[i].std), out, sizeof(out));
		CASE_INT(i, n, vectors[i].in.n);
		CASE_INT(i, memcmp(out, vectors[i].in.p, vectors[i].in.n), 0);
	}
}

static void
test_decode_errors(void **state)
{
	static const struct str	cases[] = {
		SV("Z"),		/* 6 bits are no byte */
		SV("Zm9vY"),
		SV("Zg="),		/* padding, but not to a quantum */
		SV("Zm9vYg="),
		SV("Zg==="),
		SV("Zg===="),
		SV("="),
		SV("=="),
		SV("==="),
		SV("===="),
		SV("=Zg="),
		SV("Z=g="),
		SV("Zg=="
		   "Zg=="),		/* padding in the middle */
		SV("Zm9v!"),
		SV("Zm 9v"),
		SV(" Zm9v"),
		SV("Zm9v\n"),
		SV("Zm9v\r\n"),
		SV("Zm9v\0"),
		SV("-_8"),		/* the url alphabet is not base64 */
		SV("Zm9v_"),
		SV("Zm9v.A=="),
		SV("\xc3\xa9\xc3\xa9"),
	};
	unsigned char	out[64];
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++)
		CASE_INT(i, b64_decode(cases[i], out, sizeof(out)), -1);
}

/* base64url without padding (RFC 7515 §2): the url column decodes. */
static void
test_url_decode(void **state)
{
	static const struct str	bad[] = {
		SV("Zg=="),		/* no padding in JWS */
		SV("Zg="),
		SV("+/8"),		/* the standard alphabet is not url */
		SV("Z"),
		SV("Zm9v.Zm9v"),
		SV("Zm9v\0"),
	};
	unsigned char	out[16];
	size_t		i;
	long		n;

	(void)state;
	for (i = 0; i < NELEM(vectors); i++) {
		n = b64url_decode(str_c(vectors[i].url), out, sizeof(out));
		CASE_INT(i, n, vectors[i].in.n);
		CASE_INT(i, memcmp(out, vectors[i].in.p, vectors[i].in.n), 0);
	}
	for (i = 0; i < NELEM(bad); i++)
		CASE_INT(i, b64url_decode(bad[i], out, sizeof(out)), -1);
	CASE_INT(0, b64url_decode(str_c("Zm9vYmFy"), out, 5), -1);
}

/* The output never exceeds cap: too small a buffer is an error. */
static void
test_decode_cap(void **state)
{
	static const struct {
		const char	*in;
		size_t		 cap;
		long		 want;
	} cases[] = {
		{ "Zm9vYmFy", 6, 6 },
		{ "Zm9vYmFy", 7, 6 },
		{ "Zm9vYmFy", 5, -1 },
		{ "Zm9vYmFy", 0, -1 },
		{ "Zm9vYg==", 4, 4 },
		{ "Zm9vYg==", 3, -1 },
		{ "Zm9vYg", 4, 4 },
		{ "", 0, 0 },
	};
	unsigned char	out[8];
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		memset(out, 0xee, sizeof(out));
		CASE_INT(i, b64_decode(str_c(cases[i].in), out, cases[i].cap),
		    cases[i].want);
		/* Nothing is written past cap. */
		CASE_INT(i, out[cases[i].cap], 0xee);
	}
}

/* Every byte value and every length round-trips through encode. */
static void
test_round_trip(void **state)
{
	struct arena	a = { 0 };
	struct strbuf	b;
	unsigned char	in[256], out[256];
	size_t		len, i;
	int		pad;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7 + 3);
	for (len = 0; len <= sizeof(in); len++) {
		for (pad = 0; pad <= 1; pad++) {
			strbuf_init(&b, &a);
			b64_encode(&b, in, len, pad);
			CASE_INT(len, b.n, pad ? (len + 2) / 3 * 4 :
			    (len * 4 + 2) / 3);
			CASE_INT(len, b64_decode(strbuf_str(&b), out,
			    sizeof(out)), len);
			CASE_INT(len, memcmp(in, out, len), 0);
		}
	}
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_decode_vectors),
		cmocka_unit_test(test_decode_errors),
		cmocka_unit_test(test_decode_cap),
		cmocka_unit_test(test_url_decode),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
