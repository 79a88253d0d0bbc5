/* ctl.h: shared pieces of the oauthctl admin tool */
#ifndef CTL_H
#define CTL_H

#include "config.h"
#include "db.h"
#include "str.h"

struct ctl {
	struct config	 cfg;
	struct db	 db;
	struct arena	 a;
	const char	*config_path;
};

/* Print "oauthctl: …" and a newline on stderr; returns 1 (the exit code). */
int		 ctl_fail(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));

/*
 * Run sql with text parameters. Returns the result (caller PQclears) or
 * NULL after printing the database's one-line error.
 */
PGresult	*ctl_sql(struct ctl *, const char *sql, int n,
		    const char *const *params);

/* Run sql and discard the result. 0, or -1 after printing the error. */
int		 ctl_do(struct ctl *, const char *sql, int n,
		    const char *const *params);

/*
 * Run sql and print each row on a line: prefix, then its columns
 * separated by tabs. 0, or 1 after printing the error.
 */
int		 ctl_print_rows(struct ctl *, const char *prefix,
		    const char *sql, int n, const char *const *params);

/* Read one line (the password) from stdin into the arena, without '\n'. */
char		*ctl_read_line(struct ctl *);

/* The value after option name at argv[*i], advancing *i; NULL if none. */
const char	*ctl_optarg(int argc, char **argv, int *i);

int		 ctl_client(struct ctl *, int argc, char **argv);
int		 ctl_user(struct ctl *, int argc, char **argv);
int		 ctl_key(struct ctl *, int argc, char **argv);

/*
 * Retire the rotated keys whose id_tokens have all expired (rotated
 * more than access_token_ttl ago), printing "retired: KID" for each.
 * 0, or 1.
 */
int		 ctl_key_expire(struct ctl *);

/* Make an RS256 and an ES256 signing key unless each has one. 0, or 1. */
int		 ctl_key_ensure(struct ctl *);

#endif
