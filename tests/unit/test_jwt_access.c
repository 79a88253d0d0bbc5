/* test_jwt_access.c: unit tests of JWT access tokens' header and claims (jwt_access.c) */
#include <string.h>

#include <openssl/evp.h>

#include "unit.h"

#include "b64.h"
#include "crypto.h"
#include "jwk.h"
#include "jwt.h"
#include "jwt_access.h"
#include "openid.h"

static const unsigned char	secret[32] =
    "0123456789abcdef0123456789abcdef";

static void
setup(struct ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->prog = "test";
	c->cfg.issuer = "https://as.example";
	memcpy(c->cfg.key, secret, sizeof(secret));
	c->cfg.keylen = sizeof(secret);
	c->cfg.jwt_access_token_ttl = 300;
}

static struct jwt_at
sample(long user_id)
{
	struct jwt_at	j = { 0 };

	j.on = 1;
	j.alg = JWK_ES256;
	j.client_id = str_c("1234567890");
	j.aud = str_c("https://api.example/");
	j.jti = str_c("abcdefghijklmnopqrstuv");
	j.scope = str_c("get_user_info list_album");
	j.user_id = user_id;
	j.auth_time = 1700000000;
	j.iat = 1800000000;
	j.exp = 1800000300;
	return j;
}

static const char *
get(json_object *o, const char *name)
{
	json_object	*v;

	if (!json_object_object_get_ex(o, name, &v))
		return NULL;
	return json_object_get_string(v);
}

/* RFC 9068 §2.2: every claim, sub by who the token is for. */
static void
test_claims(void **state)
{
	struct jwt_at	 cc = sample(0), user = sample(42);
	struct ctx	 c;
	json_object	*o;
	char		 openid[OPENID_LEN + 1];

	(void)state;
	setup(&c);
	o = jwt_access_claims(&c, &cc);
	assert_string_equal(get(o, "iss"), "https://as.example");
	assert_string_equal(get(o, "sub"), "1234567890");
	assert_string_equal(get(o, "client_id"), "1234567890");
	assert_string_equal(get(o, "aud"), "https://api.example/");
	assert_string_equal(get(o, "scope"), "get_user_info list_album");
	assert_string_equal(get(o, "jti"), "abcdefghijklmnopqrstuv");
	assert_string_equal(get(o, "iat"), "1800000000");
	assert_string_equal(get(o, "exp"), "1800000300");
	assert_null(get(o, "auth_time"));	/* no user logged in */
	json_object_put(o);
	o = jwt_access_claims(&c, &user);
	assert_int_equal(openid_make(secret, sizeof(secret),
	    str_c("1234567890"), 42, openid), 0);
	assert_string_equal(get(o, "sub"), openid);
	assert_string_equal(get(o, "auth_time"), "1700000000");
	json_object_put(o);
	arena_free(&c.a);
}

/* What jwt_access_read takes back, and what it refuses. */
static void
test_read(void **state)
{
	static const char *const required[] = {
		"iss", "sub", "client_id", "jti", "exp", "iat",
	};
	struct jwt_at	 in = sample(42), out;
	struct ctx	 c;
	json_object	*o;
	size_t		 i;

	(void)state;
	setup(&c);
	o = jwt_access_claims(&c, &in);
	assert_int_equal(jwt_access_read(&c, o, &out), 0);
	CASE_STR(0, out.client_id, "1234567890");
	CASE_STR(0, out.jti, "abcdefghijklmnopqrstuv");
	CASE_STR(0, out.aud, "https://api.example/");
	assert_int_equal(out.exp, in.exp);
	assert_int_equal(out.auth_time, in.auth_time);
	json_object_put(o);
	for (i = 0; i < NELEM(required); i++) {
		o = jwt_access_claims(&c, &in);
		json_object_object_del(o, required[i]);
		CASE_INT(i, jwt_access_read(&c, o, &out), -1);
		json_object_put(o);
	}
	/* Another issuer's token, an exp that is no number. */
	o = jwt_access_claims(&c, &in);
	json_object_object_add(o, "iss", json_object_new_string("https://x"));
	assert_int_equal(jwt_access_read(&c, o, &out), -1);
	json_object_object_add(o, "iss",
	    json_object_new_string("https://as.example"));
	json_object_object_add(o, "exp", json_object_new_string("1800000300"));
	assert_int_equal(jwt_access_read(&c, o, &out), -1);
	json_object_put(o);
	arena_free(&c.a);
}

/* The header: typ at+jwt, alg and kid, read back as signed. */
static void
test_header(void **state)
{
	struct arena	 a = { 0 };
	struct jwk_new	 k;
	struct str	 tok, kid, typ;
	unsigned char	 sealed[512];
	EVP_PKEY	*key;
	EVP_PKEY_CTX	*signer;
	enum jwk_alg	 alg;
	json_object	*o;
	size_t		 n = 0;
	unsigned	 v;
	const char	*p;

	(void)state;
	assert_int_equal(jwk_generate(JWK_ES256, secret, sizeof(secret), &a,
	    &k), 0);
	for (p = k.private_enc + 2; p[0] && p[1]; p += 2) {
		assert_int_equal(sscanf(p, "%2x", &v), 1);
		sealed[n++] = (unsigned char)v;
	}
	key = jwk_unseal(JWK_ES256, k.kid, sealed, n, secret, sizeof(secret));
	assert_non_null(key);
	assert_non_null(signer = jws_signer(key, JWK_ES256));
	assert_int_equal(jws_sign_typ(&a, signer, JWK_ES256, k.kid, "at+jwt",
	    str_c("{\"jti\":\"x\"}"), &tok), 0);
	assert_int_equal(jws_header_typ(&a, tok, &alg, &kid, &typ), 0);
	assert_int_equal(alg, JWK_ES256);
	CASE_STR(0, kid, k.kid);
	CASE_STR(0, typ, "at+jwt");
	assert_true(jwt_access_is(tok));
	assert_non_null(o = jws_verify(&a, tok, key, JWK_ES256));
	json_object_put(o);
	/* An id_token's header says JWT. */
	assert_int_equal(jws_sign(&a, signer, JWK_ES256, k.kid,
	    str_c("{}"), &tok), 0);
	assert_int_equal(jws_header_typ(&a, tok, &alg, &kid, &typ), 0);
	CASE_STR(0, typ, "JWT");
	EVP_PKEY_CTX_free(signer);
	EVP_PKEY_free(key);
	arena_free(&a);
}

static void
test_shapes(void **state)
{
	static const char *const uri_ok[] = {
		"https://api.example/", "urn:example:api", "http://127.0.0.1:8080/x",
	};
	static const char *const uri_bad[] = {
		"", "api.example", "/relative", "https://api.example/#f",
		"https://a b", "1http://x", "https:", "https://\"x",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NELEM(uri_ok); i++)
		CASE_INT(i, jwt_access_resource_ok(str_c(uri_ok[i])), 1);
	for (i = 0; i < NELEM(uri_bad); i++)
		CASE_INT(i, jwt_access_resource_ok(str_c(uri_bad[i])), 0);
	assert_false(jwt_access_is(str_c("opaque-token_of-base64url")));
	assert_false(jwt_access_is(str_c("a.b")));
	assert_false(jwt_access_is(str_c("a.b.c.d")));
	assert_true(jwt_access_is(str_c("aa.bb.cc")));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_claims),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_shapes),
	};

	if (crypto_init())
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
