/* test_password.c: unit tests of Argon2id password hashing (PHC strings) */
#include <string.h>

#include "unit.h"

#include "crypto.h"
#include "password.h"

/*
 * The reference implementation's Argon2id test vector (phc-winner-argon2
 * test.c): "password", salt "somesalt", m=256, t=2, p=1. Cheap to verify.
 */
#define REF_SALT	"c29tZXNhbHQ"
#define REF_HASH	"nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
#define REF_PHC		"$argon2id$v=19$m=256,t=2,p=1$" REF_SALT "$" REF_HASH

/* Zero bytes of the named sizes, unpadded, for parse-only cases. */
#define SALT16		"AAAAAAAAAAAAAAAAAAAAAA"
#define SALT64		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
			"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define HASH31		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define HASH32		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

static int
setup(void **state)
{
	(void)state;
	return crypto_init();
}

/*
 * One fresh hash, checked for format and against the right and a wrong
 * password, and a second hash for a fresh salt: four Argon2id runs at
 * the production cost.
 */
static void
test_hash_verify(void **state)
{
	static const char	 prefix[] = "$argon2id$v=19$m=19456,t=2,p=1$";
	struct arena		 a = { 0 };
	struct phc		 ph;
	struct str		 s;
	const char		*d;
	char			*h, *h2;

	(void)state;
	h = password_hash(&a, STR_LIT("correct horse battery staple"));
	assert_non_null(h);
	s = str_c(h);
	assert_true(str_has_prefix(s, prefix));
	/* 16 bytes of salt and 32 of hash, unpadded base64. */
	d = strchr(h + sizeof(prefix) - 1, '$');
	assert_non_null(d);
	assert_int_equal(d - (h + sizeof(prefix) - 1), 22);
	assert_int_equal(strlen(d + 1), 43);
	assert_null(strchr(h + sizeof(prefix) - 1, '='));
	assert_int_equal(password_parse(s, &ph), 0);
	assert_int_equal(ph.m, PW_M_KIB);
	assert_int_equal(ph.t, PW_T);
	assert_int_equal(ph.p, PW_P);
	assert_int_equal(ph.saltlen, PW_SALT_LEN);
	assert_int_equal(password_verify(
	    STR_LIT("correct horse battery staple"), s), 1);
	assert_int_equal(password_verify(
	    STR_LIT("correct horse battery stapl"), s), 0);
	h2 = password_hash(&a, STR_LIT("correct horse battery staple"));
	assert_non_null(h2);
	assert_string_not_equal(h, h2);
	arena_free(&a);
}

/* Interoperability with hashes made elsewhere; cheap parameters. */
static void
test_verify_reference(void **state)
{
	static const struct {
		struct str	pw, phc;
		int		want;
	} cases[] = {
		{ SV("password"), SV(REF_PHC), 1 },
		{ SV("Password"), SV(REF_PHC), 0 },
		{ SV("password "), SV(REF_PHC), 0 },
		{ SV(""), SV(REF_PHC), 0 },
		{ SV("password\0"), SV(REF_PHC), 0 },
		/* The same bytes as "m=256", written with a leading zero. */
		{ SV("password"), SV("$argon2id$v=19$m=0256,t=2,p=1$" REF_SALT
		  "$" REF_HASH), 1 },
		/* Padded base64 decodes to the same salt and hash. */
		{ SV("password"), SV("$argon2id$v=19$m=256,t=2,p=1$" REF_SALT
		  "=$" REF_HASH "="), 1 },
		/* Any other parameter changes the hash. */
		{ SV("password"), SV("$argon2id$v=19$m=264,t=2,p=1$" REF_SALT
		  "$" REF_HASH), 0 },
		{ SV("password"), SV("$argon2id$v=19$m=256,t=1,p=1$" REF_SALT
		  "$" REF_HASH), 0 },
		{ SV("password"), SV("$argon2id$v=19$m=256,t=2,p=2$" REF_SALT
		  "$" REF_HASH), 0 },
		{ SV("password"), SV("$argon2id$v=19$m=256,t=2,p=1$"
		  "c29tZXNhbHU$" REF_HASH), 0 },
		{ SV("password"), SV("$argon2id$v=19$m=256,t=2,p=1$" REF_SALT
		  "$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/8"), 0 },
		/* Malformed: 0 without any work. */
		{ SV("password"), SV(""), 0 },
		{ SV("password"), SV("password"), 0 },
		{ SV("password"), SV("$argon2i$v=19$m=256,t=2,p=1$" REF_SALT
		  "$" REF_HASH), 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++)
		CASE_INT(i, password_verify(cases[i].pw, cases[i].phc),
		    cases[i].want);
}

static void
test_parse_ok(void **state)
{
	static const struct {
		struct str	in;
		unsigned long	m, t, p;
		size_t		saltlen;
	} cases[] = {
		{ SV(REF_PHC), 256, 2, 1, 8 },
		{ SV("$argon2id$v=19$m=19456,t=2,p=1$" SALT16 "$" HASH32),
		  19456, 2, 1, 16 },
		/* The bounds themselves. */
		{ SV("$argon2id$v=19$m=8,t=1,p=1$" REF_SALT "$" HASH32),
		  8, 1, 1, 8 },
		{ SV("$argon2id$v=19$m=1048576,t=16,p=16$" REF_SALT "$" HASH32),
		  1048576, 16, 16, 8 },
		{ SV("$argon2id$v=19$m=128,t=1,p=16$" REF_SALT "$" HASH32),
		  128, 1, 16, 8 },
		/* 64 bytes of salt. */
		{ SV("$argon2id$v=19$m=256,t=2,p=1$" SALT64 "$" HASH32),
		  256, 2, 1, 64 },
	};
	struct phc	ph;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		memset(&ph, 0, sizeof(ph));
		CASE_INT(i, password_parse(cases[i].in, &ph), 0);
		CASE_INT(i, ph.m, cases[i].m);
		CASE_INT(i, ph.t, cases[i].t);
		CASE_INT(i, ph.p, cases[i].p);
		CASE_INT(i, ph.saltlen, cases[i].saltlen);
	}
	assert_int_equal(password_parse(STR_LIT(REF_PHC), &ph), 0);
	assert_memory_equal(ph.salt, "somesalt", 8);
	assert_memory_equal(ph.hash, "\x9d\xfe\xb9\x10\xe8\x0b\xad\x03\x11\xfe"
	    "\xe2\x0f\x9c\x0e\x2b\x12\xc1\x79\x87\xb4\xca\xc9\x0c\x2e\xf5\x4d"
	    "\x5b\x30\x21\xc6\x8b\xfe", PW_HASH_LEN);
}

static void
test_parse_bad(void **state)
{
	static const struct str	cases[] = {
		SV(""),
		SV("$"),
		SV("$argon2id$"),
		SV("$argon2id$v=19$m=256,t=2,p=1$" REF_SALT),
		SV("$argon2id$v=19$m=256,t=2,p=1$" REF_SALT "$"),
		SV("$argon2id$v=19$m=256,t=2,p=1$$" REF_HASH),
		/* Other algorithms and versions. */
		SV("$argon2i$v=19$m=256,t=2,p=1$" REF_SALT "$" REF_HASH),
		SV("$argon2d$v=19$m=256,t=2,p=1$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=16$m=256,t=2,p=1$" REF_SALT "$" REF_HASH),
		SV("$argon2id$m=256,t=2,p=1$" REF_SALT "$" REF_HASH),
		SV("$ARGON2ID$v=19$m=256,t=2,p=1$" REF_SALT "$" REF_HASH),
		SV("$2b$12$abcdefghijklmnopqrstuu"
		   "GWm4vKqmbJ7Ku5XGbQTdZ3.yoB1oBW"),
		/* Parameters out of bounds. */
		SV("$argon2id$v=19$m=7,t=2,p=1$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=19$m=0,t=2,p=1$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=19$m=1048577,t=2,p=1$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=19$m=4294967296,t=2,p=1$" REF_SALT "$"
		   REF_HASH),
		SV("$argon2id$v=19$m=99999999999,t=2,p=1$" REF_SALT "$"
		   REF_HASH),
		SV("$argon2id$v=19$m=256,t=0,p=1$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=19$m=256,t=17,p=1$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=19$m=256,t=2,p=0$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=19$m=256,t=2,p=17$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=19$m=15,t=2,p=2$" REF_SALT "$" REF_HASH),
		/* Malformed parameters. */
		SV("$argon2id$v=19$m=,t=2,p=1$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=19$m=-1,t=2,p=1$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=19$m=256,p=1,t=2$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=19$t=2,m=256,p=1$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=19$m=256,t=2$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=19$m=256 ,t=2,p=1$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=19$m=256,t=2,p=1,x=1$" REF_SALT "$" REF_HASH),
		SV("$argon2id$v=19$m=256;t=2;p=1$" REF_SALT "$" REF_HASH),
		/* Salt too short (7 bytes) or too long (65 bytes). */
		SV("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbA$" REF_HASH),
		SV("$argon2id$v=19$m=256,t=2,p=1$" SALT64 "A$" HASH32),
		/* Hash of 31 or 33 bytes. */
		SV("$argon2id$v=19$m=256,t=2,p=1$" REF_SALT "$" HASH31),
		SV("$argon2id$v=19$m=256,t=2,p=1$" REF_SALT "$" HASH32 "A"),
		/* Bad base64 and trailing bytes. */
		SV("$argon2id$v=19$m=256,t=2,p=1$c29t!XNhbHQ$" REF_HASH),
		SV("$argon2id$v=19$m=256,t=2,p=1$" REF_SALT "$" REF_HASH "$"),
		SV("$argon2id$v=19$m=256,t=2,p=1$" REF_SALT "$" REF_HASH " "),
		SV("$argon2id$v=19$m=256,t=2,p=1$" REF_SALT "$" REF_HASH "\n"),
		SV("$argon2id$v=19$m=256,t=2,p=1$" REF_SALT "$" REF_HASH "\0"),
		SV("$argon2id$v=19$m=256,t=2,p=1$" REF_SALT "$" REF_HASH "A"),
		SV(" $argon2id$v=19$m=256,t=2,p=1$" REF_SALT "$" REF_HASH),
	};
	struct phc	ph;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++)
		CASE_INT(i, password_parse(cases[i], &ph), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_verify),
		cmocka_unit_test(test_verify_reference),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_bad),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
