/* fcgi_loop.c: the shared main loop of every endpoint program */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcgiapp.h>

#include "crypto.h"
#include "fcgi_loop.h"
#include "header.h"

extern char	**environ;

static const char *
cgi_getenv(struct io *io, const char *name)
{
	(void)io;
	return getenv(name);
}

static long
cgi_read(struct io *io, void *buf, size_t n)
{
	(void)io;
	return (long)fread(buf, 1, n, stdin);
}

static int
cgi_write(struct io *io, const void *buf, size_t n)
{
	(void)io;
	return fwrite(buf, 1, n, stdout) == n ? 0 : -1;
}

static const char *
fcgi_getenv(struct io *io, const char *name)
{
	FCGX_Request	*r = io->ctx;

	return FCGX_GetParam(name, r->envp);
}

static long
fcgi_read(struct io *io, void *buf, size_t n)
{
	FCGX_Request	*r = io->ctx;

	if (n > 1 << 30)
		n = 1 << 30;
	return FCGX_GetStr(buf, (int)n, r->in);
}

static int
fcgi_write(struct io *io, const void *buf, size_t n)
{
	FCGX_Request	*r = io->ctx;

	if (n > 1 << 30)
		return -1;
	return FCGX_PutStr(buf, (int)n, r->out) == (int)n ? 0 : -1;
}

static int	crypto_failed;

/*
 * Read the config and the key. keyless: a missing key is no error (the
 * web installer makes it). quiet: the reason was said at startup already.
 * 0 when usable.
 */
static int
load(struct ctx *c, int keyless, int quiet)
{
	char	err[512];

	if (config_read(&c->cfg, NULL, err, sizeof(err)) == 0 &&
	    (config_load_key(&c->cfg, err, sizeof(err)) == 0 || keyless))
		return 0;
	if (!quiet)
		fprintf(stderr, "%s: %s\n", c->prog, err);
	return -1;
}

static void
serve(struct ctx *c, struct io *io, handler_fn h, int *config_ok,
    int keyless)
{
	/* An install in progress: the config or key may have appeared. */
	if (!crypto_failed &&
	    (!*config_ok || (keyless && c->cfg.keylen == 0))) {
		*config_ok = load(c, keyless, 1) == 0;
		db_close(&c->db);
		c->db.dsn = c->cfg.pg_dsn;
	}
	req_read(&c->req, &c->a, io);
	resp_init(&c->resp, &c->a);
	c->lang = header_accept_language(c->req.accept_language);
	c->pre = STR_NULL;
	if (!*config_ok)
		resp_plain(&c->resp, 500, "server configuration error");
	else
		h(c);
	resp_flush(&c->resp, io);
}

static int
run(const char *prog, handler_fn h, int keyless)
{
	static struct ctx	c;
	FCGX_Request		 freq;
	struct io		 io;
	int			 config_ok = 1;

	signal(SIGPIPE, SIG_IGN);
	c.prog = prog;
	config_defaults(&c.cfg);
	if (crypto_init()) {
		/* Every request a plain 500, as for a bad config; no retry. */
		fprintf(stderr, "%s: libgcrypt initialisation failed\n", prog);
		config_ok = 0;
		crypto_failed = 1;
	} else
		config_ok = load(&c, keyless, 0) == 0;
	db_init(&c.db, c.cfg.pg_dsn);
	db_init(&c.rdb, c.cfg.pg_dsn_read);
	c.db.unnamed = c.rdb.unnamed = c.cfg.pg_unnamed;

	if (FCGX_IsCGI()) {
		io = (struct io){ cgi_getenv, cgi_read, cgi_write, NULL };
		serve(&c, &io, h, &config_ok, keyless);
		fflush(stdout);
		goto out;
	}
	if (FCGX_Init() || FCGX_InitRequest(&freq, 0, 0))
		return 1;
	io = (struct io){ fcgi_getenv, fcgi_read, fcgi_write, &freq };
	while (FCGX_Accept_r(&freq) >= 0) {
		serve(&c, &io, h, &config_ok, keyless);
		FCGX_Finish_r(&freq);
		arena_reset(&c.a);
	}
out:
	arena_free(&c.a);
	db_close(&c.db);
	db_close(&c.rdb);
	config_free(&c.cfg);
	return 0;
}

int
fcgi_main(const char *prog, handler_fn h)
{
	return run(prog, h, 0);
}

int
fcgi_main_keyless(const char *prog, handler_fn h)
{
	return run(prog, h, 1);
}

#define REPLICA_PAUSE	5	/* s without the replica after it failed */

static long
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec;
}

struct db *
fcgi_replica(struct ctx *c)
{
	if (c->rdb.dsn == NULL || (c->rdb_pause && now_s() < c->rdb_pause))
		return NULL;
	return &c->rdb;
}

void
fcgi_replica_done(struct ctx *c, int rc)
{
	/* A miss is normal (minted a moment ago): only a dead link pauses. */
	c->rdb_pause = rc == -1 && c->rdb.state == DB_DOWN ?
	    now_s() + REPLICA_PAUSE : 0;
}
