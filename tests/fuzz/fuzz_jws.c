/* fuzz_jws.c: fuzz the JWS reader (an id_token_hint is anyone's input) */
#include <string.h>

#include <openssl/evp.h>

#include "b64.h"
#include "crypto.h"
#include "jwt.h"

#include "fuzz.h"

static const unsigned char	secret[32] =
    "fuzz-secret-fuzz-secret-fuzz-sec";

/* One key of each algorithm, made at the first input. */
static EVP_PKEY	*keys[2];
static EVP_PKEY_CTX	*signers[2];
static char	 kids[2][JWK_KID_MAX];

static void
setup(void)
{
	unsigned char	 sealed[4200];
	struct arena	 a = { 0 };
	struct jwk_new	 k;
	const char	*p;
	size_t		 n;
	unsigned	 v;
	int		 alg;

	FUZZ_CHECK(crypto_init() == 0);
	for (alg = JWK_RS256; alg <= JWK_ES256; alg++) {
		FUZZ_CHECK(jwk_generate(alg, secret, sizeof(secret), &a,
		    &k) == 0);
		for (n = 0, p = k.private_enc + 2; p[0] && p[1]; p += 2) {
			FUZZ_CHECK(sscanf(p, "%2x", &v) == 1);
			sealed[n++] = (unsigned char)v;
		}
		keys[alg] = jwk_unseal(alg, k.kid, sealed, n, secret,
		    sizeof(secret));
		FUZZ_CHECK(keys[alg] != NULL);
		signers[alg] = jws_signer(keys[alg], alg);
		FUZZ_CHECK(signers[alg] != NULL);
		memcpy(kids[alg], k.kid, strlen(k.kid) + 1);
	}
	arena_free(&a);
}

/* base64url decoding: a success re-encodes to the input. */
static void
check_b64url(struct arena *a, struct str in)
{
	unsigned char	buf[1024];
	struct strbuf	b;
	long		got;

	if ((got = b64url_decode(in, buf, sizeof(buf))) == -1)
		return;
	FUZZ_CHECK((size_t)got == in.n * 6 / 8);
	strbuf_init(&b, a);
	b64url_encode(&b, buf, (size_t)got);
	/* Equal up to the unused low bits of the last character. */
	FUZZ_CHECK(b.n == in.n);
	FUZZ_CHECK(in.n == 0 || memcmp(b.p, in.p, in.n - 1) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	 a = { 0 };
	struct str	 in = { (const char *)data, size }, kid, tok, typ;
	enum jwk_alg	 alg;
	json_object	*o;

	if (keys[0] == NULL)
		setup();
	check_b64url(&a, in);
	if (jws_header(&a, in, &alg, &kid) == 0) {
		FUZZ_CHECK(alg == JWK_RS256 || alg == JWK_ES256);
		/* The typ reader (JWT access tokens) agrees with it. */
		FUZZ_CHECK(jws_header_typ(&a, in, &alg, &kid, &typ) == 0);
		/* Nothing a fuzzer makes carries our signature. */
		o = jws_verify(&a, in, keys[alg], alg);
		FUZZ_CHECK(o == NULL);
	}
	/* Its bytes as a payload (not empty): signed, it reads back. */
	if (size > 0 && size < 2048 && memchr(data, '\0', size) == NULL) {
		alg = size & 1 ? JWK_ES256 : JWK_RS256;
		FUZZ_CHECK(jws_sign_typ(&a, signers[alg], alg, kids[alg],
		    size & 2 ? "at+jwt" : "JWT", in, &tok) == 0);
		FUZZ_CHECK(jws_header_typ(&a, tok, &alg, &kid, &typ) == 0);
		FUZZ_CHECK(str_eq_c(typ, size & 2 ? "at+jwt" : "JWT"));
		FUZZ_CHECK(jws_header(&a, tok, &alg, &kid) == 0);
		FUZZ_CHECK(str_eq_c(kid, kids[alg]));
		o = jws_verify(&a, tok, keys[alg], alg);
		/* The payload is returned only when it is a JSON object. */
		if (o != NULL)
			json_object_put(o);
	}
	arena_free(&a);
	return 0;
}
