/* fuzz_form.c: fuzz form_parse, its lookups and url_decode */
#include <string.h>

#include "form.h"
#include "urlenc.h"

#include "fuzz.h"

/* Names the endpoints look up, plus the empty name. */
static const char *const names[] = {
	"client_id", "redirect_uri", "response_type", "scope", "state",
	"code", "a", ""
};

/*
 * UTF-8 by the table of RFC 3629 §4, written apart from str_is_utf8 so
 * that the two can be compared.
 */
static int
utf8_ref(struct str s)
{
	const unsigned char	*p = (const unsigned char *)s.p;
	size_t			 i = 0, k, need;
	unsigned char		 lo, hi;

	while (i < s.n) {
		lo = 0x80;
		hi = 0xbf;
		if (p[i] <= 0x7f)
			need = 0;
		else if (p[i] >= 0xc2 && p[i] <= 0xdf)
			need = 1;
		else if (p[i] >= 0xe0 && p[i] <= 0xef)
			need = 2;
		else if (p[i] >= 0xf0 && p[i] <= 0xf4)
			need = 3;
		else
			return 0;
		if (p[i] == 0xe0)
			lo = 0xa0;
		else if (p[i] == 0xed)
			hi = 0x9f;
		else if (p[i] == 0xf0)
			lo = 0x90;
		else if (p[i] == 0xf4)
			hi = 0x8f;
		if (s.n - i - 1 < need)
			return 0;
		for (k = 1; k <= need; k++) {
			if (p[i + k] < lo || p[i + k] > hi)
				return 0;
			lo = 0x80;
			hi = 0xbf;
		}
		i += need + 1;
	}
	return 1;
}

/* A decoded string is NUL-terminated, NUL-free UTF-8. */
static void
check_decoded(struct str s)
{
	FUZZ_CHECK(s.p != NULL && s.p[s.n] == '\0');
	FUZZ_CHECK(memchr(s.p, '\0', s.n) == NULL);
	FUZZ_CHECK(str_is_utf8(s));
}

/* form_get, form_count and form_nth must agree about name. */
static void
check_lookup(const struct form *f, const char *name)
{
	struct str	v = STR_NULL;
	size_t		n;
	enum form_get	g;

	n = form_count(f, name);
	g = form_get(f, name, &v);
	FUZZ_CHECK(n <= f->n);
	if (n > 1)
		FUZZ_CHECK(g == FORM_DUP);
	else if (n == 0)
		FUZZ_CHECK(g == FORM_ABSENT);
	else
		FUZZ_CHECK(g != FORM_DUP);
	if (g == FORM_ONE)
		FUZZ_CHECK(v.n > 0 && str_eq(v, form_nth(f, name, 0)));
	/* The ends only: a walk over every i would be quadratic. */
	if (n > 0)
		FUZZ_CHECK(form_nth(f, name, n - 1).p != NULL);
	FUZZ_CHECK(form_nth(f, name, n).p == NULL);
}

/* Decode in both modes; encoding a result and decoding it is the identity. */
static void
check_url_decode(struct arena *a, struct str in)
{
	struct strbuf	b;
	struct str	d, again;
	int		plus;

	for (plus = 0; plus <= 1; plus++) {
		if (url_decode(a, in, plus, &d) == -1)
			continue;
		check_decoded(d);
		FUZZ_CHECK(d.n <= in.n);
		if (memchr(in.p, '%', in.n) == NULL &&
		    (!plus || memchr(in.p, '+', in.n) == NULL))
			FUZZ_CHECK(str_eq(d, in));
		strbuf_init(&b, a);
		url_encode(&b, d);
		FUZZ_CHECK(url_decode(a, strbuf_str(&b), plus, &again) == 0);
		FUZZ_CHECK(str_eq(again, d));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	 a = { 0 };
	struct form	 f = { 0 };
	struct str	 in = { (const char *)data, size };
	size_t		 i;

	FUZZ_CHECK(str_is_utf8(in) == utf8_ref(in));
	if (form_parse(&f, &a, in) == 0) {
		FUZZ_CHECK(f.n <= FORM_MAX_PARAMS);
		for (i = 0; i < f.n; i++) {
			check_decoded(f.v[i].name);
			check_decoded(f.v[i].value);
		}
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			check_lookup(&f, names[i]);
		/* Decoded names are NUL-terminated, so they work as keys. */
		for (i = 0; i < f.n && i < 8; i++)
			check_lookup(&f, f.v[i].name.p);
	}
	check_url_decode(&a, in);
	arena_free(&a);
	return 0;
}
