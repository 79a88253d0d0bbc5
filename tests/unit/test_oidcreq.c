/* test_oidcreq.c: unit tests of the OpenID Connect request rules */
#include <string.h>

#include "unit.h"

#include "oidcreq.h"

static void
test_prompt(void **state)
{
	static const struct {
		const char	*in;
		int		 rc;
		unsigned	 flags;
	} cases[] = {
		{ "", 0, 0 },
		{ "none", 0, PROMPT_NONE },
		{ "login", 0, PROMPT_LOGIN },
		{ "consent", 0, PROMPT_CONSENT },
		{ "select_account", 0, PROMPT_SELECT },
		{ "login consent", 0, PROMPT_LOGIN | PROMPT_CONSENT },
		{ "consent login consent", 0, PROMPT_LOGIN | PROMPT_CONSENT },
		{ "none login", -1, 0 },
		{ "consent none", -1, 0 },
		{ "None", -1, 0 },
		{ "nothing", -1, 0 },
		{ "login,consent", 0, PROMPT_LOGIN | PROMPT_CONSENT },
	};
	unsigned	flags;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		CASE_INT(i, oidc_prompt_parse(str_c(cases[i].in), &flags),
		    cases[i].rc);
		if (cases[i].rc == 0)
			CASE_INT(i, flags, cases[i].flags);
	}
}

static void
test_scope(void **state)
{
	static const struct {
		const char	*client;
		const char	*requested;
		int		 rc;
		const char	*want;
		int		 openid;
	} cases[] = {
		/* No scope: the client's, less the OpenID ones. */
		{ "email get_user_info list_album openid profile", "", 0,
		  "get_user_info list_album", 0 },
		{ "openid profile", "", 0, "", 0 },
		/* OpenID: unknown or not the client's ignored. */
		{ "get_user_info openid profile", "openid profile email x", 0,
		  "openid profile", 1 },
		{ "get_user_info openid", "openid,get_user_info", 0,
		  "openid get_user_info", 1 },
		/* Plain OAuth: all must be the client's. */
		{ "get_user_info openid", "get_user_info x", -1, "", 0 },
		{ "get_user_info", "openid get_user_info", -1, "", 0 },
		{ "get_user_info list_album", "list_album", 0, "list_album", 0 },
	};
	struct scopes	client, out;
	struct arena	a = { 0 };
	size_t		i;
	int		openid;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		assert_int_equal(scope_parse(&client, str_c(cases[i].client)),
		    0);
		CASE_INT(i, oidc_scope_pick(&client, str_c(cases[i].requested),
		    &out, &openid), cases[i].rc);
		if (cases[i].rc)
			continue;
		CASE_INT(i, openid, cases[i].openid);
		CASE_STR(i, scope_str(&a, &out), cases[i].want);
	}
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prompt),
		cmocka_unit_test(test_scope),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
