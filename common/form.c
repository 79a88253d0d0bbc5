/* form.c: query string and x-www-form-urlencoded body as a parameter list */
#include <string.h>

#include "form.h"
#include "urlenc.h"

static void
form_push(struct form *f, struct arena *a, struct str name, struct str value)
{
	struct param	*v;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		v = arena_alloc(a, f->cap * sizeof(*v));
		if (f->n)
			memcpy(v, f->v, f->n * sizeof(*v));
		f->v = v;
	}
	f->v[f->n].name = name;
	f->v[f->n].value = value;
	f->n++;
}

int
form_parse(struct form *f, struct arena *a, struct str in)
{
	size_t		 i = 0, start, eq;
	struct str	 rawn, rawv, name, value;

	while (i <= in.n) {
		start = i;
		while (i < in.n && in.p[i] != '&')
			i++;
		if (i > start) {
			eq = start;
			while (eq < i && in.p[eq] != '=')
				eq++;
			rawn.p = in.p + start;
			rawn.n = eq - start;
			rawv.p = eq < i ? in.p + eq + 1 : in.p + i;
			rawv.n = eq < i ? i - eq - 1 : 0;
			if (f->n >= FORM_MAX_PARAMS)
				return -1;
			if (url_decode(a, rawn, 1, &name) == -1 ||
			    url_decode(a, rawv, 1, &value) == -1)
				return -1;
			form_push(f, a, name, value);
		}
		i++;
	}
	return 0;
}

enum form_get
form_get(const struct form *f, const char *name, struct str *v)
{
	size_t		i, seen = 0;
	struct str	found = STR_NULL;

	for (i = 0; i < f->n; i++) {
		if (!str_eq_c(f->v[i].name, name))
			continue;
		seen++;
		found = f->v[i].value;
	}
	if (seen > 1)
		return FORM_DUP;
	if (seen == 0 || found.n == 0)
		return FORM_ABSENT;
	*v = found;
	return FORM_ONE;
}

size_t
form_count(const struct form *f, const char *name)
{
	size_t	i, seen = 0;

	for (i = 0; i < f->n; i++)
		if (str_eq_c(f->v[i].name, name))
			seen++;
	return seen;
}

struct str
form_nth(const struct form *f, const char *name, size_t nth)
{
	size_t	i, seen = 0;

	for (i = 0; i < f->n; i++) {
		if (!str_eq_c(f->v[i].name, name))
			continue;
		if (seen++ == nth)
			return f->v[i].value;
	}
	return STR_NULL;
}
