/* arena.h: per-request bump allocator whose reset wipes what it handed out */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk	*head;	/* current chunk, newest first */
};

/*
 * Return n bytes of zeroed memory that live until the next arena_reset().
 * Never returns NULL: out of memory aborts the process.
 */
void	*arena_alloc(struct arena *, size_t n);

/* Copy n bytes into the arena and NUL-terminate the copy. */
char	*arena_strndup(struct arena *, const char *p, size_t n);

/*
 * Wipe (explicit_bzero) every byte handed out and free all chunks but one,
 * so that passwords and codes never outlive their request.
 */
void	 arena_reset(struct arena *);

/* Wipe and free everything. */
void	 arena_free(struct arena *);

/* malloc that aborts on failure; used for process-lifetime data. */
void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
char	*xstrdup(const char *);

#endif
