/* template.c: HTML templates with escaping by default */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "html.h"
#include "template.h"

#define TEMPLATE_DEPTH	8
#define TEMPLATE_MAX	(256 * 1024)
#define TEMPLATE_CACHE	16

struct tvar {
	struct tvar	*next;
	const char	*name;
	struct str	 value;
	struct tvars	**items;	/* list items, when a list */
	size_t		 nitems;
	size_t		 cap;
};

struct tvars *
tvars_new(struct arena *a, struct tvars *parent)
{
	struct tvars	*v = arena_alloc(a, sizeof(*v));

	v->a = a;
	v->parent = parent;
	return v;
}

static struct tvar *
find_local(const struct tvars *v, struct str name)
{
	struct tvar	*t;

	for (t = v->head; t != NULL; t = t->next)
		if (str_eq_c(name, t->name))
			return t;
	return NULL;
}

static struct tvar *
find(const struct tvars *v, struct str name)
{
	struct tvar	*t;

	for (; v != NULL; v = v->parent)
		if ((t = find_local(v, name)) != NULL)
			return t;
	return NULL;
}

static struct tvar *
get_or_add(struct tvars *v, const char *name)
{
	struct tvar	*t;

	if ((t = find_local(v, str_c(name))) != NULL)
		return t;
	t = arena_alloc(v->a, sizeof(*t));
	t->name = arena_strndup(v->a, name, strlen(name));
	t->next = v->head;
	v->head = t;
	return t;
}

void
tvars_set(struct tvars *v, const char *name, struct str value)
{
	struct tvar	*t = get_or_add(v, name);

	t->value.p = arena_strndup(v->a, value.p, value.n);
	t->value.n = value.n;
}

void
tvars_setc(struct tvars *v, const char *name, const char *value)
{
	tvars_set(v, name, str_c(value));
}

struct tvars *
tvars_add_item(struct tvars *v, const char *list)
{
	struct tvar	 *t = get_or_add(v, list);
	struct tvars	**items;

	if (t->nitems == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		items = arena_alloc(v->a, t->cap * sizeof(*items));
		if (t->nitems)
			memcpy(items, t->items, t->nitems * sizeof(*items));
		t->items = items;
	}
	t->items[t->nitems] = tvars_new(v->a, v);
	/* A list is "set" for {{?list}} when it has items. */
	t->value = STR_LIT("1");
	return t->items[t->nitems++];
}

/* Find the {{/name}} closing the section that starts at body. */
static const char *
find_close(struct str body, struct str name)
{
	const char	*p = body.p, *end = body.p + body.n;
	int		 depth = 0;

	while ((p = memmem(p, (size_t)(end - p), "{{", 2)) != NULL) {
		const char *q = p + 2, *close;
		struct str tag;
		char kind;

		/* q may be end: read *q only once "}}" is known to follow. */
		if ((close = memmem(q, (size_t)(end - q), "}}", 2)) == NULL)
			return NULL;
		kind = *q;
		tag.p = q + 1;
		tag.n = (size_t)(close - q) - 1;
		if ((kind == '#' || kind == '?' || kind == '^') &&
		    str_eq(tag, name))
			depth++;
		else if (kind == '/' && str_eq(tag, name)) {
			if (depth == 0)
				return p;
			depth--;
		}
		p = close + 2;
	}
	return NULL;
}

static int
render(struct strbuf *out, struct str t, const struct tvars *v, int depth)
{
	const char	*p = t.p, *end = t.p + t.n, *open, *close, *sec;
	struct str	 tag, body;
	struct tvar	*var;
	size_t		 i;
	char		 kind;

	if (depth > TEMPLATE_DEPTH)
		return -1;
	while ((open = memmem(p, (size_t)(end - p), "{{", 2)) != NULL) {
		strbuf_append(out, p, (size_t)(open - p));
		close = memmem(open + 2, (size_t)(end - open - 2), "}}", 2);
		if (close == NULL)
			return -1;
		tag.p = open + 2;
		tag.n = (size_t)(close - tag.p);
		p = close + 2;
		kind = tag.n ? tag.p[0] : '\0';
		if (kind != '#' && kind != '?' && kind != '^') {
			if (kind == '/')
				return -1;	/* close without open */
			if ((var = find(v, tag)) != NULL)
				html_escape(out, var->value);
			continue;
		}
		tag.p++;
		tag.n--;
		body.p = p;
		body.n = (size_t)(end - p);
		if ((sec = find_close(body, tag)) == NULL)
			return -1;
		body.n = (size_t)(sec - p);
		p = sec + tag.n + 5;	/* "{{/" name "}}" */
		var = find(v, tag);
		if (kind == '#') {
			for (i = 0; var != NULL && i < var->nitems; i++)
				if (render(out, body, var->items[i],
				    depth + 1))
					return -1;
		} else if ((kind == '?') == (var != NULL && var->value.n > 0)) {
			if (render(out, body, v, depth + 1))
				return -1;
		}
	}
	strbuf_append(out, p, (size_t)(end - p));
	return 0;
}

int
template_render(struct strbuf *out, struct str t, const struct tvars *v)
{
	return render(out, t, v, 0);
}

static struct {
	char		*key;
	struct str	 text;
} cache[TEMPLATE_CACHE];

int
template_load(const char *dir, const char *lang, const char *name,
    struct str *t)
{
	char	 path[4096], *buf;
	ssize_t	 r;
	size_t	 n = 0, i;
	int	 fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s.html", dir, lang,
	    name) >= sizeof(path))
		return -1;
	for (i = 0; i < TEMPLATE_CACHE && cache[i].key != NULL; i++) {
		if (strcmp(cache[i].key, path) == 0) {
			*t = cache[i].text;
			return 0;
		}
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	buf = xmalloc(TEMPLATE_MAX);
	while (n < TEMPLATE_MAX && (r = read(fd, buf + n, TEMPLATE_MAX - n)) > 0)
		n += (size_t)r;
	close(fd);
	t->p = buf;
	t->n = n;
	if (i < TEMPLATE_CACHE) {
		cache[i].key = xstrdup(path);
		cache[i].text = *t;
	}
	return 0;
}
