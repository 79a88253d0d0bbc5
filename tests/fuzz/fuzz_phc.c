/* fuzz_phc.c: fuzz PHC hash strings and base64 decoding */
#include <string.h>

#include "b64.h"
#include "password.h"

#include "fuzz.h"

/* Length of in without up to two '=' of padding. */
static size_t
unpadded(struct str in)
{
	size_t	n = in.n;

	if (n > 0 && in.p[n - 1] == '=')
		n--;
	if (n > 0 && in.p[n - 1] == '=')
		n--;
	return n;
}

/*
 * Decode with a few capacities. A success has exactly the length the
 * unpadded input implies, and encoding it decodes to the same bytes.
 */
static void
check_b64(struct arena *a, struct str in)
{
	static const size_t	 caps[] = { 0, 1, 16, 32, 64, 1024 };
	unsigned char		 buf[1024], again[1024];
	struct strbuf		 b;
	size_t			 i, n = unpadded(in);
	long			 got, want = (long)(n * 6 / 8), r;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		if ((got = b64_decode(in, buf, caps[i])) == -1)
			continue;
		FUZZ_CHECK(got == want && (size_t)got <= caps[i]);
		strbuf_init(&b, a);
		b64_encode(&b, buf, (size_t)got, i & 1);
		r = b64_decode(strbuf_str(&b), again, sizeof(again));
		FUZZ_CHECK(r == got && memcmp(buf, again, (size_t)got) == 0);
	}
}

/* A parsed PHC string is in bounds and survives printing and parsing. */
static void
check_phc(struct arena *a, struct str in)
{
	struct phc	ph, ph2;
	struct strbuf	b;

	if (password_parse(in, &ph))
		return;
	FUZZ_CHECK(ph.m >= 8 && ph.m <= 1048576 && ph.m >= 8 * ph.p);
	FUZZ_CHECK(ph.t >= 1 && ph.t <= 16 && ph.p >= 1 && ph.p <= 16);
	FUZZ_CHECK(ph.saltlen >= 8 && ph.saltlen <= sizeof(ph.salt));
	strbuf_init(&b, a);
	strbuf_appendf(&b, "$argon2id$v=19$m=%lu,t=%lu,p=%lu$", ph.m, ph.t,
	    ph.p);
	b64_encode(&b, ph.salt, ph.saltlen, 0);
	strbuf_putc(&b, '$');
	b64_encode(&b, ph.hash, sizeof(ph.hash), 0);
	FUZZ_CHECK(password_parse(strbuf_str(&b), &ph2) == 0);
	FUZZ_CHECK(ph2.m == ph.m && ph2.t == ph.t && ph2.p == ph.p);
	FUZZ_CHECK(ph2.saltlen == ph.saltlen &&
	    memcmp(ph2.salt, ph.salt, ph.saltlen) == 0);
	FUZZ_CHECK(str_eq_ct((struct str){ (const char *)ph2.hash,
	    sizeof(ph2.hash) }, (struct str){ (const char *)ph.hash,
	    sizeof(ph.hash) }));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	a = { 0 };
	struct str	in = { (const char *)data, size };

	check_phc(&a, in);
	check_b64(&a, in);
	arena_free(&a);
	return 0;
}
