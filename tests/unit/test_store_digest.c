/* test_store_digest.c: unit tests of the stored form of a secret */
#include <string.h>

#include "unit.h"

#include "crypto.h"
#include "store.h"

static int
setup(void **state)
{
	(void)state;
	return crypto_init();
}

static void
test_store_digest(void **state)
{
	static const struct {
		struct str	 in;
		const char	*want;
	} cases[] = {
		{ SV("abc"), "\\xba7816bf8f01cfea414140de5dae2223"
		  "b00361a396177a9cb410ff61f20015ad" },
		{ SV(""), "\\xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
		  "a495991b7852b855" },
	};
	struct arena	 a = { 0 };
	struct str	 tok;
	char		*p;
	size_t		 i, k;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		p = store_digest(&a, cases[i].in);
		CASE_INT(i, strcmp(p, cases[i].want), 0);
	}
	/* Any secret gives "\x" and 64 lower-case hex digits. */
	tok = crypto_token(&a);
	p = store_digest(&a, tok);
	assert_int_equal(strlen(p), 66);
	assert_memory_equal(p, "\\x", 2);
	for (k = 2; k < 66; k++)
		if (!((p[k] >= '0' && p[k] <= '9') ||
		    (p[k] >= 'a' && p[k] <= 'f')))
			fail_msg("byte %zu is %c", k, p[k]);
	assert_string_not_equal(p, store_digest(&a, STR_LIT("x")));
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_digest),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
