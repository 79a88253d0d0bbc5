/* ceiling.c: the shared loop of the benchmark's ceiling responders */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <fcgiapp.h>

#include "ceiling.h"
#include "config.h"

/*
 * A token response's size, and the header set every endpoint sends
 * (common/response.c), so that the bytes on the wire match.
 */
static const char	body[] =
	"{\"access_token\":\"hT3qf0J6cQm8Vb2xLk9wYp4sNd7rEa1uGi5oZj0eXyC\","
	"\"token_type\":\"Bearer\",\"expires_in\":3600,"
	"\"scope\":\"get_user_info list_album\",\"state\":\"ok\"}";
_Static_assert(sizeof(body) - 1 == 150, "the ceiling body is 150 bytes");

static const char	head_ok[] =
	"Status: 200 OK\r\n"
	"Content-Type: application/json;charset=UTF-8\r\n"
	"Content-Length: 150\r\n"
	"Cache-Control: no-store\r\n"
	"Pragma: no-cache\r\n"
	"X-Content-Type-Options: nosniff\r\n"
	"X-Frame-Options: DENY\r\n"
	"Referrer-Policy: no-referrer\r\n"
	"Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
	"\r\n";

static const char	head_fail[] =
	"Status: 500 Internal Server Error\r\n"
	"Content-Type: text/plain;charset=UTF-8\r\n"
	"Content-Length: 16\r\n"
	"Cache-Control: no-store\r\n"
	"\r\n"
	"database failed\n";

/* The process's one connection, with the statement prepared on it. */
struct conn {
	PGconn		*pg;
	const char	*dsn;
};

static void
conn_drop(struct conn *c)
{
	if (c->pg != NULL)
		PQfinish(c->pg);
	c->pg = NULL;
}

static int
conn_ready(struct conn *c, const struct ceiling *cl)
{
	PGresult	*res;
	int		 ok;

	if (c->pg != NULL)
		return 0;
	c->pg = PQconnectdb(c->dsn);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		fprintf(stderr, "%s: database: %s", cl->prog,
		    PQerrorMessage(c->pg));
		conn_drop(c);
		return -1;
	}
	res = PQprepare(c->pg, "ceiling", cl->sql, cl->nparams, NULL);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "%s: prepare: %s", cl->prog,
		    PQerrorMessage(c->pg));
	PQclear(res);
	if (!ok) {
		conn_drop(c);
		return -1;
	}
	return 0;
}

/* Run the statement once; 0 when it gave the expected result. */
static int
run(struct conn *c, const struct ceiling *cl, unsigned long n)
{
	struct ceiling_params	 p;
	PGresult		*res;
	int			 ok;

	if (cl->sql == NULL)
		return 0;
	if (conn_ready(c, cl))
		return -1;
	memset(p.v, 0, sizeof(p.v));
	if (cl->params != NULL)
		cl->params(n, &p);
	res = PQexecPrepared(c->pg, "ceiling", cl->nparams, p.v, NULL, NULL,
	    0);
	ok = PQresultStatus(res) == cl->expect;
	if (!ok)
		fprintf(stderr, "%s: %s", cl->prog, PQerrorMessage(c->pg));
	PQclear(res);
	if (!ok && PQstatus(c->pg) != CONNECTION_OK)
		conn_drop(c);
	return ok ? 0 : -1;
}

int
ceiling_main(const struct ceiling *cl)
{
	struct config	 cfg;
	struct conn	 c = { NULL, NULL };
	FCGX_Request	 r;
	char		 err[512], buf[4096];
	unsigned long	 n;

	signal(SIGPIPE, SIG_IGN);
	config_defaults(&cfg);
	if (cl->sql != NULL) {
		if (config_read(&cfg, NULL, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", cl->prog, err);
			return 1;
		}
		c.dsn = cfg.pg_dsn;
	}
	if (FCGX_Init() || FCGX_InitRequest(&r, 0, 0))
		return 1;
	for (n = 0; FCGX_Accept_r(&r) >= 0; n++) {
		/* Read the body as the endpoints do, then answer. */
		while (FCGX_GetStr(buf, sizeof(buf), r.in) > 0)
			continue;
		if (run(&c, cl, n) == 0) {
			FCGX_PutStr(head_ok, sizeof(head_ok) - 1, r.out);
			FCGX_PutStr(body, sizeof(body) - 1, r.out);
		} else
			FCGX_PutStr(head_fail, sizeof(head_fail) - 1, r.out);
		FCGX_Finish_r(&r);
	}
	conn_drop(&c);
	config_free(&cfg);
	return 0;
}
