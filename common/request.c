/* request.c: one HTTP request from the FastCGI or CGI environment */
#include <string.h>

#include "request.h"

static struct str
env(struct io *io, const char *name)
{
	return str_c(io->getenv(io, name));
}

static int
is_form_type(struct str ct)
{
	static const char	 t[] = "application/x-www-form-urlencoded";
	struct str		 base = ct;
	const char		*semi;

	if ((semi = memchr(ct.p, ';', ct.n)) != NULL)
		base.n = (size_t)(semi - ct.p);
	while (base.n && base.p[base.n - 1] == ' ')
		base.n--;
	return str_caseeq_c(base, t);
}

/*
 * Read and drop an oversize body (up to REQ_DRAIN_MAX bytes) before the
 * 413: a plain-CGI program that exits with its input unread makes
 * Apache's mod_cgid cut the answer short.
 */
static void
drain(struct io *io, long len)
{
	char	buf[4096];
	long	n = 0, got;

	if (len > REQ_DRAIN_MAX)
		len = REQ_DRAIN_MAX;
	while (n < len) {
		got = io->read(io, buf, len - n < (long)sizeof(buf) ?
		    (size_t)(len - n) : sizeof(buf));
		if (got <= 0)
			break;
		n += got;
	}
}

static void
read_body(struct req *r, struct io *io, size_t max)
{
	struct str	 cl = env(io, "CONTENT_LENGTH"), body;
	long		 len = 0, got, n = 0;
	char		*buf;

	if (cl.n && str_to_long(cl, &len)) {
		r->err = REQ_BAD_BODY;
		return;
	}
	if ((unsigned long)len > max) {
		drain(io, len);
		r->err = REQ_TOO_LARGE;
		return;
	}
	if (len == 0)
		return;
	buf = arena_alloc(r->a, (size_t)len + 1);
	while (n < len) {
		got = io->read(io, buf + n, (size_t)(len - n));
		if (got <= 0)
			break;
		n += got;
	}
	if (n != len) {
		r->err = REQ_BAD_BODY;
		return;
	}
	if (!r->is_form) {
		/* Only our own endpoints' forms carry bodies. */
		r->err = REQ_BAD_BODY;
		return;
	}
	body.p = buf;
	body.n = (size_t)n;
	if (form_parse(&r->params, r->a, body))
		r->err = REQ_BAD_ENCODING;
}

void
req_read(struct req *r, struct arena *a, struct io *io, size_t body_max)
{
	struct str	 https;
	const char	*q;

	memset(r, 0, sizeof(*r));
	r->a = a;
	r->method = env(io, "REQUEST_METHOD");
	r->cookie = env(io, "HTTP_COOKIE");
	r->authorization = env(io, "HTTP_AUTHORIZATION");
	r->nauthorization = r->authorization.n ? 1 : 0;
	r->accept_language = env(io, "HTTP_ACCEPT_LANGUAGE");
	r->remote_addr = env(io, "REMOTE_ADDR");
	r->origin = env(io, "HTTP_ORIGIN");
	r->cors_method = env(io, "HTTP_ACCESS_CONTROL_REQUEST_METHOD");
	r->sec_fetch_site = env(io, "HTTP_SEC_FETCH_SITE");
	r->host = env(io, "HTTP_HOST");
	r->content_type = env(io, "CONTENT_TYPE");
	r->path = env(io, "REQUEST_URI");
	if (r->path.n && (q = memchr(r->path.p, '?', r->path.n)) != NULL)
		r->path.n = (size_t)(q - r->path.p);
	https = env(io, "HTTPS");
	r->https = https.n && !str_caseeq_c(https, "off");
	r->is_form = is_form_type(r->content_type);

	if (form_parse(&r->params, a, env(io, "QUERY_STRING"))) {
		r->err = REQ_BAD_ENCODING;
		return;
	}
	r->nquery = r->params.n;
	if (req_is(r, "POST") || req_is(r, "PUT") || req_is(r, "PATCH"))
		read_body(r, io, body_max);
}

int
req_is(const struct req *r, const char *m)
{
	return str_eq_c(r->method, m);
}

enum form_get
req_param(const struct req *r, const char *name, struct str *v)
{
	return form_get(&r->params, name, v);
}

int
req_in_query(const struct req *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->nquery; i++)
		if (str_eq_c(r->params.v[i].name, name))
			return 1;
	return 0;
}
