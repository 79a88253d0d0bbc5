/* arena.c: per-request bump allocator whose reset wipes what it handed out */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_CHUNK	16384
#define ARENA_ALIGN	16

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 cap;
	size_t			 used;
	/* Aligned, so that offsets rounded up to ARENA_ALIGN are aligned too. */
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n ? n : 1)) == NULL) {
		fputs("out of memory\n", stderr);
		abort();
	}
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL) {
		fputs("out of memory\n", stderr);
		abort();
	}
	return p;
}

char *
xstrdup(const char *s)
{
	size_t	 n = strlen(s);
	char	*p = xmalloc(n + 1);

	memcpy(p, s, n + 1);
	return p;
}

static struct arena_chunk *
chunk_new(size_t cap)
{
	struct arena_chunk	*c;

	c = xmalloc(sizeof(*c) + cap);
	c->next = NULL;
	c->cap = cap;
	c->used = 0;
	return c;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk	*c = a->head;
	size_t			 off;
	void			*p;

	if (n > SIZE_MAX / 2)
		abort();
	if (c != NULL) {
		off = (c->used + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
		if (off <= c->cap && c->cap - off >= n) {
			c->used = off + n;
			p = c->data + off;
			memset(p, 0, n);
			return p;
		}
	}
	c = chunk_new(n > ARENA_CHUNK ? n : ARENA_CHUNK);
	c->next = a->head;
	a->head = c;
	c->used = n;
	memset(c->data, 0, n);
	return c->data;
}

char *
arena_strndup(struct arena *a, const char *p, size_t n)
{
	char	*s = arena_alloc(a, n + 1);

	if (n)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

void
arena_reset(struct arena *a)
{
	struct arena_chunk	*c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		explicit_bzero(c->data, c->used);
		c->used = 0;
		if (next == NULL && c->cap == ARENA_CHUNK) {
			a->head = c;
			return;
		}
		free(c);
	}
	a->head = NULL;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk	*c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		explicit_bzero(c->data, c->used);
		free(c);
	}
	a->head = NULL;
}
