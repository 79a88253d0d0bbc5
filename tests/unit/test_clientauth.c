/* test_clientauth.c: unit tests of reading client credentials (no database) */
#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "clientauth.h"
#include "fakeio.h"

#define FORM_TYPE	"CONTENT_TYPE=application/x-www-form-urlencoded"
/* cid:s3cret */
#define BASIC		"HTTP_AUTHORIZATION=Basic Y2lkOnMzY3JldA=="

static struct ctx	c;

/* Read a request: method, Authorization (or NULL), query, form body. */
static void
request(const char *method, const char *auth, const char *query,
    const char *body)
{
	static struct fakeio	 f;
	static char		 cl[48];
	const char		*env[6] = { method, FORM_TYPE, cl, NULL, NULL,
	    NULL };
	size_t			 n = 3;

	arena_reset(&c.a);
	snprintf(cl, sizeof(cl), "CONTENT_LENGTH=%zu",
	    body ? strlen(body) : 0);
	if (auth)
		env[n++] = auth;
	if (query)
		env[n++] = query;
	fakeio_init(&f, &c.a, env, body, body ? strlen(body) : 0);
	req_read(&c.req, &c.a, &f.io, REQ_BODY_MAX);
	assert_int_equal(c.req.err, REQ_OK);
}

static void
test_credentials(void **state)
{
	static const struct {
		const char	*method;
		const char	*auth;
		const char	*query;
		const char	*body;
		int		 rc;
		const char	*id;
		const char	*secret;
		enum oerr	 code;
		int		 qq;
	} cases[] = {
		/* Form parameters, with and without a secret. */
		{ "REQUEST_METHOD=POST", NULL, NULL,
		    "client_id=cid&client_secret=s3cret", 0, "cid", "s3cret",
		    OERR_NONE, 0 },
		{ "REQUEST_METHOD=POST", NULL, NULL, "client_id=cid", 0,
		    "cid", "", OERR_NONE, 0 },
		/* HTTP Basic, its parts form-encoded (RFC 6749 §2.3.1). */
		{ "REQUEST_METHOD=POST", BASIC, NULL, "grant_type=x", 0,
		    "cid", "s3cret", OERR_NONE, 0 },
		{ "REQUEST_METHOD=POST",
		    "HTTP_AUTHORIZATION=basic   YSUzQWI6cCUyMHE=", NULL, NULL,
		    0, "a:b", "p q", OERR_NONE, 0 },
		/* Basic and the same client_id in the body: one client. */
		{ "REQUEST_METHOD=POST", BASIC, NULL, "client_id=cid", 0,
		    "cid", "s3cret", OERR_NONE, 0 },
		/* Another scheme is no client authentication. */
		{ "REQUEST_METHOD=POST", "HTTP_AUTHORIZATION=Bearer abc", NULL,
		    "client_id=cid", 0, "cid", "", OERR_NONE, 0 },
		/* Two methods at once (RFC 6749 §2.3). */
		{ "REQUEST_METHOD=POST", BASIC, NULL, "client_secret=s3cret",
		    -1, NULL, NULL, OERR_INVALID_REQUEST, 0 },
		{ "REQUEST_METHOD=POST", BASIC, NULL, "client_id=other", -1,
		    NULL, NULL, OERR_INVALID_REQUEST, 0 },
		/* Malformed Basic. */
		{ "REQUEST_METHOD=POST", "HTTP_AUTHORIZATION=Basic", NULL,
		    "client_id=cid", -1, NULL, NULL, OERR_INVALID_CLIENT,
		    100009 },
		{ "REQUEST_METHOD=POST", "HTTP_AUTHORIZATION=Basic !!!!", NULL,
		    NULL, -1, NULL, NULL, OERR_INVALID_CLIENT, 100009 },
		{ "REQUEST_METHOD=POST", "HTTP_AUTHORIZATION=Basic Y2lk", NULL,
		    NULL, -1, NULL, NULL, OERR_INVALID_CLIENT, 100009 },
		{ "REQUEST_METHOD=POST", "HTTP_AUTHORIZATION=Basic OnNlYw==",
		    NULL, NULL, -1, NULL, NULL, OERR_INVALID_CLIENT, 100009 },
		/* Repeated parameters, in the body or across query and body. */
		{ "REQUEST_METHOD=POST", NULL, NULL,
		    "client_id=cid&client_id=cid", -1, NULL, NULL,
		    OERR_INVALID_REQUEST, 0 },
		{ "REQUEST_METHOD=POST", NULL, "QUERY_STRING=client_secret=a",
		    "client_id=cid&client_secret=b", -1, NULL, NULL,
		    OERR_INVALID_REQUEST, 0 },
		/* No secret in a POST's URL; QQ's GET carries it there. */
		{ "REQUEST_METHOD=POST", NULL, "QUERY_STRING=client_secret=s",
		    "client_id=cid", -1, NULL, NULL, OERR_INVALID_REQUEST, 0 },
		{ "REQUEST_METHOD=GET", NULL,
		    "QUERY_STRING=client_id=cid&client_secret=s", NULL, 0,
		    "cid", "s", OERR_NONE, 0 },
		/* No client named at all. */
		{ "REQUEST_METHOD=POST", NULL, NULL, "client_secret=s3cret",
		    -1, NULL, NULL, OERR_INVALID_CLIENT, 100001 },
		{ "REQUEST_METHOD=POST", NULL, NULL, NULL, -1, NULL, NULL,
		    OERR_INVALID_CLIENT, 100001 },
	};
	struct oerror	e;
	struct str	id, secret;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		request(cases[i].method, cases[i].auth, cases[i].query,
		    cases[i].body);
		memset(&e, 0, sizeof(e));
		id = secret = STR_NULL;
		CASE_INT(i, client_credentials(&c, &id, &secret, &e),
		    cases[i].rc);
		CASE_INT(i, e.code, cases[i].code);
		CASE_INT(i, e.qq, cases[i].qq);
		if (cases[i].rc == 0) {
			CASE_STR(i, id, cases[i].id);
			CASE_STR(i, secret, cases[i].secret);
		}
	}
}

/* Revoke and introspect: one token, at most one hint. */
static void
test_token_request(void **state)
{
	static const struct {
		const char	*body;
		int		 rc;
		const char	*token;
	} cases[] = {
		{ "token=abc", 0, "abc" },
		{ "token=abc&token_type_hint=access_token", 0, "abc" },
		{ "token=abc&token_type_hint=a&token_type_hint=b", -1, NULL },
		{ "token=abc&token=abc", -1, NULL },
		{ "token_type_hint=access_token", -1, NULL },
		{ "", -1, NULL },
	};
	struct oerror	e;
	struct str	tok;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		request("REQUEST_METHOD=POST", NULL, NULL, cases[i].body);
		memset(&e, 0, sizeof(e));
		CASE_INT(i, client_token_request(&c, 0, NULL, &tok, &e),
		    cases[i].rc);
		if (cases[i].rc == 0)
			CASE_STR(i, tok, cases[i].token);
		else
			CASE_INT(i, e.code, OERR_INVALID_REQUEST);
	}
}

static int
teardown(void **state)
{
	(void)state;
	arena_free(&c.a);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_credentials),
		cmocka_unit_test(test_token_request),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
