/* ceiling.h: the shared loop of the benchmark's ceiling responders */
#ifndef CEILING_H
#define CEILING_H

#include <libpq-fe.h>

#define CEILING_PARAMS_MAX	4
#define CEILING_PARAM_LEN	80

/* Text parameters of one execution of the responder's statement. */
struct ceiling_params {
	const char	*v[CEILING_PARAMS_MAX];
	char		 buf[CEILING_PARAMS_MAX][CEILING_PARAM_LEN];
};

/* What a responder does per request, besides answering. */
struct ceiling {
	const char	*prog;		/* name for stderr */
	const char	*sql;		/* NULL: no database at all */
	int		 nparams;
	/*
	 * Fill p for request number n (counted from 0 in this process);
	 * NULL when the statement has no parameters.
	 */
	void		(*params)(unsigned long n, struct ceiling_params *p);
	/* The statement's expected result: PGRES_TUPLES_OK or COMMAND_OK. */
	ExecStatusType	 expect;
};

/*
 * Read pg_dsn from the config file named by $OAUTH_CONFIG, then answer
 * FastCGI requests until the manager stops us: drain the request body,
 * run the statement once on the process's one connection (prepared on
 * connect, reconnecting after a failure), and answer 200 with a fixed
 * 150-byte JSON body, or a plain 500 when the statement failed.
 * Returns the process exit status.
 */
int	ceiling_main(const struct ceiling *);

#endif
