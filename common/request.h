/* request.h: one HTTP request from the FastCGI or CGI environment */
#ifndef REQUEST_H
#define REQUEST_H

#include "form.h"
#include "str.h"

#define REQ_BODY_MAX	65536	/* SPEC: bodies over 64 KiB get 413 */
#define REQ_DRAIN_MAX	(1L << 20) /* an oversize body read and dropped */

/* Where a request comes from: FastCGI streams or the CGI process. */
struct io {
	const char	*(*getenv)(struct io *, const char *name);
	long		 (*read)(struct io *, void *buf, size_t n);
	int		 (*write)(struct io *, const void *buf, size_t n);
	void		*ctx;
};

enum req_err {
	REQ_OK = 0,
	REQ_BAD_ENCODING,	/* bad escape, NUL, invalid UTF-8, too many */
	REQ_TOO_LARGE,		/* body over the endpoint's limit: 413 */
	REQ_BAD_BODY		/* POST body that is not a form */
};

struct req {
	struct arena	*a;
	enum req_err	 err;
	struct str	 method;
	struct form	 params;	/* query string, then form body */
	size_t		 nquery;	/* params.v[0..nquery) came from the query */
	struct str	 cookie;	/* raw Cookie header */
	struct str	 authorization;
	size_t		 nauthorization;	/* Authorization headers seen */
	struct str	 accept_language;
	struct str	 remote_addr;
	struct str	 origin;
	struct str	 cors_method;	/* Access-Control-Request-Method */
	struct str	 sec_fetch_site;
	struct str	 host;
	struct str	 content_type;
	struct str	 path;		/* REQUEST_URI up to the query */
	int		 https;
	int		 is_form;	/* body was x-www-form-urlencoded */
};

/*
 * Read the environment and body of one request into r, allocating from a.
 * A body over body_max bytes is read (up to REQ_DRAIN_MAX) and dropped.
 * Never fails: problems are recorded in r->err for the loop to answer in
 * the endpoint's reply shape.
 */
void	req_read(struct req *r, struct arena *a, struct io *io,
	    size_t body_max);

/* 1 if the request method equals m. */
int	req_is(const struct req *, const char *m);

/* Shorthand for form_get(&r->params, …). */
enum form_get req_param(const struct req *, const char *name,
	    struct str *v);

/* 1 if name appears in the query string (not the body). */
int	req_in_query(const struct req *, const char *name);

#endif
