/* response.c: a buffered HTTP response: status, headers, body, one flush */
#include <string.h>

#include "json.h"
#include "response.h"

#define CSP_HTML "default-src 'none'; script-src 'self'; style-src 'self'; " \
	"img-src 'self' https: data:; base-uri 'none'; frame-ancestors 'none'"
#define CSP_OTHER "default-src 'none'; frame-ancestors 'none'"

void
resp_init(struct resp *r, struct arena *a)
{
	memset(r, 0, sizeof(*r));
	r->a = a;
	r->status = 200;
	strbuf_init(&r->headers, a);
	strbuf_init(&r->body, a);
	r->content_type = "text/plain;charset=UTF-8";
}

static int
header_safe(struct str v)
{
	size_t	i;

	for (i = 0; i < v.n; i++)
		if (v.p[i] == '\r' || v.p[i] == '\n' || v.p[i] == '\0')
			return 0;
	return 1;
}

int
resp_header(struct resp *r, const char *name, struct str value)
{
	if (!header_safe(value) || !header_safe(str_c(name)))
		return -1;
	strbuf_puts(&r->headers, name);
	strbuf_puts(&r->headers, ": ");
	strbuf_append(&r->headers, value.p, value.n);
	strbuf_puts(&r->headers, "\r\n");
	return 0;
}

void
resp_text(struct resp *r, int status, const char *ctype, struct str s)
{
	r->status = status;
	r->content_type = ctype;
	strbuf_reset(&r->body);
	strbuf_append(&r->body, s.p, s.n);
}

int
resp_redirect(struct resp *r, int status, struct str url)
{
	if (!header_safe(url))
		return -1;
	r->status = status;
	strbuf_reset(&r->body);
	return resp_header(r, "Location", url);
}

void
resp_json(struct resp *r, int status, json_object *o, enum resp_json fmt,
    struct str cb)
{
	r->status = status;
	r->html = 0;
	r->content_type = fmt == RESP_JSON ? "application/json;charset=UTF-8" :
	    "application/javascript;charset=UTF-8";
	strbuf_reset(&r->body);
	switch (fmt) {
	case RESP_JSON:
		json_append(&r->body, o);
		break;
	case RESP_JSONP_QQ:
		strbuf_puts(&r->body, "callback( ");
		json_append(&r->body, o);
		strbuf_puts(&r->body, " );\n");
		break;
	case RESP_JSONP_NAMED:
		/* The comment defeats Rosetta-Flash style SWF sniffing. */
		strbuf_puts(&r->body, "/**/");
		strbuf_append(&r->body, cb.p, cb.n);
		strbuf_puts(&r->body, "( ");
		json_append(&r->body, o);
		strbuf_puts(&r->body, " );\n");
		break;
	}
}

void
resp_plain(struct resp *r, int status, const char *msg)
{
	r->html = 0;
	resp_text(r, status, "text/plain;charset=UTF-8", str_c(msg));
	strbuf_putc(&r->body, '\n');
}

const char *
resp_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 302: return "Found";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

int
resp_flush(struct resp *r, struct io *io)
{
	struct strbuf	h;

	strbuf_init(&h, r->a);
	strbuf_appendf(&h, "Status: %d %s\r\n", r->status,
	    resp_reason(r->status));
	strbuf_appendf(&h, "Content-Type: %s\r\n", r->content_type);
	strbuf_appendf(&h, "Content-Length: %zu\r\n", r->body.n);
	strbuf_puts(&h, "Cache-Control: no-store\r\n"
	    "Pragma: no-cache\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Referrer-Policy: no-referrer\r\n");
	strbuf_appendf(&h, "Content-Security-Policy: %s\r\n",
	    r->html ? CSP_HTML : CSP_OTHER);
	strbuf_append(&h, r->headers.p, r->headers.n);
	strbuf_puts(&h, "\r\n");
	if (io->write(io, h.p, h.n) == -1)
		return -1;
	if (r->body.n && io->write(io, r->body.p, r->body.n) == -1)
		return -1;
	return 0;
}
