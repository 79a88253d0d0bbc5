/* test_crypto.c: unit tests of SHA-256, HMAC-SHA256 and random tokens */
#include <string.h>

#include "unit.h"

#include "crypto.h"

/* Lower-case hex of n bytes, in the arena. */
static struct str
hex(struct arena *a, const unsigned char *p, size_t n)
{
	struct strbuf	b;

	strbuf_init(&b, a);
	strbuf_hex(&b, p, n);
	return strbuf_str(&b);
}

/* Bytes of value c, n of them, in the arena. */
static struct str
rep(struct arena *a, unsigned char c, size_t n)
{
	char	*p = arena_alloc(a, n);

	memset(p, c, n);
	return (struct str){ p, n };
}

static int
setup(void **state)
{
	(void)state;
	return crypto_init();
}

static void
test_sha256(void **state)
{
	/* FIPS 180-4 examples (NIST CSRC) and the empty string. */
	static const struct {
		struct str	 in;
		const char	*want;
	} cases[] = {
		{ SV(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4"
		  "95991b7852b855" },
		{ SV("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9c"
		  "b410ff61f20015ad" },
		{ SV("abcdbcdecdefdefgefghfghighijhijk"
		  "ijkljklmklmnlmnomnopnopq"),
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd4"
		  "19db06c1" },
	};
	struct arena	 a = { 0 };
	unsigned char	 d[SHA256_LEN];
	struct str	 million;
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		crypto_sha256(cases[i].in.p, cases[i].in.n, d);
		CASE_STR(i, hex(&a, d, sizeof(d)), cases[i].want);
	}
	million = rep(&a, 'a', 1000000);
	crypto_sha256(million.p, million.n, d);
	assert_true(str_eq_c(hex(&a, d, sizeof(d)), "cdc76e5c9914fb9281a1c7e2"
	    "84d73e67f1809a48a497200e046d39ccc7112cd0"));
	arena_free(&a);
}

static void
test_hmac_rfc4231(void **state)
{
	static const char	*want[] = {
		/* 4.2 */
		"b0344c61d8db38535ca8afceaf0bf12b"
		    "881dc200c9833da726e9376c2e32cff7",
		/* 4.3 */
		"5bdcc146bf60754e6a042426089575c7"
		    "5a003f089d2739839dec58b964ec3843",
		/* 4.4 */
		"773ea91e36800e46854db8ebd09181a7"
		    "2959098b3ef8c122d9635514ced565fe",
		/* 4.5 */
		"82558a389a443c0ea4cc819899f2083a"
		    "85f0faa3e578f8077a2e3ff46729665b",
		/* 4.6: the RFC gives the first 128 bits only */
		"a3b6167473100ee06e0c796c2955552b",
		/* 4.7 */
		"60e431591ee0b67f0d8a26aacbf5b77f"
		    "8e0bc6213728c5140546040f0ee37f54",
		/* 4.8 */
		"9b09ffa71b942fcb27635fbcd5b0e944"
		    "bfdc63644f0713938a7f51535c3a35e2",
	};
	struct {
		struct str	key, data;
	}		 cases[NELEM(want)];
	struct arena	 a = { 0 };
	unsigned char	 d[SHA256_LEN], *k;
	struct str	 got;
	size_t		 i;

	(void)state;
	cases[0].key = rep(&a, 0x0b, 20);
	cases[0].data = STR_LIT("Hi There");
	cases[1].key = STR_LIT("Jefe");
	cases[1].data = STR_LIT("what do ya want for nothing?");
	cases[2].key = rep(&a, 0xaa, 20);
	cases[2].data = rep(&a, 0xdd, 50);
	k = arena_alloc(&a, 25);
	for (i = 0; i < 25; i++)
		k[i] = (unsigned char)(i + 1);
	cases[3].key = (struct str){ (const char *)k, 25 };
	cases[3].data = rep(&a, 0xcd, 50);
	cases[4].key = rep(&a, 0x0c, 20);
	cases[4].data = STR_LIT("Test With Truncation");
	cases[5].key = rep(&a, 0xaa, 131);
	cases[5].data = STR_LIT("Test Using Larger Than Block-Size Key - "
	    "Hash Key First");
	cases[6].key = rep(&a, 0xaa, 131);
	cases[6].data = STR_LIT("This is a test using a larger than "
	    "block-size key and a larger than block-size data. The key needs "
	    "to be hashed before being used by the HMAC algorithm.");
	for (i = 0; i < NELEM(cases); i++) {
		CASE_INT(i, crypto_hmac((const unsigned char *)cases[i].key.p,
		    cases[i].key.n, cases[i].data.p, cases[i].data.n, d), 0);
		got = hex(&a, d, sizeof(d));
		got.n = strlen(want[i]);
		CASE_STR(i, got, want[i]);
	}
	arena_free(&a);
}

static void
test_token(void **state)
{
	struct arena	a = { 0 };
	struct str	t[8];
	size_t		i, j, k;
	char		c;

	(void)state;
	for (i = 0; i < NELEM(t); i++) {
		t[i] = crypto_token(&a);
		CASE_INT(i, t[i].n, 43);
		CASE_INT(i, t[i].p[43], '\0');
		for (k = 0; k < t[i].n; k++) {
			c = t[i].p[k];
			if (!((c >= 'A' && c <= 'Z') ||
			    (c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '_'))
				fail_msg("token %zu: byte %zu is 0x%02x", i, k,
				    (unsigned char)c);
		}
		for (j = 0; j < i; j++)
			assert_false(str_eq(t[i], t[j]));
	}
	arena_free(&a);
}

static void
test_random(void **state)
{
	unsigned char	x[32], y[32], zero[32];

	(void)state;
	memset(x, 0, sizeof(x));
	memset(y, 0, sizeof(y));
	memset(zero, 0, sizeof(zero));
	crypto_random(x, sizeof(x));
	crypto_random(y, sizeof(y));
	assert_memory_not_equal(x, zero, sizeof(x));
	assert_memory_not_equal(x, y, sizeof(x));
	crypto_random(x, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
