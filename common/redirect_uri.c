/* redirect_uri.c: redirect URI registration checks and response building */
#include <string.h>

#include "redirect_uri.h"
#include "urlenc.h"

static int
host_is_loopback(struct str rest)
{
	static const char	*hosts[] = { "127.0.0.1", "[::1]", "localhost" };
	size_t			 i, n;

	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		n = strlen(hosts[i]);
		if (rest.n >= n && memcmp(rest.p, hosts[i], n) == 0 &&
		    (rest.n == n || rest.p[n] == ':' || rest.p[n] == '/'))
			return 1;
	}
	return 0;
}

/*
 * An absolute http(s) URL of at most 2000 printable ASCII bytes, without
 * fragment or userinfo; plain http only on a loopback host unless
 * any_http.
 */
static int
http_url(struct str u, int any_http)
{
	struct str	rest;
	size_t		i;

	if (u.n == 0 || u.n > 2000)
		return 0;
	for (i = 0; i < u.n; i++) {
		unsigned char c = (unsigned char)u.p[i];

		if (c <= 0x20 || c >= 0x7f || c == '#' || c == '\\')
			return 0;
	}
	if (str_has_prefix(u, "https://")) {
		rest.p = u.p + 8;
		rest.n = u.n - 8;
	} else if (str_has_prefix(u, "http://")) {
		rest.p = u.p + 7;
		rest.n = u.n - 7;
		if (!any_http && !host_is_loopback(rest))
			return 0;
	} else
		return 0;
	/* A host must follow, without userinfo. */
	if (rest.n == 0 || rest.p[0] == '/' || rest.p[0] == ':' ||
	    rest.p[0] == '?')
		return 0;
	for (i = 0; i < rest.n && rest.p[i] != '/'; i++)
		if (rest.p[i] == '@')
			return 0;
	return 1;
}

int
ruri_registrable(struct str u)
{
	return http_url(u, 0);
}

int
ruri_website_ok(struct str u)
{
	return http_url(u, 1);
}

void
ruri_begin(struct strbuf *b, struct str base, int fragment)
{
	strbuf_append(b, base.p, base.n);
	if (fragment)
		strbuf_putc(b, '#');
	else if (memchr(base.p, '?', base.n) == NULL)
		strbuf_putc(b, '?');
	else if (base.p[base.n - 1] != '?' && base.p[base.n - 1] != '&')
		strbuf_putc(b, '&');
}

void
ruri_param(struct strbuf *b, int *first, const char *name, struct str value)
{
	if (!*first)
		strbuf_putc(b, '&');
	*first = 0;
	strbuf_puts(b, name);
	strbuf_putc(b, '=');
	url_encode(b, value);
}

/* The byte after "scheme://" in s, or 0 when s has no such prefix. */
static size_t
authority_start(struct str s)
{
	size_t	i;

	for (i = 0; i < s.n; i++) {
		if (s.p[i] == ':')
			break;
		if (!((s.p[i] >= 'a' && s.p[i] <= 'z') ||
		    (s.p[i] >= 'A' && s.p[i] <= 'Z')))
			return 0;
	}
	if (i == 0 || i + 3 > s.n || memcmp(s.p + i, "://", 3) != 0)
		return 0;
	return i + 3;
}

static int
lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

int
ruri_origin_of(struct str origin, struct str uri)
{
	size_t	i, start = authority_start(origin);

	if (start == 0 || start == origin.n || origin.n > uri.n)
		return 0;
	for (i = start; i < origin.n; i++)
		if (strchr("/?#@\\ ", origin.p[i]) != NULL)
			return 0;
	for (i = 0; i < origin.n; i++)
		if (lower((unsigned char)origin.p[i]) !=
		    lower((unsigned char)uri.p[i]))
			return 0;
	return i == uri.n || uri.p[i] == '/' || uri.p[i] == '?';
}
