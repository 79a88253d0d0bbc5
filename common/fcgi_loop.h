/* fcgi_loop.h: the shared main loop of every endpoint program */
#ifndef FCGI_LOOP_H
#define FCGI_LOOP_H

#include "config.h"
#include "db.h"
#include "request.h"
#include "response.h"
#include "template.h"

struct ctx;
struct oerror;

typedef void	(*handler_fn)(struct ctx *);

/* The methods an endpoint takes; Allow names them in this order. */
#define METHOD_GET	0x01
#define METHOD_HEAD	0x02
#define METHOD_POST	0x04

/* How an endpoint answers: its refusals are written in the same shape. */
enum reply {
	REPLY_PLAIN,	/* text/plain: the user's forms, consoles, jwks */
	REPLY_PAGE,	/* the HTML error page (template "error") */
	REPLY_OAUTH,	/* RFC 6749 §5.2 JSON (oerror_reply_json) */
	REPLY_QQ,	/* the token endpoint: OAuth JSON, QQ's on a GET */
	REPLY_RESOURCE,	/* a protected resource: QQ's codes, RFC 6750 */
	REPLY__COUNT
};

/* Flags of an endpoint. */
#define EP_CORS		0x01	/* answers CORS preflights */
#define EP_QQ_GET	0x02	/* GET too when qq_compat is on */
#define EP_KEYLESS	0x04	/* runs before a key exists */
#define EP_NO_PARAMS	0x08	/* reads none: bad ones do no harm */

/*
 * What a program is, in one place: the loop answers a method outside
 * methods with 405 and Allow, a body over body_max with 413 and a
 * malformed query or body with 400, in the shape reply names, before
 * handler runs. REPLY_QQ and REPLY_RESOURCE answers have a shape of the
 * program's own: fail writes them (the loop adds Allow after it).
 */
struct endpoint {
	const char	*name;		/* the program, in log lines */
	unsigned	 methods;	/* METHOD_* */
	unsigned	 flags;		/* EP_* */
	size_t		 body_max;	/* 0: REQ_BODY_MAX */
	enum reply	 reply;
	handler_fn	 handler;
	void		(*fail)(struct ctx *, const struct oerror *);
};

/* Everything a handler needs: process state and the current request. */
struct ctx {
	const char	*prog;
	const struct endpoint *ep;
	int		 ready;	/* config (and key) loaded */
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

/*
 * Load the config, then answer requests for ep until the FastCGI
 * manager stops us; in plain-CGI mode answer exactly one. A bad config
 * makes every request a plain 500 (and one line on stderr), never a
 * crash. With EP_KEYLESS (the web installer's program) a missing secret
 * key is no error (c->cfg.keylen is 0 until the installer makes it).
 * Either way a process whose config or key failed to load tries again at
 * each request, so programs started before the installer ran work once
 * it has. Returns the process exit status.
 */
int	fcgi_main(const struct endpoint *ep);

/*
 * One request from io: read it, refuse it or hand it to c->ep's
 * handler (a plain 500 unless c->ready), write the answer. The arena is
 * the caller's to reset.
 */
void	fcgi_serve(struct ctx *, struct io *io);

/*
 * The replica of pg_dsn_read for a token lookup, or NULL when none is
 * configured or it failed to answer in the last few seconds. The caller
 * asks the primary (c->db) when the replica finds nothing or fails, and
 * reports that with fcgi_replica_done(c, rc).
 */
struct db	*fcgi_replica(struct ctx *);
void		 fcgi_replica_done(struct ctx *, int rc);

#endif
