/* header.h: Cookie, Authorization and Accept-Language header parsing */
#ifndef HEADER_H
#define HEADER_H

#include "str.h"

/*
 * Find cookie name in a Cookie header ("a=b; c=d"). Returns 0 and sets
 * *v (a view into the header), 1 if absent, -1 if it appears twice.
 */
int	header_cookie(struct str header, const char *name, struct str *v);

/*
 * Parse "Basic base64(id:secret)" (RFC 7617; id and secret are
 * form-urlencoded, RFC 6749 §2.3.1). Returns 0 with both set (arena
 * strings), 1 if the header is not Basic, -1 if it is Basic but malformed
 * (bad base64, no colon, NUL, over 1 KiB, bad escape).
 */
int	header_basic(struct arena *, struct str header, struct str *id,
	    struct str *secret);

/*
 * Parse "Bearer <b64token>" (RFC 6750 §2.1). Returns 0 and sets *token,
 * 1 if the scheme is not Bearer, -1 if it is Bearer but malformed.
 */
int	header_bearer(struct str header, struct str *token);

/* "en" if Accept-Language prefers English over Chinese, else "zh-CN". */
const char *header_accept_language(struct str header);

#endif
