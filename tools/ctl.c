/* ctl.c: what every oauthctl command uses: errors, SQL, arguments, stdin */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"

int
ctl_fail(const char *fmt, ...)
{
	va_list	ap;

	fputs("oauthctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

PGresult *
ctl_sql(struct ctl *c, const char *sql, int n, const char *const *params)
{
	PGresult	*res;
	const char	*msg;
	ExecStatusType	 st;

	if (c->db.conn == NULL) {
		if ((res = db_exec_plain(&c->db, "SELECT 1")) == NULL) {
			ctl_fail("cannot connect to the database");
			return NULL;
		}
		PQclear(res);
	}
	res = PQexecParams(c->db.conn, sql, n, NULL, params, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	ctl_fail("database: %s", msg ? msg : "error");
	PQclear(res);
	return NULL;
}

int
ctl_do(struct ctl *c, const char *sql, int n, const char *const *params)
{
	PGresult	*res = ctl_sql(c, sql, n, params);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

char *
ctl_read_line(struct ctl *c)
{
	char	buf[1024];
	size_t	n;

	if (fgets(buf, sizeof(buf), stdin) == NULL)
		return NULL;
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return arena_strndup(&c->a, buf, n);
}

const char *
ctl_optarg(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

int
ctl_print_rows(struct ctl *c, const char *prefix, const char *sql, int n,
    const char *const *params)
{
	PGresult	*res;
	int		 i, j;

	if ((res = ctl_sql(c, sql, n, params)) == NULL)
		return 1;
	for (i = 0; i < PQntuples(res); i++) {
		fputs(prefix, stdout);
		for (j = 0; j < PQnfields(res); j++)
			printf("%s%s", j ? "\t" : "", PQgetvalue(res, i, j));
		putchar('\n');
	}
	PQclear(res);
	return 0;
}
