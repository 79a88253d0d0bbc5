/* test_json.c: unit tests of JSONP callback checks and JSON replies */
#include <string.h>

#include "unit.h"

#include "json.h"
#include "response.h"

/* A callback name of 64 characters. */
#define NAME64	"a2345678902345678902345678902345" \
		"67890234567890234567890234567890"

static void
test_callback_ok(void **state)
{
	static const struct {
		struct str	in;
		int		want;
	} cases[] = {
		{ SV("callback"), 1 },
		{ SV("cb"), 1 },
		{ SV("a"), 1 },
		{ SV("_"), 1 },
		{ SV("$"), 1 },
		{ SV("$.fn"), 1 },
		{ SV("jQuery1124_1700000000000"), 1 },
		{ SV("a.b.c"), 1 },
		{ SV("A$_9."), 1 },
		{ SV("_0"), 1 },
		{ SV(NAME64), 1 },
		{ SV(NAME64 "5"), 0 },			/* 65 characters */
		{ SV(""), 0 },
		{ SV("1cb"), 0 },
		{ SV("9"), 0 },
		{ SV(".cb"), 0 },
		{ SV("a-b"), 0 },
		{ SV("a b"), 0 },
		{ SV("cb()"), 0 },
		{ SV("cb;alert(1)"), 0 },
		{ SV("cb//"), 0 },
		{ SV("a[0]"), 0 },
		{ SV("a\0"), 0 },
		{ SV("a\n"), 0 },
		{ SV("\xc3\xa9t\xc3\xa9"), 0 },
		{ SV("<script>"), 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++)
		CASE_INT(i, json_callback_ok(cases[i].in), cases[i].want);
}

/* {"ret":0,"msg":"a/b <\u2028> é\u2029"} with the two raw in UTF-8 */
static json_object *
sample(void)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "ret", json_object_new_int(0));
	json_object_object_add(o, "msg",
	    json_str(STR_LIT("a/b <\xe2\x80\xa8> \xc3\xa9\xe2\x80\xa9")));
	return o;
}

#define SAMPLE_JSON \
	"{\"ret\":0,\"msg\":\"a/b <\\u2028> \xc3\xa9\\u2029\"}"

static void
test_reply(void **state)
{
	static const struct {
		enum resp_json	 fmt;
		struct str	 cb;
		int		 status;
		const char	*ctype;
		const char	*want;
	} cases[] = {
		{ RESP_JSON, SV(""), 200, "application/json;charset=UTF-8",
		  SAMPLE_JSON },
		{ RESP_JSON, SV("ignored"), 400,
		  "application/json;charset=UTF-8", SAMPLE_JSON },
		{ RESP_JSONP_QQ, SV(""), 200,
		  "application/javascript;charset=UTF-8",
		  "callback( " SAMPLE_JSON " );\n" },
		{ RESP_JSONP_QQ, SV("other"), 200,
		  "application/javascript;charset=UTF-8",
		  "callback( " SAMPLE_JSON " );\n" },
		{ RESP_JSONP_NAMED, SV("cb"), 200,
		  "application/javascript;charset=UTF-8",
		  "/**/cb( " SAMPLE_JSON " );\n" },
		{ RESP_JSONP_NAMED, SV("jQuery.fn_1"), 401,
		  "application/javascript;charset=UTF-8",
		  "/**/jQuery.fn_1( " SAMPLE_JSON " );\n" },
	};
	struct arena	 a = { 0 };
	struct resp	 r;
	json_object	*o;
	size_t		 i;

	(void)state;
	o = sample();
	for (i = 0; i < NELEM(cases); i++) {
		resp_init(&r, &a);
		r.html = 1;
		strbuf_puts(&r.body, "stale body");
		resp_json(&r, cases[i].status, o, cases[i].fmt,
		    cases[i].cb);
		CASE_INT(i, r.status, cases[i].status);
		CASE_INT(i, r.html, 0);
		CASE_INT(i, strcmp(r.content_type, cases[i].ctype), 0);
		CASE_STR(i, strbuf_str(&r.body), cases[i].want);
	}
	/* The object is not consumed: it is still ours to release. */
	assert_int_equal(json_object_put(o), 1);
	arena_free(&a);
}

/* Exact bytes of small documents, as QQ's clients parse them. */
static void
test_reply_bytes(void **state)
{
	static const struct {
		const char	*s;	/* one string member "k" */
		const char	*want;
	} cases[] = {
		{ "", "{\"k\":\"\"}" },
		{ "https://x/y", "{\"k\":\"https://x/y\"}" },
		{ "\"\\", "{\"k\":\"\\\"\\\\\"}" },
		{ "\n\t", "{\"k\":\"\\n\\t\"}" },
		{ "\xe2\x80\xa8", "{\"k\":\"\\u2028\"}" },
		{ "\xe2\x80\xa9\xe2\x80\xa9", "{\"k\":\"\\u2029\\u2029\"}" },
		{ "x\xe2\x80\xa8y\xe2\x80\xa9z",
		  "{\"k\":\"x\\u2028y\\u2029z\"}" },
		/* Neighbours of the two line terminators stay raw. */
		{ "\xe2\x80\xa7\xe2\x80\xaa",
		  "{\"k\":\"\xe2\x80\xa7\xe2\x80\xaa\"}" },
		{ "\xe4\xb8\xad\xe6\x96\x87",
		  "{\"k\":\"\xe4\xb8\xad\xe6\x96\x87\"}" },
	};
	struct arena	 a = { 0 };
	struct resp	 r;
	json_object	*o;
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "k", json_str(str_c(cases[i].s)));
		resp_init(&r, &a);
		resp_json(&r, 200, o, RESP_JSON, STR_NULL);
		CASE_STR(i, strbuf_str(&r.body), cases[i].want);
		json_object_put(o);
	}
	/* The QQ /oauth2.0/me shape, byte for byte. */
	o = json_object_new_object();
	json_object_object_add(o, "client_id", json_str(STR_LIT("101")));
	json_object_object_add(o, "openid",
	    json_str(STR_LIT("962A928D8433BDA0039E86BE361870A1")));
	resp_init(&r, &a);
	resp_json(&r, 200, o, RESP_JSONP_QQ, STR_NULL);
	assert_string_equal(r.body.p, "callback( {\"client_id\":\"101\","
	    "\"openid\":\"962A928D8433BDA0039E86BE361870A1\"} );\n");
	json_object_put(o);
	arena_free(&a);
}

static void
test_json_str(void **state)
{
	json_object	*o;

	(void)state;
	o = json_str((struct str){ "a\0bcd", 3 });
	assert_int_equal(json_object_get_string_len(o), 3);
	assert_memory_equal(json_object_get_string(o), "a\0b", 4);
	json_object_put(o);
	o = json_str(STR_LIT(""));
	assert_string_equal(json_object_get_string(o), "");
	json_object_put(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_callback_ok),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_reply_bytes),
		cmocka_unit_test(test_json_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
