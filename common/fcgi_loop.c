/* fcgi_loop.c: the shared main loop of every endpoint program */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fcgiapp.h>

#include "cors.h"
#include "crypto.h"
#include "fcgi_loop.h"
#include "header.h"
#include "oerror.h"
#include "page.h"

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

/* Why the loop refuses a request, in the order it checks. */
enum refusal {
	REFUSE_METHOD,		/* 405 */
	REFUSE_SIZE,		/* 413 */
	REFUSE_PARAMS,		/* 400: a bad query or form */
	REFUSE_BODY,		/* 400: a body that is no form */
	REFUSE__COUNT
};

/*
 * The refusals of each reply shape. Their wording is what each program
 * said before the loop said it for them, so the answers kept their bytes.
 */
static const struct oerror refusals[REPLY__COUNT][REFUSE__COUNT] = {
	[REPLY_PLAIN] = {
		{ OERR_METHOD_NOT_ALLOWED, 0, "method not allowed" },
		{ OERR_TOO_LARGE, 0, "malformed request" },
		{ OERR_INVALID_REQUEST, 0, "malformed request" },
		{ OERR_INVALID_REQUEST, 0, "malformed request" },
	},
	[REPLY_PAGE] = {
		{ OERR_METHOD_NOT_ALLOWED, 0, "Method not allowed." },
		{ OERR_TOO_LARGE, 0, "Request too large." },
		{ OERR_INVALID_REQUEST, 0, "Malformed request parameters." },
		{ OERR_INVALID_REQUEST, 0, "Malformed request parameters." },
	},
	[REPLY_OAUTH] = {
		{ OERR_METHOD_NOT_ALLOWED, 0, NULL },
		{ OERR_TOO_LARGE, 0, "malformed request" },
		{ OERR_INVALID_REQUEST, 0, "malformed request" },
		{ OERR_INVALID_REQUEST, 0, "malformed request" },
	},
	[REPLY_QQ] = {
		{ OERR_METHOD_NOT_ALLOWED, 0, "use POST (RFC 6749 §3.2)" },
		{ OERR_TOO_LARGE, 0, NULL },
		{ OERR_INVALID_REQUEST, 0, "malformed request parameters" },
		{ OERR_INVALID_REQUEST, 0,
		    "the body must be application/x-www-form-urlencoded" },
	},
	[REPLY_RESOURCE] = {
		{ OERR_METHOD_NOT_ALLOWED, 0, NULL },
		{ OERR_TOO_LARGE, 0, NULL },
		{ OERR_INVALID_REQUEST, 0, "malformed request parameters" },
		{ OERR_INVALID_REQUEST, 0, "malformed request parameters" },
	},
};

static const struct {
	unsigned	 bit;
	const char	*name;
} methods[] = {
	{ METHOD_GET, "GET" },
	{ METHOD_HEAD, "HEAD" },
	{ METHOD_POST, "POST" },
};

/* The methods c->ep takes under this config. */
static unsigned
allowed(const struct ctx *c)
{
	unsigned	m = c->ep->methods;

	if ((c->ep->flags & EP_QQ_GET) && c->cfg.qq_compat)
		m |= METHOD_GET;
	return m;
}

static void
allow_header(struct ctx *c)
{
	struct strbuf	b;
	size_t		i;

	strbuf_init(&b, &c->a);
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if ((allowed(c) & methods[i].bit) == 0)
			continue;
		if (b.n)
			strbuf_puts(&b, ", ");
		strbuf_puts(&b, methods[i].name);
	}
	resp_header(&c->resp, "Allow", strbuf_str(&b));
}

static void
refuse(struct ctx *c, enum refusal why)
{
	const struct oerror	*e = &refusals[c->ep->reply][why];
	int			 status = oerr_status(e->code);

	if (c->ep->flags & EP_CORS)
		cors_answer(c, STR_NULL);
	switch (c->ep->reply) {
	case REPLY_PLAIN:
		resp_plain(&c->resp, status, e->desc);
		break;
	case REPLY_PAGE:
		page_error(c, status, oerr_name(e->code), e->desc);
		break;
	case REPLY_OAUTH:
		oerror_reply_json(c, e);
		break;
	default:
		c->ep->fail(c, e);
		break;
	}
	if (why == REFUSE_METHOD)
		allow_header(c);
}

/* What the loop refuses of this request, or REFUSE__COUNT. */
static enum refusal
refusal(const struct ctx *c)
{
	size_t	i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (req_is(&c->req, methods[i].name))
			break;
	if (i == sizeof(methods) / sizeof(methods[0]) ||
	    (allowed(c) & methods[i].bit) == 0)
		return REFUSE_METHOD;
	if (c->req.err == REQ_OK || (c->ep->flags & EP_NO_PARAMS))
		return REFUSE__COUNT;
	return c->req.err == REQ_TOO_LARGE ? REFUSE_SIZE :
	    c->req.err == REQ_BAD_BODY ? REFUSE_BODY : REFUSE_PARAMS;
}

/* A CORS preflight, a refusal, or the handler's answer. */
static void
dispatch(struct ctx *c)
{
	enum refusal	why;

	if ((c->ep->flags & EP_CORS) && cors_preflight(c))
		return;
	if ((why = refusal(c)) != REFUSE__COUNT)
		refuse(c, why);
	else
		c->ep->handler(c);
}

void
fcgi_serve(struct ctx *c, struct io *io)
{
	req_read(&c->req, &c->a, io, c->ep->body_max ? c->ep->body_max :
	    REQ_BODY_MAX);
	resp_init(&c->resp, &c->a);
	c->lang = header_accept_language(c->req.accept_language);
	c->pre = STR_NULL;
	if (c->ready)
		dispatch(c);
	else
		resp_plain(&c->resp, 500, "server configuration error");
	resp_flush(&c->resp, io);
}

/* An install in progress: the config or key may have appeared. */
static void
reload(struct ctx *c)
{
	int	keyless = c->ep->flags & EP_KEYLESS;

	if (crypto_failed || (c->ready && (!keyless || c->cfg.keylen)))
		return;
	c->ready = load(c, keyless, 1) == 0;
	db_close(&c->db);
	c->db.dsn = c->cfg.pg_dsn;
}

int
fcgi_main(const struct endpoint *ep)
{
	static struct ctx	c;
	FCGX_Request		 freq;
	struct io		 io;

	signal(SIGPIPE, SIG_IGN);
	c.prog = ep->name;
	c.ep = ep;
	config_defaults(&c.cfg);
	if (crypto_init()) {
		/* Every request a plain 500, as for a bad config; no retry. */
		fprintf(stderr, "%s: libgcrypt initialisation failed\n",
		    ep->name);
		crypto_failed = 1;
	} else
		c.ready = load(&c, ep->flags & EP_KEYLESS, 0) == 0;
	db_init(&c.db, c.cfg.pg_dsn);
	db_init(&c.rdb, c.cfg.pg_dsn_read);
	c.db.unnamed = c.rdb.unnamed = c.cfg.pg_unnamed;

	if (FCGX_IsCGI()) {
		io = (struct io){ cgi_getenv, cgi_read, cgi_write, NULL };
		reload(&c);
		fcgi_serve(&c, &io);
		fflush(stdout);
		goto out;
	}
	if (FCGX_Init() || FCGX_InitRequest(&freq, 0, 0))
		return 1;
	io = (struct io){ fcgi_getenv, fcgi_read, fcgi_write, &freq };
	while (FCGX_Accept_r(&freq) >= 0) {
		reload(&c);
		fcgi_serve(&c, &io);
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
