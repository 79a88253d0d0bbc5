/* test_openid.c: unit tests of pairwise openid and per-owner unionid */
#include <limits.h>
#include <string.h>

#include "unit.h"

#include "crypto.h"
#include "openid.h"

static unsigned char	key[32];	/* 00 01 02 … 1f */

static int
setup(void **state)
{
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)i;
	return crypto_init();
}

/* 32 upper-case hex characters and a NUL. */
static void
check_form(size_t i, const char *id)
{
	size_t	k;

	for (k = 0; k < OPENID_LEN; k++)
		if (!((id[k] >= '0' && id[k] <= '9') ||
		    (id[k] >= 'A' && id[k] <= 'F')))
			fail_msg("case %zu: byte %zu of %s", i, k, id);
	CASE_INT(i, id[OPENID_LEN], '\0');
}

/*
 * Known values pin the derivation, since openids are stored by clients
 * and must not change: the first 16 bytes of
 * HMAC-SHA256(key, label 0 id 0 decimal user_id).
 */
static void
test_vectors(void **state)
{
	static const struct {
		int		 union_;	/* openid_unionid, else openid */
		struct str	 id;
		long		 user;
		const char	*want;
	} cases[] = {
		{ 0, SV("101"), 7, "962A928D8433BDA0039E86BE361870A1" },
		{ 0, SV("102"), 7, "D55738BF24E3D37333F888B122B47410" },
		{ 0, SV("101"), 0, "A92008975D0B051DC5B399A260092F2B" },
		{ 0, SV("101"), LONG_MAX, "711BF74193B99DEEE5FAA01F92C6D61A" },
		{ 1, SV("owner-1"), 7, "A90B49552BAEC4F046E7BAF7F2E35066" },
	};
	char	out[OPENID_LEN + 1];
	size_t	i;
	int	rc;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		memset(out, 'x', sizeof(out));
		if (cases[i].union_)
			rc = openid_unionid(key, sizeof(key), cases[i].id,
			    cases[i].user, out);
		else
			rc = openid_make(key, sizeof(key), cases[i].id,
			    cases[i].user, out);
		CASE_INT(i, rc, 0);
		check_form(i, out);
		CASE_INT(i, strcmp(out, cases[i].want), 0);
	}
}

/* Every input changes the result; the same input always gives it back. */
static void
test_properties(void **state)
{
	static const unsigned char	other_key[32] = { 1 };
	static const struct {
		const unsigned char	*key;
		struct str		 client;
		long			 user;
	} cases[] = {
		{ key, SV("101"), 7 },		/* the reference */
		{ key, SV("102"), 7 },		/* another client */
		{ key, SV("101"), 8 },		/* another user */
		{ other_key, SV("101"), 7 },	/* another server key */
		{ key, SV("1"), 17 },		/* "1" 0 "17" differs */
		{ key, SV("11"), 7 },		/* from "11" 0 "7" */
		{ key, SV(""), 7 },
	};
	char	ids[NELEM(cases)][OPENID_LEN + 1], again[OPENID_LEN + 1];
	char	u[OPENID_LEN + 1];
	size_t	i, j;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		CASE_INT(i, openid_make(cases[i].key, 32, cases[i].client,
		    cases[i].user, ids[i]), 0);
		check_form(i, ids[i]);
		CASE_INT(i, openid_make(cases[i].key, 32, cases[i].client,
		    cases[i].user, again), 0);
		CASE_INT(i, strcmp(ids[i], again), 0);
		for (j = 0; j < i; j++)
			if (strcmp(ids[i], ids[j]) == 0)
				fail_msg("cases %zu and %zu: same openid", j,
				    i);
	}
	/* A unionid never equals the openid over the same strings. */
	assert_int_equal(openid_unionid(key, 32, STR_LIT("101"), 7, u), 0);
	assert_string_not_equal(u, ids[0]);
}

/* One owner's clients share the unionid; other owners do not. */
static void
test_unionid(void **state)
{
	static const struct {
		struct str	owner, client;
	} clients[] = {
		{ SV("owner-1"), SV("101") },
		{ SV("owner-1"), SV("102") },
		{ SV("owner-1"), SV("103") },
		{ SV("owner-2"), SV("201") },
	};
	char	u[NELEM(clients)][OPENID_LEN + 1];
	char	o[NELEM(clients)][OPENID_LEN + 1];
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(clients); i++) {
		CASE_INT(i, openid_unionid(key, sizeof(key), clients[i].owner, 7,
		    u[i]), 0);
		CASE_INT(i, openid_make(key, sizeof(key), clients[i].client, 7,
		    o[i]), 0);
		check_form(i, u[i]);
	}
	assert_string_equal(u[0], u[1]);
	assert_string_equal(u[0], u[2]);
	assert_string_not_equal(u[0], u[3]);
	assert_string_not_equal(o[0], o[1]);
	assert_string_not_equal(o[1], o[2]);
	assert_string_equal(u[0], "A90B49552BAEC4F046E7BAF7F2E35066");
}

/* Ids of up to 256 bytes; longer ones are refused. */
static void
test_long_id(void **state)
{
	static const struct {
		size_t	len;
		int	rc;
	} cases[] = {
		{ 64, 0 },
		{ 256, 0 },
		{ 257, -1 },
		{ 4096, -1 },
	};
	char	buf[4096], out[OPENID_LEN + 1];
	size_t	i;

	(void)state;
	memset(buf, 'c', sizeof(buf));
	for (i = 0; i < NELEM(cases); i++) {
		CASE_INT(i, openid_make(key, sizeof(key),
		    (struct str){ buf, cases[i].len }, 7, out), cases[i].rc);
		CASE_INT(i, openid_unionid(key, sizeof(key),
		    (struct str){ buf, cases[i].len }, 7, out), cases[i].rc);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_unionid),
		cmocka_unit_test(test_long_id),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
