/* response.h: a buffered HTTP response: status, headers, body, one flush */
#ifndef RESPONSE_H
#define RESPONSE_H

#include "request.h"
#include "str.h"

struct resp {
	struct arena	*a;
	int		 status;
	struct strbuf	 headers;	/* "Name: value\r\n" lines */
	struct strbuf	 body;
	const char	*content_type;
	int		 html;		/* add the HTML page CSP */
};

/* Start an empty 200 response; memory from the arena. */
void	resp_init(struct resp *, struct arena *);

/*
 * Add a header. Values holding CR, LF or NUL are refused with -1 so no
 * request data can split a response.
 */
int	resp_header(struct resp *, const char *name, struct str value);

/* Replace the body with s and set status and content type. */
void	resp_text(struct resp *, int status, const char *ctype, struct str s);

/*
 * A redirect (302 after GET, 303 after POST, as the caller chooses) to
 * url. Returns -1, leaving the response untouched, if url has CR/LF/NUL.
 */
int	resp_redirect(struct resp *, int status, struct str url);

/* The body formats of resp_json. */
enum resp_json {
	RESP_JSON,		/* application/json */
	RESP_JSONP_QQ,		/* QQ's exact "callback( … );" bytes */
	RESP_JSONP_NAMED	/* caller-chosen name, with a "/ ** /" guard */
};

struct json_object;

/*
 * Replace the body with o (not consumed) in format fmt (json_append's
 * text), and set status and content type. cb is used only for
 * RESP_JSONP_NAMED and must pass json_callback_ok.
 */
void	resp_json(struct resp *, int status, struct json_object *o,
	    enum resp_json fmt, struct str cb);

/* A plain error page for failures outside the endpoint's own format. */
void	resp_plain(struct resp *, int status, const char *msg);

/*
 * Write the status line, the security headers every response carries
 * (no-store, nosniff, DENY framing, no referrer), the added headers and
 * the body. Returns 0 or -1 on a write error.
 */
int	resp_flush(struct resp *, struct io *);

/* The reason phrase of a status code. */
const char *resp_reason(int status);

#endif
