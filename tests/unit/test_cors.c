/* test_cors.c: unit tests of the CORS origin match */
#include "unit.h"

#include "cors.h"

static void
test_origin_of(void **state)
{
	static const struct {
		struct str	origin;
		struct str	uri;
		int		want;
	} cases[] = {
		{ SV("https://site.example"), SV("https://site.example/cb"), 1 },
		{ SV("https://site.example"), SV("https://site.example"), 1 },
		{ SV("https://site.example"), SV("https://site.example?x=1"), 1 },
		{ SV("http://127.0.0.1:8081"),
		    SV("http://127.0.0.1:8081/qc_callback.html"), 1 },
		{ SV("HTTPS://Site.Example"), SV("https://site.example/cb"), 1 },
		{ SV("http://[::1]:9000"), SV("http://[::1]:9000/cb"), 1 },
		/* Another port, scheme or host. */
		{ SV("http://127.0.0.1:80"), SV("http://127.0.0.1:8081/cb"), 0 },
		{ SV("http://127.0.0.1:8081"), SV("http://127.0.0.1:80/cb"), 0 },
		{ SV("http://site.example"), SV("https://site.example/cb"), 0 },
		{ SV("https://site.example.evil"), SV("https://site.example/cb"),
		    0 },
		{ SV("https://site.exampl"), SV("https://site.example/cb"), 0 },
		{ SV("https://evil.example"), SV("https://site.example/cb"), 0 },
		/* Not an origin at all. */
		{ SV("null"), SV("https://site.example/cb"), 0 },
		{ SV(""), SV("https://site.example/cb"), 0 },
		{ SV("https://"), SV("https://site.example/cb"), 0 },
		{ SV("https://site.example/cb"), SV("https://site.example/cb"), 0 },
		{ SV("https://site.example/"), SV("https://site.example/cb"), 0 },
		{ SV("https://site.example?"), SV("https://site.example?x"), 0 },
		{ SV("https://u@site.example"), SV("https://u@site.example/"), 0 },
		{ SV("site.example"), SV("site.example/cb"), 0 },
		{ SV("://site.example"), SV("://site.example/cb"), 0 },
		{ SV("https://site.example"), SV("https://site.example#x"), 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++)
		CASE_INT(i, cors_origin_of(cases[i].origin, cases[i].uri),
		    cases[i].want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_origin_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
