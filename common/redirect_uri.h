/* redirect_uri.h: redirect URI registration checks and response building */
#ifndef REDIRECT_URI_H
#define REDIRECT_URI_H

#include "str.h"

/*
 * 1 if uri may be registered: absolute https URI, or http on a loopback
 * host (127.0.0.1, [::1], localhost); no fragment, no whitespace or
 * control characters, at most 2000 bytes (RFC 6749 §3.1.2, RFC 9700 §2.6).
 */
int	ruri_registrable(struct str uri);

/*
 * 1 if uri may be shown as a client's website link: an absolute http or
 * https URL with a host, no userinfo, no whitespace or control
 * characters, at most 2000 bytes.
 */
int	ruri_website_ok(struct str uri);

/*
 * Start a response URI: copy base and the separator for the first
 * parameter: '#' when fragment is set, else '?' or '&' depending on
 * whether base already has a query (RFC 6749 §3.1.2).
 */
void	ruri_begin(struct strbuf *, struct str base, int fragment);

/* Append "name=value" (value percent-encoded), '&' first unless first. */
void	ruri_param(struct strbuf *, int *first, const char *name,
	    struct str value);

/*
 * 1 if origin, as a browser sends it (scheme://host[:port], no path), is
 * the origin of uri (compared without case): what CORS allows a client's
 * pages. 0 otherwise ("null", a path, userinfo, a longer port).
 */
int	ruri_origin_of(struct str origin, struct str uri);

#endif
