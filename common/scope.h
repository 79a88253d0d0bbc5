/* scope.h: scope lists: parse (comma or space), compare, print */
#ifndef SCOPE_H
#define SCOPE_H

#include "str.h"

#define SCOPE_MAX	32	/* bounded work per request */

struct scopes {
	struct str	v[SCOPE_MAX];
	size_t		n;
};

/*
 * Parse "a,b c" into s, dropping duplicates. Names are 1-64 characters of
 * [A-Za-z0-9_.:-]. Returns 0, or -1 on a bad name or too many names.
 */
int	scope_parse(struct scopes *s, struct str in);

/* 1 if s holds name. */
int	scope_has(const struct scopes *s, struct str name);

/* 1 if every scope of a is in b. */
int	scope_subset(const struct scopes *a, const struct scopes *b);

/* Append the names joined by sep (" " for RFC output, "," for QQ). */
void	scope_join(struct strbuf *, const struct scopes *s, char sep);

/* The names joined by spaces, NUL-terminated, in the arena. */
struct str scope_str(struct arena *, const struct scopes *s);

#endif
