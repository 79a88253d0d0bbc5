/* store_util.c: small helpers shared by the store_*.c files only */
#include <stdio.h>

#include "scope.h"
#include "store_util.h"

int
store_run(struct db *db, struct stmt *s, const char *const *params)
{
	PGresult	*res;

	if ((res = db_exec(db, s, params)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

struct str
store_cell(struct arena *a, PGresult *res, int row, int col)
{
	size_t	n = (size_t)PQgetlength(res, row, col);

	return (struct str){ arena_strndup(a, PQgetvalue(res, row, col), n), n };
}

long
store_long(PGresult *res, int row, int col)
{
	long	v = 0;

	if (str_to_long(str_c(PQgetvalue(res, row, col)), &v))
		return 0;
	return v;
}

int
store_bool(PGresult *res, int row, int col)
{
	return PQgetvalue(res, row, col)[0] == 't';
}

const char *
store_opt(struct arena *a, struct str s)
{
	return s.n ? str_dup(a, s) : NULL;
}

char *
store_num(char *buf, size_t n, long v)
{
	snprintf(buf, n, "%ld", v);
	return buf;
}

void
store_scopes_cell(struct arena *a, PGresult *res, int row, int col,
    struct scopes *s)
{
	struct str	v;

	v.n = (size_t)PQgetlength(res, row, col);
	v.p = arena_strndup(a, PQgetvalue(res, row, col), v.n);
	if (scope_parse(s, v))
		s->n = 0;
}

int
store_yes(struct db *db, struct stmt *st, const char *const *params)
{
	PGresult	*res;
	int		 rc;

	if ((res = db_exec(db, st, params)) == NULL)
		return -1;
	rc = PQntuples(res) == 1 && store_bool(res, 0, 0);
	PQclear(res);
	return rc;
}
