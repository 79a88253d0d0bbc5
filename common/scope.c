/* scope.c: scope lists: parse (comma or space), compare, print */
#include "scope.h"

static int
name_ok(struct str n)
{
	size_t	i;
	char	c;

	if (n.n < 1 || n.n > 64)
		return 0;
	for (i = 0; i < n.n; i++) {
		c = n.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		    c == ':' || c == '-'))
			return 0;
	}
	return 1;
}

int
scope_parse(struct scopes *s, struct str in)
{
	size_t		i = 0, start;
	struct str	name;

	s->n = 0;
	while (i < in.n) {
		while (i < in.n && (in.p[i] == ' ' || in.p[i] == ','))
			i++;
		start = i;
		while (i < in.n && in.p[i] != ' ' && in.p[i] != ',')
			i++;
		if (i == start)
			break;
		name.p = in.p + start;
		name.n = i - start;
		if (!name_ok(name))
			return -1;
		if (scope_has(s, name))
			continue;
		if (s->n == SCOPE_MAX)
			return -1;
		s->v[s->n++] = name;
	}
	return 0;
}

int
scope_has(const struct scopes *s, struct str name)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (str_eq(s->v[i], name))
			return 1;
	return 0;
}

int
scope_subset(const struct scopes *a, const struct scopes *b)
{
	size_t	i;

	for (i = 0; i < a->n; i++)
		if (!scope_has(b, a->v[i]))
			return 0;
	return 1;
}

void
scope_join(struct strbuf *b, const struct scopes *s, char sep)
{
	size_t	i;

	for (i = 0; i < s->n; i++) {
		if (i)
			strbuf_putc(b, sep);
		strbuf_append(b, s->v[i].p, s->v[i].n);
	}
}

struct str
scope_str(struct arena *a, const struct scopes *s)
{
	struct strbuf	b;

	strbuf_init(&b, a);
	scope_join(&b, s, ' ');
	return strbuf_str(&b);
}
