/* test_loop.c: unit tests of the shared loop's refusals, through a fake I/O */
#include <string.h>

#include "unit.h"

#include "fakeio.h"
#include "fcgi_loop.h"
#include "oerror.h"

#define FORM_TYPE	"CONTENT_TYPE=application/x-www-form-urlencoded"

static int		handled;	/* handler calls */
static struct oerror	failed;		/* the hook's last */

static void
handler(struct ctx *c)
{
	handled++;
	resp_text(&c->resp, 200, "text/plain;charset=UTF-8", STR_LIT("ok"));
}

/* A program's own error shape: here the description, as plain text. */
static void
own_shape(struct ctx *c, const struct oerror *e)
{
	failed = *e;
	resp_plain(&c->resp, oerr_status(e->code), oerr_desc(e));
}

static const struct endpoint plain = {
	"plain", METHOD_GET | METHOD_POST, 0, 8, REPLY_PLAIN, handler, NULL
};
static const struct endpoint page = {
	"page", METHOD_GET | METHOD_POST, 0, 8, REPLY_PAGE, handler, NULL
};
static const struct endpoint oauth = {
	"oauth", METHOD_POST, 0, 8, REPLY_OAUTH, handler, NULL
};
static const struct endpoint qq = {
	"qq", METHOD_POST, EP_QQ_GET | EP_CORS, 8, REPLY_QQ, handler,
	own_shape
};
static const struct endpoint resource = {
	"resource", METHOD_GET | METHOD_POST, EP_CORS, 8, REPLY_RESOURCE,
	handler, own_shape
};
static const struct endpoint keys = {
	"keys", METHOD_GET | METHOD_HEAD, EP_NO_PARAMS, 0, REPLY_PLAIN,
	handler, NULL
};

/* The ways a request can come: method and body. */
enum shape {
	GET_OK,		/* GET ?a=1 */
	GET_BAD,	/* GET with a malformed query */
	POST_OK,	/* POST a=1 */
	POST_BIG,	/* POST of 9 bytes, over the limit of 8 */
	POST_JSON,	/* POST of a body that is no form */
	PUT,
	DELETE,
	HEAD,
	OPTIONS
};

static const char *const envs[OPTIONS + 1][5] = {
	[GET_OK] = { "REQUEST_METHOD=GET", "QUERY_STRING=a=1", NULL },
	[GET_BAD] = { "REQUEST_METHOD=GET", "QUERY_STRING=a=%zz", NULL },
	[POST_OK] = { "REQUEST_METHOD=POST", FORM_TYPE, "CONTENT_LENGTH=3",
	    NULL },
	[POST_BIG] = { "REQUEST_METHOD=POST", FORM_TYPE, "CONTENT_LENGTH=9",
	    NULL },
	[POST_JSON] = { "REQUEST_METHOD=POST",
	    "CONTENT_TYPE=application/json", "CONTENT_LENGTH=2", NULL },
	[PUT] = { "REQUEST_METHOD=PUT", NULL },
	[DELETE] = { "REQUEST_METHOD=DELETE", NULL },
	[HEAD] = { "REQUEST_METHOD=HEAD", NULL },
	[OPTIONS] = { "REQUEST_METHOD=OPTIONS", "HTTP_ORIGIN=https://a.example",
	    "HTTP_ACCESS_CONTROL_REQUEST_METHOD=POST", NULL },
};

static const char *const bodies[OPTIONS + 1] = {
	[POST_OK] = "a=1", [POST_BIG] = "a=1234567", [POST_JSON] = "{}",
};

static struct ctx	c;

/* Serve one request of shape s to ep; the answer as written. */
static struct str
serve(const struct endpoint *ep, enum shape s, int qq_compat)
{
	static struct fakeio	 f;
	const char		*body = bodies[s];

	arena_reset(&c.a);
	config_defaults(&c.cfg);
	c.cfg.qq_compat = qq_compat;
	c.cfg.template_dir = "htdocs/templates";
	c.prog = ep->name;
	c.ep = ep;
	c.ready = 1;
	handled = 0;
	memset(&failed, 0, sizeof(failed));
	fakeio_init(&f, &c.a, envs[s], body, body ? strlen(body) : 0);
	fcgi_serve(&c, &f.io);
	return strbuf_str(&f.out);
}

/* The value of header name in answer w, or "" when it has none. */
static struct str
header(struct str w, const char *name)
{
	struct strbuf	 b;
	const char	*p, *end;

	strbuf_init(&b, &c.a);
	strbuf_appendf(&b, "\r\n%s: ", name);
	if ((p = memmem(w.p, w.n, b.p, b.n)) == NULL)
		return STR_LIT("");
	p += b.n;
	end = memmem(p, w.n - (size_t)(p - w.p), "\r\n", 2);
	return (struct str){ p, (size_t)(end - p) };
}

static int
status(struct str w)
{
	long	v;

	if (w.n < 11 || !str_has_prefix(w, "Status: ") ||
	    str_to_long((struct str){ w.p + 8, 3 }, &v))
		return -1;
	return (int)v;
}

/* The body: what follows the blank line. */
static struct str
body_of(struct str w)
{
	const char	*p = memmem(w.p, w.n, "\r\n\r\n", 4);

	return p ? (struct str){ p + 4, w.n - (size_t)(p + 4 - w.p) } :
	    STR_LIT("");
}

/*
 * A request of shape s to an endpoint and what must come back: status,
 * Allow, Content-Type, and the body (for a page: words in it).
 */
struct want {
	enum shape	 s;
	int		 status;
	const char	*allow;
	const char	*ctype;
	const char	*body;
};

static void
check(const struct endpoint *ep, const struct want *cases, size_t n)
{
	struct str	w, b;
	size_t		i;

	for (i = 0; i < n; i++) {
		w = serve(ep, cases[i].s, 0);
		b = body_of(w);
		CASE_INT(i, status(w), cases[i].status);
		CASE_STR(i, header(w, "Allow"), cases[i].allow);
		CASE_STR(i, header(w, "Content-Type"), cases[i].ctype);
		if (ep->reply == REPLY_PAGE && cases[i].status != 200)
			CASE_INT(i, memmem(b.p, b.n, cases[i].body,
			    strlen(cases[i].body)) != NULL, 1);
		else
			CASE_STR(i, b, cases[i].body);
		CASE_INT(i, handled, cases[i].status == 200);
	}
}

#define TEXT	"text/plain;charset=UTF-8"
#define JSON	"application/json;charset=UTF-8"
#define HTML	"text/html;charset=UTF-8"

static void
test_plain_refusals(void **state)
{
	static const struct want	cases[] = {
		{ GET_OK, 200, "", TEXT, "ok" },
		{ POST_OK, 200, "", TEXT, "ok" },
		{ PUT, 405, "GET, POST", TEXT, "method not allowed\n" },
		{ DELETE, 405, "GET, POST", TEXT, "method not allowed\n" },
		{ HEAD, 405, "GET, POST", TEXT, "method not allowed\n" },
		{ OPTIONS, 405, "GET, POST", TEXT, "method not allowed\n" },
		{ POST_BIG, 413, "", TEXT, "malformed request\n" },
		{ GET_BAD, 400, "", TEXT, "malformed request\n" },
		{ POST_JSON, 400, "", TEXT, "malformed request\n" },
	};

	(void)state;
	check(&plain, cases, NELEM(cases));
}

/* One refusal in full: the security headers, then Allow, then the body. */
static void
test_refusal_bytes(void **state)
{
	(void)state;
	assert_true(str_eq_c(serve(&plain, PUT, 0),
	    "Status: 405 Method Not Allowed\r\n"
	    "Content-Type: text/plain;charset=UTF-8\r\n"
	    "Content-Length: 19\r\n"
	    "Cache-Control: no-store\r\n"
	    "Pragma: no-cache\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Referrer-Policy: no-referrer\r\n"
	    "Content-Security-Policy: default-src 'none'; "
	    "frame-ancestors 'none'\r\n"
	    "Allow: GET, POST\r\n"
	    "\r\n"
	    "method not allowed\n"));
}

static void
test_oauth_refusals(void **state)
{
	static const struct want	cases[] = {
		{ POST_OK, 200, "", TEXT, "ok" },
		{ GET_OK, 405, "POST", JSON, "{\"error\":\"invalid_request\","
		    "\"error_description\":\"method not allowed\"}" },
		{ POST_BIG, 413, "", JSON, "{\"error\":\"invalid_request\","
		    "\"error_description\":\"malformed request\"}" },
		{ POST_JSON, 400, "", JSON, "{\"error\":\"invalid_request\","
		    "\"error_description\":\"malformed request\"}" },
	};

	(void)state;
	check(&oauth, cases, NELEM(cases));
}

/*
 * The program's own shape: the hook gets the error; GET only in QQ
 * mode; an OPTIONS that is no preflight of a known client is a 405.
 */
static void
test_hook_refusals(void **state)
{
	static const struct {
		const struct endpoint	*ep;
		enum shape		 s;
		int			 qq_compat;
		int			 status;
		const char		*allow;
		enum oerr		 code;
		const char		*desc;
	} cases[] = {
		{ &qq, POST_OK, 0, 200, "", OERR_NONE, NULL },
		{ &qq, GET_OK, 0, 405, "POST", OERR_METHOD_NOT_ALLOWED,
		    "use POST (RFC 6749 §3.2)" },
		{ &qq, GET_OK, 1, 200, "", OERR_NONE, NULL },
		{ &qq, PUT, 1, 405, "GET, POST", OERR_METHOD_NOT_ALLOWED,
		    "use POST (RFC 6749 §3.2)" },
		{ &qq, OPTIONS, 1, 405, "GET, POST", OERR_METHOD_NOT_ALLOWED,
		    "use POST (RFC 6749 §3.2)" },
		{ &qq, GET_BAD, 1, 400, "", OERR_INVALID_REQUEST,
		    "malformed request parameters" },
		{ &qq, POST_BIG, 1, 413, "", OERR_TOO_LARGE, NULL },
		{ &qq, POST_JSON, 1, 400, "", OERR_INVALID_REQUEST,
		    "the body must be application/x-www-form-urlencoded" },
		{ &resource, GET_OK, 0, 200, "", OERR_NONE, NULL },
		{ &resource, DELETE, 0, 405, "GET, POST",
		    OERR_METHOD_NOT_ALLOWED, NULL },
		{ &resource, POST_BIG, 0, 413, "", OERR_TOO_LARGE, NULL },
		{ &resource, POST_JSON, 0, 400, "", OERR_INVALID_REQUEST,
		    "malformed request parameters" },
	};
	struct str	w;
	size_t		i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		w = serve(cases[i].ep, cases[i].s, cases[i].qq_compat);
		CASE_INT(i, status(w), cases[i].status);
		CASE_STR(i, header(w, "Allow"), cases[i].allow);
		CASE_INT(i, handled, cases[i].status == 200);
		CASE_INT(i, failed.code, cases[i].code);
		if (cases[i].desc == NULL)
			CASE_INT(i, failed.desc == NULL, 1);
		else
			CASE_INT(i, failed.desc != NULL &&
			    strcmp(failed.desc, cases[i].desc) == 0, 1);
	}
}

/* The HTML error page, with the error's name and description. */
static void
test_page_refusals(void **state)
{
	static const struct want	cases[] = {
		{ GET_OK, 200, "", TEXT, "ok" },
		{ PUT, 405, "GET, POST", HTML, "Method not allowed." },
		{ POST_BIG, 413, "", HTML, "Request too large." },
		{ GET_BAD, 400, "", HTML, "Malformed request parameters." },
		{ POST_JSON, 400, "", HTML, "Malformed request parameters." },
		{ DELETE, 405, "GET, POST", HTML, "invalid_request" },
	};

	(void)state;
	check(&page, cases, NELEM(cases));
}

/* GET and HEAD only, and no parameters to be malformed. */
static void
test_methods_and_no_params(void **state)
{
	struct str	w;

	(void)state;
	w = serve(&keys, POST_OK, 0);
	assert_int_equal(status(w), 405);
	assert_true(str_eq_c(header(w, "Allow"), "GET, HEAD"));
	w = serve(&keys, HEAD, 0);
	assert_int_equal(status(w), 200);
	w = serve(&keys, GET_BAD, 0);
	assert_int_equal(status(w), 200);
	assert_int_equal(handled, 1);
}

/* Without a usable config every request is a plain 500. */
static void
test_not_ready(void **state)
{
	struct fakeio	f;
	struct str	w;

	(void)state;
	serve(&plain, GET_OK, 0);
	c.ready = 0;
	handled = 0;
	fakeio_init(&f, &c.a, envs[PUT], NULL, 0);
	fcgi_serve(&c, &f.io);
	w = strbuf_str(&f.out);
	assert_int_equal(status(w), 500);
	assert_true(str_eq_c(body_of(w), "server configuration error\n"));
	assert_true(str_eq_c(header(w, "Allow"), ""));
	assert_int_equal(handled, 0);
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
		cmocka_unit_test(test_plain_refusals),
		cmocka_unit_test(test_refusal_bytes),
		cmocka_unit_test(test_oauth_refusals),
		cmocka_unit_test(test_hook_refusals),
		cmocka_unit_test(test_page_refusals),
		cmocka_unit_test(test_methods_and_no_params),
		cmocka_unit_test(test_not_ready),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
