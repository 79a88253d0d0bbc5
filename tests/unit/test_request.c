/* test_request.c: unit tests of reading a request through a fake I/O */
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "fakeio.h"
#include "request.h"

#define FORM_TYPE	"CONTENT_TYPE=application/x-www-form-urlencoded"

/* Read env and body (a C string) with the standard limit. */
static void
read_req(struct req *r, struct arena *a, struct fakeio *f,
    const char *const *env, const char *body)
{
	fakeio_init(f, a, env, body, body ? strlen(body) : 0);
	req_read(r, a, &f->io, REQ_BODY_MAX);
}

static void
test_environment(void **state)
{
	static const char *const env[] = {
		"REQUEST_METHOD=GET",
		"HTTP_COOKIE=a=1; b=2",
		"HTTP_AUTHORIZATION=Bearer abc",
		"HTTP_ACCEPT_LANGUAGE=en",
		"REMOTE_ADDR=192.0.2.1",
		"HTTP_ORIGIN=https://rp.example",
		"HTTP_ACCESS_CONTROL_REQUEST_METHOD=POST",
		"HTTP_SEC_FETCH_SITE=same-origin",
		"HTTP_HOST=as.example",
		"REQUEST_URI=/oauth2.0/me?x=1?y",
		"HTTPS=on",
		NULL
	};
	struct arena	a = { 0 };
	struct fakeio	f;
	struct req	r;

	(void)state;
	read_req(&r, &a, &f, env, NULL);
	assert_int_equal(r.err, REQ_OK);
	assert_true(req_is(&r, "GET"));
	assert_false(req_is(&r, "get"));
	assert_true(str_eq_c(r.cookie, "a=1; b=2"));
	assert_true(str_eq_c(r.authorization, "Bearer abc"));
	assert_int_equal(r.nauthorization, 1);
	assert_true(str_eq_c(r.accept_language, "en"));
	assert_true(str_eq_c(r.remote_addr, "192.0.2.1"));
	assert_true(str_eq_c(r.origin, "https://rp.example"));
	assert_true(str_eq_c(r.cors_method, "POST"));
	assert_true(str_eq_c(r.sec_fetch_site, "same-origin"));
	assert_true(str_eq_c(r.host, "as.example"));
	assert_true(str_eq_c(r.path, "/oauth2.0/me"));
	assert_int_equal(r.https, 1);
	assert_int_equal(r.is_form, 0);
	assert_int_equal(r.params.n, 0);
	arena_free(&a);
}

static void
test_https_and_form_type(void **state)
{
	static const struct {
		const char	*https;
		const char	*ctype;
		int		 want_https;
		int		 want_form;
	} cases[] = {
		{ "HTTPS=on", FORM_TYPE, 1, 1 },
		{ "HTTPS=1", "CONTENT_TYPE=application/x-www-form-urlencoded; "
		    "charset=UTF-8", 1, 1 },
		{ "HTTPS=off", "CONTENT_TYPE=Application/X-WWW-Form-Urlencoded"
		    "  ;x", 0, 1 },
		{ "HTTPS=OFF", "CONTENT_TYPE=text/plain", 0, 0 },
		{ "HTTPS=", "CONTENT_TYPE=application/json", 0, 0 },
		{ "X=1", "CONTENT_TYPE=application/x-www-form-urlencodedx", 0,
		    0 },
	};
	struct arena	a = { 0 };
	struct fakeio	f;
	struct req	r;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		const char *const env[] = { "REQUEST_METHOD=GET",
		    cases[i].https, cases[i].ctype, NULL };

		read_req(&r, &a, &f, env, NULL);
		CASE_INT(i, r.https, cases[i].want_https);
		CASE_INT(i, r.is_form, cases[i].want_form);
	}
	arena_free(&a);
}

/* Query first, then the body; duplicates across both are duplicates. */
static void
test_query_then_body(void **state)
{
	static const char *const env[] = {
		"REQUEST_METHOD=POST", FORM_TYPE, "CONTENT_LENGTH=15",
		"QUERY_STRING=a=1&c=%E4%B8%AD", NULL
	};
	static const size_t	chunks[] = { 0, 1, 3, 4096 };
	struct arena		a = { 0 };
	struct fakeio		f;
	struct req		r;
	struct str		v;
	size_t			i;

	(void)state;
	for (i = 0; i < NELEM(chunks); i++) {
		fakeio_init(&f, &a, env, "b=x+y&a=3&d=%21", 15);
		f.chunk = chunks[i];
		req_read(&r, &a, &f.io, REQ_BODY_MAX);
		CASE_INT(i, r.err, REQ_OK);
		CASE_INT(i, r.params.n, 5);
		CASE_INT(i, r.nquery, 2);
		CASE_INT(i, f.off, 15);
		CASE_INT(i, req_param(&r, "a", &v), FORM_DUP);
		CASE_INT(i, req_param(&r, "b", &v), FORM_ONE);
		CASE_STR(i, v, "x y");
		CASE_INT(i, req_param(&r, "c", &v), FORM_ONE);
		CASE_STR(i, v, "\xe4\xb8\xad");
		CASE_INT(i, req_param(&r, "d", &v), FORM_ONE);
		CASE_STR(i, v, "!");
		CASE_INT(i, req_param(&r, "e", &v), FORM_ABSENT);
		CASE_INT(i, req_in_query(&r, "a"), 1);
		CASE_INT(i, req_in_query(&r, "c"), 1);
		CASE_INT(i, req_in_query(&r, "b"), 0);
		CASE_INT(i, req_in_query(&r, "d"), 0);
	}
	arena_free(&a);
}

/* Which methods have their body read, and what a bad one records. */
static void
test_bodies(void **state)
{
	static const struct {
		const char	*method;
		const char	*ctype;
		const char	*length;
		const char	*query;
		const char	*body;
		enum req_err	 err;
		size_t		 read;	/* body bytes taken */
		size_t		 nparams;
	} cases[] = {
		{ "REQUEST_METHOD=POST", FORM_TYPE, "CONTENT_LENGTH=3", NULL,
		    "a=1", REQ_OK, 3, 1 },
		{ "REQUEST_METHOD=PUT", FORM_TYPE, "CONTENT_LENGTH=3", NULL,
		    "a=1", REQ_OK, 3, 1 },
		{ "REQUEST_METHOD=PATCH", FORM_TYPE, "CONTENT_LENGTH=3", NULL,
		    "a=1", REQ_OK, 3, 1 },
		/* GET, HEAD, DELETE: no body is read, whatever is sent. */
		{ "REQUEST_METHOD=GET", FORM_TYPE, "CONTENT_LENGTH=3", NULL,
		    "a=1", REQ_OK, 0, 0 },
		{ "REQUEST_METHOD=DELETE", FORM_TYPE, "CONTENT_LENGTH=3", NULL,
		    "a=1", REQ_OK, 0, 0 },
		/* No length: an empty body. */
		{ "REQUEST_METHOD=POST", FORM_TYPE, "X=1", NULL, "a=1",
		    REQ_OK, 0, 0 },
		{ "REQUEST_METHOD=POST", FORM_TYPE, "CONTENT_LENGTH=0", NULL,
		    "", REQ_OK, 0, 0 },
		{ "REQUEST_METHOD=POST", FORM_TYPE, "CONTENT_LENGTH=abc", NULL,
		    "a=1", REQ_BAD_BODY, 0, 0 },
		{ "REQUEST_METHOD=POST", FORM_TYPE, "CONTENT_LENGTH=-3", NULL,
		    "a=1", REQ_BAD_BODY, 0, 0 },
		/* Shorter than said. */
		{ "REQUEST_METHOD=POST", FORM_TYPE, "CONTENT_LENGTH=9", NULL,
		    "a=1", REQ_BAD_BODY, 3, 0 },
		{ "REQUEST_METHOD=POST", "CONTENT_TYPE=application/json",
		    "CONTENT_LENGTH=2", NULL, "{}", REQ_BAD_BODY, 2, 0 },
		{ "REQUEST_METHOD=POST", FORM_TYPE, "CONTENT_LENGTH=6", NULL,
		    "a=%zz1", REQ_BAD_ENCODING, 6, 0 },
		{ "REQUEST_METHOD=POST", FORM_TYPE, "CONTENT_LENGTH=5", NULL,
		    "a=%00", REQ_BAD_ENCODING, 5, 0 },
		/* A bad query: the body is not even read. */
		{ "REQUEST_METHOD=POST", FORM_TYPE, "CONTENT_LENGTH=3",
		    "QUERY_STRING=%ff", "a=1", REQ_BAD_ENCODING, 0, 0 },
		{ "REQUEST_METHOD=GET", FORM_TYPE, "X=1", "QUERY_STRING=a=%C3",
		    NULL, REQ_BAD_ENCODING, 0, 0 },
	};
	struct arena	a = { 0 };
	struct fakeio	f;
	struct req	r;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		const char *const env[] = { cases[i].method, cases[i].ctype,
		    cases[i].length, cases[i].query, NULL };

		read_req(&r, &a, &f, env, cases[i].body);
		CASE_INT(i, r.err, cases[i].err);
		CASE_INT(i, f.off, cases[i].read);
		if (cases[i].err == REQ_OK)
			CASE_INT(i, r.params.n, cases[i].nparams);
	}
	arena_free(&a);
}

/* More parameters than FORM_MAX_PARAMS, in the query or in the body. */
static void
test_too_many_parameters(void **state)
{
	static const char *const get[] = { "REQUEST_METHOD=GET", NULL, NULL };
	static const char *const post[] = { "REQUEST_METHOD=POST", FORM_TYPE,
	    NULL, NULL };
	struct arena	 a = { 0 };
	struct fakeio	 f;
	struct req	 r;
	struct strbuf	 b, q, cl;
	const char	*env[4];
	size_t		 i;

	(void)state;
	strbuf_init(&b, &a);
	for (i = 0; i < FORM_MAX_PARAMS; i++)
		strbuf_puts(&b, i ? "&p=1" : "p=1");
	strbuf_init(&q, &a);
	strbuf_appendf(&q, "QUERY_STRING=%.*s", (int)b.n, b.p);
	memcpy(env, get, sizeof(get));
	env[1] = q.p;
	read_req(&r, &a, &f, env, NULL);
	assert_int_equal(r.err, REQ_OK);
	assert_int_equal(r.params.n, FORM_MAX_PARAMS);
	strbuf_puts(&b, "&p=1");
	strbuf_init(&q, &a);
	strbuf_appendf(&q, "QUERY_STRING=%.*s", (int)b.n, b.p);
	env[1] = q.p;
	read_req(&r, &a, &f, env, NULL);
	assert_int_equal(r.err, REQ_BAD_ENCODING);
	/* In the body as well. */
	strbuf_init(&cl, &a);
	strbuf_appendf(&cl, "CONTENT_LENGTH=%zu", b.n);
	memcpy(env, post, sizeof(post));
	env[2] = cl.p;
	read_req(&r, &a, &f, env, b.p);
	assert_int_equal(r.err, REQ_BAD_ENCODING);
	arena_free(&a);
}

/*
 * The body limit: up to it is read; over it nothing is kept, the body is
 * read and dropped (at most REQ_DRAIN_MAX) and the request is too large.
 */
static void
test_body_limit(void **state)
{
	static const struct {
		size_t		 limit;
		size_t		 length;
		size_t		 sent;
		enum req_err	 err;
		size_t		 read;
	} cases[] = {
		{ REQ_BODY_MAX, REQ_BODY_MAX, REQ_BODY_MAX, REQ_OK,
		    REQ_BODY_MAX },
		{ REQ_BODY_MAX, REQ_BODY_MAX + 1, REQ_BODY_MAX + 1,
		    REQ_TOO_LARGE, REQ_BODY_MAX + 1 },
		{ 10, 10, 10, REQ_OK, 10 },
		{ 10, 11, 11, REQ_TOO_LARGE, 11 },
		{ 0, 1, 1, REQ_TOO_LARGE, 1 },
		/* A client that sends less than it said: read what came. */
		{ 10, 500, 20, REQ_TOO_LARGE, 20 },
		/* Far over: only REQ_DRAIN_MAX is read before the answer. */
		{ REQ_BODY_MAX, 3 * REQ_DRAIN_MAX, 3 * REQ_DRAIN_MAX,
		    REQ_TOO_LARGE, REQ_DRAIN_MAX },
	};
	struct arena	 a = { 0 };
	struct fakeio	 f;
	struct req	 r;
	struct strbuf	 cl;
	char		*body;
	size_t		 i, n;

	(void)state;
	body = malloc(3 * REQ_DRAIN_MAX);
	assert_non_null(body);
	/* "p=xxxx…": one parameter whatever the length. */
	memset(body, 'x', 3 * REQ_DRAIN_MAX);
	memcpy(body, "p=", 2);
	for (i = 0; i < NELEM(cases); i++) {
		const char	*env[] = { "REQUEST_METHOD=POST", FORM_TYPE,
		    NULL, NULL };

		strbuf_init(&cl, &a);
		strbuf_appendf(&cl, "CONTENT_LENGTH=%zu", cases[i].length);
		env[2] = cl.p;
		fakeio_init(&f, &a, env, body, cases[i].sent);
		f.chunk = 1000;
		req_read(&r, &a, &f.io, cases[i].limit);
		CASE_INT(i, r.err, cases[i].err);
		CASE_INT(i, f.off, cases[i].read);
		n = cases[i].err == REQ_OK ? 1 : 0;
		CASE_INT(i, r.params.n, n);
		arena_reset(&a);
	}
	free(body);
	arena_free(&a);
}

/* No Authorization header, or an empty one: none; no REQUEST_URI. */
static void
test_absent_headers(void **state)
{
	static const char *const none[] = { "REQUEST_METHOD=GET", NULL };
	static const char *const empty[] = { "REQUEST_METHOD=GET",
	    "HTTP_AUTHORIZATION=", NULL };
	struct arena	a = { 0 };
	struct fakeio	f;
	struct req	r;

	(void)state;
	read_req(&r, &a, &f, none, NULL);
	assert_int_equal(r.nauthorization, 0);
	assert_int_equal(r.path.n, 0);
	read_req(&r, &a, &f, empty, NULL);
	assert_int_equal(r.nauthorization, 0);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_https_and_form_type),
		cmocka_unit_test(test_query_then_body),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_too_many_parameters),
		cmocka_unit_test(test_body_limit),
		cmocka_unit_test(test_absent_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
