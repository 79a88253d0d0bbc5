/* test_oerror.c: unit tests of the protocol error table */
#include <string.h>

#include "unit.h"

#include "oerror.h"
#include "response.h"

static void
test_table(void **state)
{
	static const struct {
		enum oerr	 code;
		const char	*name;
		int		 status;
	} cases[] = {
		{ OERR_INVALID_REQUEST, "invalid_request", 400 },
		{ OERR_INVALID_CLIENT, "invalid_client", 401 },
		{ OERR_INVALID_GRANT, "invalid_grant", 400 },
		{ OERR_UNAUTHORIZED_CLIENT, "unauthorized_client", 400 },
		{ OERR_UNSUPPORTED_GRANT_TYPE, "unsupported_grant_type", 400 },
		{ OERR_INVALID_SCOPE, "invalid_scope", 400 },
		{ OERR_ACCESS_DENIED, "access_denied", 403 },
		{ OERR_UNSUPPORTED_RESPONSE_TYPE, "unsupported_response_type",
		  400 },
		{ OERR_SERVER_ERROR, "server_error", 500 },
		{ OERR_TEMPORARILY_UNAVAILABLE, "temporarily_unavailable",
		  503 },
		{ OERR_LOGIN_REQUIRED, "login_required", 400 },
		{ OERR_CONSENT_REQUIRED, "consent_required", 400 },
		{ OERR_INVALID_TOKEN, "invalid_token", 401 },	/* RFC 6750 */
		{ OERR_INSUFFICIENT_SCOPE, "insufficient_scope", 403 },
		{ OERR_METHOD_NOT_ALLOWED, "invalid_request", 405 },
		{ OERR_TOO_LARGE, "invalid_request", 413 },
		{ OERR_TOO_MANY_REQUESTS, "slow_down", 429 },
		/* OpenID Connect Core §3.1.2.6 */
		{ OERR_REQUEST_NOT_SUPPORTED, "request_not_supported", 400 },
		{ OERR_INVALID_TARGET, "invalid_target", 400 },	/* RFC 8707 */
	};
	size_t	i;

	(void)state;
	/* The table above covers every error. */
	assert_int_equal(NELEM(cases), OERR__COUNT - 1);
	for (i = 0; i < NELEM(cases); i++) {
		CASE_INT(i, cases[i].code, i + 1);
		CASE_STR(i, str_c(oerr_name(cases[i].code)), cases[i].name);
		CASE_INT(i, oerr_status(cases[i].code), cases[i].status);
	}
}

/* Every error has a name, a status with a reason, a QQ code, a text. */
static void
test_every_code(void **state)
{
	struct oerror	 e;
	const char	*s;
	int		 c;

	(void)state;
	for (c = OERR_NONE + 1; c < OERR__COUNT; c++) {
		OERR_SET(&e, (enum oerr)c, 0, NULL);
		s = oerr_name(e.code);
		CASE_INT(c, s != NULL && *s != '\0', 1);
		CASE_INT(c, strspn(s, "abcdefghijklmnopqrstuvwxyz_"),
		    strlen(s));
		CASE_INT(c, oerr_status(e.code) >= 400 &&
		    oerr_status(e.code) < 600, 1);
		CASE_INT(c, strcmp(resp_reason(oerr_status(e.code)),
		    "Unknown") != 0, 1);
		CASE_INT(c, oerr_qq(&e) >= 100000 && oerr_qq(&e) < 200000, 1);
		s = oerr_desc(&e);
		CASE_INT(c, s != NULL && *s != '\0', 1);
		for (; *s != '\0'; s++)
			CASE_INT(c, *s >= 0x20 && *s < 0x7f, 1);
	}
}

/* QQ codes and descriptions: the table's unless the error sets its own. */
static void
test_qq_defaults(void **state)
{
	static const struct {
		enum oerr	 code;
		int		 qq;
		const char	*desc;
		int		 want_qq;
		const char	*want_desc;
	} cases[] = {
		{ OERR_INVALID_REQUEST, 0, NULL, 100000, "invalid request" },
		{ OERR_INVALID_CLIENT, 0, NULL, 100009,
		  "client authentication failed" },
		{ OERR_INVALID_GRANT, 0, NULL, 100019, "invalid grant" },
		{ OERR_UNSUPPORTED_GRANT_TYPE, 0, NULL, 100004,
		  "unsupported grant_type" },
		{ OERR_INVALID_SCOPE, 0, NULL, 100030, "invalid scope" },
		{ OERR_SERVER_ERROR, 0, NULL, 100016, "internal server error" },
		{ OERR_INVALID_TOKEN, 0, NULL, 100016,
		  "access token check failed" },
		{ OERR_INVALID_REQUEST, 100008, NULL, 100008,
		  "invalid request" },
		{ OERR_INVALID_REQUEST, 0, "client_id is missing", 100000,
		  "client_id is missing" },
		{ OERR_INVALID_GRANT, 100020, "code reused", 100020,
		  "code reused" },
	};
	struct oerror	e;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		OERR_SET(&e, cases[i].code, cases[i].qq, cases[i].desc);
		CASE_INT(i, oerr_qq(&e), cases[i].want_qq);
		CASE_INT(i, strcmp(oerr_desc(&e), cases[i].want_desc), 0);
	}
}

/* A code outside the table degrades to a server error. */
static void
test_out_of_range(void **state)
{
	struct oerror	e;

	(void)state;
	assert_string_equal(oerr_name(OERR__COUNT), "server_error");
	assert_int_equal(oerr_status(OERR__COUNT), 500);
	OERR_SET(&e, OERR__COUNT, 0, NULL);
	assert_int_equal(oerr_qq(&e), 100016);
	assert_non_null(oerr_desc(&e));
	assert_int_equal(oerr_status(OERR_NONE), 200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_every_code),
		cmocka_unit_test(test_qq_defaults),
		cmocka_unit_test(test_out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
