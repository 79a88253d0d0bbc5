/* fcgi_loop.h: the shared main loop of every endpoint program */
#ifndef FCGI_LOOP_H
#define FCGI_LOOP_H

#include "config.h"
#include "db.h"
#include "request.h"
#include "response.h"
#include "template.h"

/* Everything a handler needs: process state and the current request. */
struct ctx {
	const char	*prog;
	struct config	 cfg;
	struct db	 db;
	struct db	 rdb;		/* pg_dsn_read, dsn NULL when none */
	long		 rdb_pause;	/* monotonic s until the replica is retried */
	struct arena	 a;	/* reset after every request */
	struct req	 req;
	struct resp	 resp;
	const char	*lang;	/* "zh-CN" or "en", from Accept-Language */
	struct str	 pre;	/* this request's pre-session value, once known */
};

typedef void	(*handler_fn)(struct ctx *);

/*
 * Load the config, then answer requests with h until the FastCGI manager
 * stops us; in plain-CGI mode answer exactly one. A bad config makes
 * every request a plain 500 (and one line on stderr), never a crash.
 * Returns the process exit status.
 */
int	fcgi_main(const char *prog, handler_fn h);

/*
 * The same for the web installer's program: a missing secret key is no
 * error (c->cfg.keylen is 0 until the installer makes it). Either way a
 * process whose config or key failed to load tries again at each request,
 * so programs started before the installer ran work once it has.
 */
int	fcgi_main_keyless(const char *prog, handler_fn h);

/*
 * The replica of pg_dsn_read for a token lookup, or NULL when none is
 * configured or it failed to answer in the last few seconds. The caller
 * asks the primary (c->db) when the replica finds nothing or fails, and
 * reports that with fcgi_replica_done(c, rc).
 */
struct db	*fcgi_replica(struct ctx *);
void		 fcgi_replica_done(struct ctx *, int rc);

#endif
