/* test_pkce.c: unit tests of RFC 7636 code challenge checks */
#include <string.h>

#include "unit.h"

#include "crypto.h"
#include "pkce.h"

/* RFC 7636 Appendix B. */
#define RFC_VERIFIER	"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define RFC_CHALLENGE	"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

#define A43	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define T64	"~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~" \
		"~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"

static int
setup(void **state)
{
	(void)state;
	return crypto_init();
}

static void
test_method_parse(void **state)
{
	static const struct {
		struct str		in;
		int			rc;
		enum pkce_method	want;
	} cases[] = {
		{ SV("S256"), 0, PKCE_S256 },
		{ SV("plain"), 0, PKCE_PLAIN },
		{ SV("s256"), -1, PKCE_NONE },
		{ SV("PLAIN"), -1, PKCE_NONE },
		{ SV("Plain"), -1, PKCE_NONE },
		{ SV("S256 "), -1, PKCE_NONE },
		{ SV(" S256"), -1, PKCE_NONE },
		{ SV("S2560"), -1, PKCE_NONE },
		{ SV("S25"), -1, PKCE_NONE },
		{ SV("S256\0"), -1, PKCE_NONE },
		{ SV("SHA256"), -1, PKCE_NONE },
		{ SV(""), -1, PKCE_NONE },
		{ SV("none"), -1, PKCE_NONE },
	};
	enum pkce_method	m;
	size_t			i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		m = PKCE_NONE;
		CASE_INT(i, pkce_method_parse(cases[i].in, &m), cases[i].rc);
		CASE_INT(i, m, cases[i].want);
	}
}

static void
test_well_formed(void **state)
{
	static const struct {
		struct str	in;
		int		want;
	} cases[] = {
		{ SV(RFC_VERIFIER), 1 },
		{ SV(RFC_CHALLENGE), 1 },
		{ SV(A43), 1 },
		{ SV(T64 T64), 1 },				/* 128 */
		{ SV("-._~" A43), 1 },
		{ SV("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		  "0123456789-._~"), 1 },
		{ SV(""), 0 },
		{ SV("a"), 0 },
		/* 42 and 129 characters. */
		{ SV("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 0 },
		{ SV(T64 T64 "~"), 0 },
		{ SV(A43 "+"), 0 },
		{ SV(A43 "/"), 0 },
		{ SV(A43 "="), 0 },
		{ SV(A43 " "), 0 },
		{ SV(A43 "%7E"), 0 },
		{ SV(A43 "\0"), 0 },
		{ SV(A43 "\xc3\xa9"), 0 },
		{ SV("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM="), 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++)
		CASE_INT(i, pkce_well_formed(cases[i].in), cases[i].want);
}

static void
test_verify(void **state)
{
	static const struct {
		enum pkce_method	m;
		struct str		challenge, verifier;
		int			want;
	} cases[] = {
		{ PKCE_S256, SV(RFC_CHALLENGE), SV(RFC_VERIFIER), 1 },
		{ PKCE_S256, SV("ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA"),
		  SV(A43), 1 },
		{ PKCE_S256, SV("zNhOm5Jyonenca7bQzzpjUpwFDVrfhrbbOGCqgWA6HU"),
		  SV(T64 T64), 1 },
		/* One character off, in the challenge or the verifier. */
		{ PKCE_S256, SV("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"),
		  SV(RFC_VERIFIER), 0 },
		{ PKCE_S256, SV("F9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
		  SV(RFC_VERIFIER), 0 },
		{ PKCE_S256, SV(RFC_CHALLENGE),
		  SV("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl"), 0 },
		/* The challenge is exact: no padding, no other alphabet. */
		{ PKCE_S256, SV(RFC_CHALLENGE "="), SV(RFC_VERIFIER), 0 },
		{ PKCE_S256, SV("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM"),
		  SV(RFC_VERIFIER), 0 },
		{ PKCE_S256, SV("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c"),
		  SV(RFC_VERIFIER), 0 },
		{ PKCE_S256, SV(""), SV(RFC_VERIFIER), 0 },
		/* S256 never accepts the verifier itself as challenge. */
		{ PKCE_S256, SV(RFC_VERIFIER), SV(RFC_VERIFIER), 0 },
		/* plain: the two are equal. */
		{ PKCE_PLAIN, SV(RFC_VERIFIER), SV(RFC_VERIFIER), 1 },
		{ PKCE_PLAIN, SV(A43), SV(A43), 1 },
		{ PKCE_PLAIN, SV(RFC_CHALLENGE), SV(RFC_VERIFIER), 0 },
		{ PKCE_PLAIN, SV(A43 "a"), SV(A43), 0 },
		{ PKCE_PLAIN, SV(A43), SV(A43 "a"), 0 },
		/* Malformed verifiers fail whatever the challenge. */
		{ PKCE_PLAIN, SV("short"), SV("short"), 0 },
		{ PKCE_PLAIN, SV(A43 "+"), SV(A43 "+"), 0 },
		{ PKCE_PLAIN, SV(""), SV(""), 0 },
		{ PKCE_S256, SV("ypeBEsobvcr6wjGzmiPcTaeG7_gUfE5yuYB3ha_uSLs"),
		  SV("a"), 0 },
		{ PKCE_S256, SV("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"),
		  SV(""), 0 },
		{ PKCE_S256, SV(RFC_CHALLENGE), SV(RFC_VERIFIER " "), 0 },
		/* No method, no match. */
		{ PKCE_NONE, SV(RFC_CHALLENGE), SV(RFC_VERIFIER), 0 },
		{ PKCE_NONE, SV(RFC_VERIFIER), SV(RFC_VERIFIER), 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++)
		CASE_INT(i, pkce_verify(cases[i].m, cases[i].challenge,
		    cases[i].verifier), cases[i].want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_method_parse),
		cmocka_unit_test(test_well_formed),
		cmocka_unit_test(test_verify),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
