/* store_util.h: small helpers shared by the store_*.c files only */
#ifndef STORE_UTIL_H
#define STORE_UTIL_H

#include "db.h"
#include "str.h"

/* Run a statement and drop its result. Returns 0, or -1 (db->state set). */
int		store_run(struct db *, struct stmt *, const char *const *params);

/*
 * Run a statement that answers one boolean row. 1 when it answered true,
 * 0 when false or no row, -1 on failure (db->state set).
 */
int		store_yes(struct db *, struct stmt *, const char *const *params);

/* A copy of a result cell in the arena (NUL-terminated). */
struct str	store_cell(struct arena *, PGresult *, int row, int col);

/* A cell as a number (0 when not a non-negative integer). */
long		store_long(PGresult *, int row, int col);

/* 1 if a boolean cell is true. */
int		store_bool(PGresult *, int row, int col);

/* A NUL-terminated copy of s in the arena, or NULL (SQL NULL) if empty. */
const char	*store_opt(struct arena *, struct str s);

/* The decimal text of v in buf (at least 24 bytes); returns buf. */
char		*store_num(char *buf, size_t n, long v);

struct scopes;
/* A space-separated scope list in (row, col) into *s (empty if bad). */
void		store_scopes_cell(struct arena *, PGresult *, int row, int col,
		    struct scopes *s);

#endif
