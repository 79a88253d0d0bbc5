/* fuzz_template.c: fuzz the template renderer */
#include <stdlib.h>
#include <string.h>

#include "template.h"

#include "fuzz.h"

/*
 * Input: the template text, then NUL-separated values. The first values
 * go to the scalars below; each further value becomes an item of the list
 * "l" (setting "x" and shadowing "a"), and the first item also holds a
 * nested list "m". Items are capped so that nested sections stay cheap.
 */
#define ITEMS_MAX	3

static const char *const scalars[] = { "a", "b", "name", "empty", "x" };

/* Cut the next NUL-terminated segment off *in. */
static struct str
next_segment(struct str *in)
{
	struct str	 s = *in;
	const char	*nul;

	if ((nul = memchr(in->p, '\0', in->n)) == NULL) {
		in->p += in->n;
		in->n = 0;
		return s;
	}
	s.n = (size_t)(nul - in->p);
	in->p = nul + 1;
	in->n -= s.n + 1;
	return s;
}

/* 1 if s holds a byte that html_escape always replaces. */
static int
has_markup(struct str s)
{
	size_t	i;

	for (i = 0; i < s.n; i++)
		if (memchr("<>\"'", s.p[i], 4) != NULL)
			return 1;
	return 0;
}

static struct tvars *
fill(struct arena *a, struct str rest)
{
	struct tvars	*v, *item, *first = NULL;
	struct str	 val;
	size_t		 i;

	v = tvars_new(a, NULL);
	for (i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++)
		tvars_set(v, scalars[i], next_segment(&rest));
	for (i = 0; i < ITEMS_MAX && rest.n > 0; i++) {
		val = next_segment(&rest);
		item = tvars_add_item(v, "l");
		tvars_set(item, "x", val);
		tvars_set(item, "a", val);
		if (first == NULL)
			first = item;
	}
	if (first != NULL) {
		tvars_setc(tvars_add_item(first, "m"), "x", "<m1>");
		tvars_setc(tvars_add_item(first, "m"), "x", "'m2'");
	}
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	 a = { 0 };
	struct strbuf	 out;
	struct str	 in = { (const char *)data, size }, t;
	char		*copy;
	int		 rc;

	t = next_segment(&in);
	/* An exactly sized copy, so ASan sees reads past the template. */
	copy = xmalloc(t.n);
	if (t.n)
		memcpy(copy, t.p, t.n);
	t.p = copy;
	strbuf_init(&out, &a);
	rc = template_render(&out, t, fill(&a, in));
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc == 0) {
		FUZZ_CHECK(out.p[out.n] == '\0');
		/* Without tags the text passes through unchanged. */
		if (memmem(t.p, t.n, "{{", 2) == NULL)
			FUZZ_CHECK(str_eq(strbuf_str(&out), t));
		/* Markup can only come from the template, never a value. */
		if (!has_markup(t))
			FUZZ_CHECK(!has_markup(strbuf_str(&out)));
	}
	free(copy);
	arena_free(&a);
	return 0;
}
