/* test_response.c: unit tests of writing a response through a fake I/O */
#include <string.h>

#include "unit.h"

#include "fakeio.h"
#include "json.h"
#include "response.h"

#define SECURITY_HEADERS						\
	"Cache-Control: no-store\r\n"					\
	"Pragma: no-cache\r\n"						\
	"X-Content-Type-Options: nosniff\r\n"				\
	"X-Frame-Options: DENY\r\n"					\
	"Referrer-Policy: no-referrer\r\n"
#define CSP_OTHER "Content-Security-Policy: default-src 'none'; "	\
	"frame-ancestors 'none'\r\n"
#define CSP_HTML "Content-Security-Policy: default-src 'none'; "	\
	"script-src 'self'; style-src 'self'; img-src 'self' https: data:; " \
	"base-uri 'none'; frame-ancestors 'none'\r\n"

/* Flush r into a fresh fake I/O and compare every byte with want. */
static void
flushes_to(struct resp *r, struct arena *a, const char *want)
{
	struct fakeio	f;

	fakeio_init(&f, a, NULL, NULL, 0);
	assert_int_equal(resp_flush(r, &f.io), 0);
	if (!str_eq_c(strbuf_str(&f.out), want))
		fail_msg("wrote \"%.*s\", want \"%s\"", (int)f.out.n,
		    f.out.p, want);
}

static void
test_empty_answer(void **state)
{
	struct arena	a = { 0 };
	struct resp	r;

	(void)state;
	resp_init(&r, &a);
	flushes_to(&r, &a, "Status: 200 OK\r\n"
	    "Content-Type: text/plain;charset=UTF-8\r\n"
	    "Content-Length: 0\r\n" SECURITY_HEADERS CSP_OTHER "\r\n");
	arena_free(&a);
}

static void
test_headers_then_body(void **state)
{
	struct arena	a = { 0 };
	struct resp	r;

	(void)state;
	resp_init(&r, &a);
	assert_int_equal(resp_header(&r, "Vary", STR_LIT("Origin")), 0);
	assert_int_equal(resp_header(&r, "Allow", STR_LIT("GET, POST")), 0);
	resp_text(&r, 404, "text/html;charset=UTF-8", STR_LIT("<p>gone</p>"));
	r.html = 1;
	flushes_to(&r, &a, "Status: 404 Not Found\r\n"
	    "Content-Type: text/html;charset=UTF-8\r\n"
	    "Content-Length: 11\r\n" SECURITY_HEADERS CSP_HTML
	    "Vary: Origin\r\nAllow: GET, POST\r\n\r\n<p>gone</p>");
	arena_free(&a);
}

/* No request data can split the answer: CR, LF, NUL are refused. */
static void
test_header_injection(void **state)
{
	static const struct str	bad[] = {
		SV("a\r\nSet-Cookie: x=1"), SV("a\nb"), SV("a\rb"), SV("a\0b"),
	};
	struct arena	a = { 0 };
	struct resp	r;
	size_t		i;

	(void)state;
	resp_init(&r, &a);
	for (i = 0; i < NELEM(bad); i++) {
		CASE_INT(i, resp_header(&r, "X-Test", bad[i]), -1);
		CASE_INT(i, resp_redirect(&r, 302, bad[i]), -1);
	}
	assert_int_equal(resp_header(&r, "X-A\r\nB", STR_LIT("v")), -1);
	assert_int_equal(r.headers.n, 0);
	/* A refused redirect leaves the answer as it was. */
	assert_int_equal(r.status, 200);
	arena_free(&a);
}

static void
test_redirect(void **state)
{
	struct arena	a = { 0 };
	struct resp	r;

	(void)state;
	resp_init(&r, &a);
	strbuf_puts(&r.body, "stale");
	assert_int_equal(resp_redirect(&r, 303,
	    STR_LIT("https://rp.example/cb?code=a%20b")), 0);
	flushes_to(&r, &a, "Status: 303 See Other\r\n"
	    "Content-Type: text/plain;charset=UTF-8\r\n"
	    "Content-Length: 0\r\n" SECURITY_HEADERS CSP_OTHER
	    "Location: https://rp.example/cb?code=a%20b\r\n\r\n");
	arena_free(&a);
}

/* A plain error replaces an HTML page: its type, CSP and body. */
static void
test_plain_replaces_page(void **state)
{
	struct arena	a = { 0 };
	struct resp	r;

	(void)state;
	resp_init(&r, &a);
	resp_text(&r, 200, "text/html;charset=UTF-8", STR_LIT("<html>"));
	r.html = 1;
	resp_plain(&r, 503, "service temporarily unavailable");
	flushes_to(&r, &a, "Status: 503 Service Unavailable\r\n"
	    "Content-Type: text/plain;charset=UTF-8\r\n"
	    "Content-Length: 32\r\n" SECURITY_HEADERS CSP_OTHER
	    "\r\nservice temporarily unavailable\n");
	arena_free(&a);
}

/* The three JSON shapes as they go out, headers and all. */
static void
test_json_on_the_wire(void **state)
{
	static const struct {
		enum resp_json	 fmt;
		struct str	 cb;
		const char	*want;
	} cases[] = {
		{ RESP_JSON, SV(""), "Status: 400 Bad Request\r\n"
		    "Content-Type: application/json;charset=UTF-8\r\n"
		    "Content-Length: 14\r\n" SECURITY_HEADERS CSP_OTHER
		    "\r\n{\"a\":\"\\u2028\"}" },
		{ RESP_JSONP_QQ, SV(""), "Status: 400 Bad Request\r\n"
		    "Content-Type: application/javascript;charset=UTF-8\r\n"
		    "Content-Length: 28\r\n" SECURITY_HEADERS CSP_OTHER
		    "\r\ncallback( {\"a\":\"\\u2028\"} );\n" },
		{ RESP_JSONP_NAMED, SV("cb"), "Status: 400 Bad Request\r\n"
		    "Content-Type: application/javascript;charset=UTF-8\r\n"
		    "Content-Length: 26\r\n" SECURITY_HEADERS CSP_OTHER
		    "\r\n/**/cb( {\"a\":\"\\u2028\"} );\n" },
	};
	struct arena	 a = { 0 };
	struct resp	 r;
	json_object	*o = json_object_new_object();
	struct fakeio	 f;
	size_t		 i;

	(void)state;
	json_object_object_add(o, "a", json_object_new_string("\xe2\x80\xa8"));
	for (i = 0; i < NELEM(cases); i++) {
		resp_init(&r, &a);
		resp_json(&r, 400, o, cases[i].fmt, cases[i].cb);
		fakeio_init(&f, &a, NULL, NULL, 0);
		CASE_INT(i, resp_flush(&r, &f.io), 0);
		CASE_STR(i, strbuf_str(&f.out), cases[i].want);
	}
	json_object_put(o);
	arena_free(&a);
}

static void
test_write_failure(void **state)
{
	struct arena	a = { 0 };
	struct resp	r;
	struct fakeio	f;

	(void)state;
	resp_init(&r, &a);
	resp_plain(&r, 400, "bad");
	fakeio_init(&f, &a, NULL, NULL, 0);
	f.fail_write = 1;
	assert_int_equal(resp_flush(&r, &f.io), -1);
	arena_free(&a);
}

static void
test_reasons(void **state)
{
	static const struct {
		int		 status;
		const char	*want;
	} cases[] = {
		{ 200, "OK" }, { 302, "Found" }, { 303, "See Other" },
		{ 400, "Bad Request" }, { 401, "Unauthorized" },
		{ 403, "Forbidden" }, { 404, "Not Found" },
		{ 405, "Method Not Allowed" }, { 413, "Payload Too Large" },
		{ 429, "Too Many Requests" }, { 500, "Internal Server Error" },
		{ 503, "Service Unavailable" }, { 418, "Unknown" },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++)
		CASE_INT(i, strcmp(resp_reason(cases[i].status),
		    cases[i].want), 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_empty_answer),
		cmocka_unit_test(test_headers_then_body),
		cmocka_unit_test(test_header_injection),
		cmocka_unit_test(test_redirect),
		cmocka_unit_test(test_plain_replaces_page),
		cmocka_unit_test(test_json_on_the_wire),
		cmocka_unit_test(test_write_failure),
		cmocka_unit_test(test_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
