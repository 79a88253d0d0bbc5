/* test_jwt.c: unit tests of the signing keys (jwk.c) and JWS (jwt.c) */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "unit.h"

#include "b64.h"
#include "crypto.h"
#include "jwk.h"
#include "jwt.h"

static const unsigned char	secret[32] =
    "0123456789abcdef0123456789abcdef";
static const unsigned char	other[32] =
    "fedcba9876543210fedcba9876543210";

/* The raw bytes of a "\x…" bytea parameter. */
static size_t
unhex(const char *p, unsigned char *out, size_t cap)
{
	size_t		n = 0;
	unsigned	v;

	assert_true(p[0] == '\\' && p[1] == 'x');
	for (p += 2; p[0] && p[1] && n < cap; p += 2) {
		assert_int_equal(sscanf(p, "%2x", &v), 1);
		out[n++] = (unsigned char)v;
	}
	return n;
}

static EVP_PKEY *
make(struct arena *a, enum jwk_alg alg, struct jwk_new *k)
{
	unsigned char	 sealed[4200];
	EVP_PKEY	*key;
	size_t		 n;

	assert_int_equal(jwk_generate(alg, secret, sizeof(secret), a, k), 0);
	n = unhex(k->private_enc, sealed, sizeof(sealed));
	key = jwk_unseal(alg, k->kid, sealed, n, secret, sizeof(secret));
	assert_non_null(key);
	/* Another secret, another kid or algorithm, a flipped bit: no key. */
	assert_null(jwk_unseal(alg, k->kid, sealed, n, other, sizeof(other)));
	assert_null(jwk_unseal(alg, "x", sealed, n, secret, sizeof(secret)));
	assert_null(jwk_unseal(alg == JWK_RS256 ? JWK_ES256 : JWK_RS256,
	    k->kid, sealed, n, secret, sizeof(secret)));
	sealed[n / 2] ^= 1;
	assert_null(jwk_unseal(alg, k->kid, sealed, n, secret, sizeof(secret)));
	assert_null(jwk_unseal(alg, k->kid, sealed, 20, secret, sizeof(secret)));
	return key;
}

/* kid is the RFC 7638 thumbprint; the JWK is public only. */
static void
test_generate(void **state)
{
	struct arena	 a = { 0 };
	struct jwk_new	 k;
	EVP_PKEY	*key;
	json_object	*o, *v;
	enum jwk_alg	 alg;

	(void)state;
	for (alg = JWK_RS256; alg <= JWK_ES256; alg++) {
		key = make(&a, alg, &k);
		assert_int_equal(strlen(k.kid), 43);
		o = json_tokener_parse(k.public_jwk);
		assert_non_null(o);
		assert_false(json_object_object_get_ex(o, "d", NULL));
		assert_false(json_object_object_get_ex(o, "p", NULL));
		assert_true(json_object_object_get_ex(o, "kid", &v));
		assert_string_equal(json_object_get_string(v), k.kid);
		assert_true(json_object_object_get_ex(o, "alg", &v));
		assert_string_equal(json_object_get_string(v),
		    jwk_alg_name(alg));
		assert_true(json_object_object_get_ex(o, "use", &v));
		assert_string_equal(json_object_get_string(v), "sig");
		assert_true(json_object_object_get_ex(o,
		    alg == JWK_RS256 ? "n" : "x", &v));
		assert_int_equal(json_object_get_string_len(v),
		    alg == JWK_RS256 ? 342 : 43);
		json_object_put(o);
		EVP_PKEY_free(key);
	}
	arena_free(&a);
}

static void
test_sign_verify(void **state)
{
	struct arena	 a = { 0 };
	struct jwk_new	 k, k2;
	struct str	 tok, kid;
	EVP_PKEY	*key, *key2;
	EVP_PKEY_CTX	*signer;
	json_object	*o, *v;
	enum jwk_alg	 alg, got;
	char		*bad;
	size_t		 i;

	(void)state;
	for (alg = JWK_RS256; alg <= JWK_ES256; alg++) {
		key = make(&a, alg, &k);
		key2 = make(&a, alg, &k2);
		signer = jws_signer(key, alg);
		assert_non_null(signer);
		assert_int_equal(jws_sign(&a, signer, alg, k.kid,
		    str_c("{\"sub\":\"abc\"}"), &tok), 0);
		EVP_PKEY_CTX_free(signer);
		assert_int_equal(jws_header(&a, tok, &got, &kid), 0);
		assert_int_equal(got, alg);
		CASE_STR(alg, kid, k.kid);
		o = jws_verify(&a, tok, key, alg);
		assert_non_null(o);
		assert_true(json_object_object_get_ex(o, "sub", &v));
		assert_string_equal(json_object_get_string(v), "abc");
		json_object_put(o);
		/* Another key of the same kind does not verify it. */
		assert_null(jws_verify(&a, tok, key2, alg));
		/* Any changed character of header, payload or signature. */
		bad = str_dup(&a, tok);
		for (i = 0; i < tok.n; i += 7) {
			if (bad[i] == '.')
				continue;
			bad[i] = bad[i] == 'A' ? 'B' : 'A';
			assert_null(jws_verify(&a, (struct str){ bad, tok.n },
			    key, alg));
			bad[i] = tok.p[i];
		}
		/* Truncated. */
		assert_null(jws_verify(&a, (struct str){ tok.p, tok.n - 2 },
		    key, alg));
		EVP_PKEY_free(key);
		EVP_PKEY_free(key2);
	}
	arena_free(&a);
}

static void
test_header_errors(void **state)
{
	static const char *const hdr[] = {
		"{\"alg\":\"none\",\"kid\":\"k\"}",
		"{\"alg\":\"HS256\",\"kid\":\"k\"}",
		"{\"alg\":\"RS256\"}",
		"{\"alg\":\"RS256\",\"kid\":7}",
		"{\"alg\":\"RS256\",\"kid\":\"k\",\"crit\":[\"exp\"]}",
		"[\"RS256\"]",
		"not json",
	};
	static const char *const shape[] = {
		"", "a", "a.b", "a.b.c.d", ".b.c", "a..c", "a.b.", "%%.b.c",
	};
	struct arena	 a = { 0 };
	struct strbuf	 b;
	enum jwk_alg	 alg;
	struct str	 kid;
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(hdr); i++) {
		strbuf_init(&b, &a);
		b64url_encode(&b, (const unsigned char *)hdr[i], strlen(hdr[i]));
		strbuf_puts(&b, ".e30.c2ln");
		CASE_INT(i, jws_header(&a, strbuf_str(&b), &alg, &kid), -1);
	}
	for (i = 0; i < NELEM(shape); i++)
		CASE_INT(i, jws_header(&a, str_c(shape[i]), &alg, &kid), -1);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_sign_verify),
		cmocka_unit_test(test_header_errors),
	};

	if (crypto_init())
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
