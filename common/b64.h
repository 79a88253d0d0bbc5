/* b64.h: base64 (RFC 4648 §4) and base64url without padding (§5), hex */
#ifndef B64_H
#define B64_H

#include "str.h"

/* Append the base64url encoding of n bytes, without '=' padding. */
void	b64url_encode(struct strbuf *, const unsigned char *p, size_t n);

/* Append standard base64; pad selects '=' padding (PHC strings use none). */
void	b64_encode(struct strbuf *, const unsigned char *p, size_t n, int pad);

/*
 * Decode standard base64 (padding optional, no whitespace) into out, at
 * most cap bytes. Returns the decoded length, or -1 on bad input or
 * when cap is too small.
 */
long	b64_decode(struct str in, unsigned char *out, size_t cap);

/*
 * Decode base64url without padding (RFC 7515 §2) into out, at most cap
 * bytes. Returns the decoded length, or -1 on bad input or when cap is
 * too small.
 */
long	b64url_decode(struct str in, unsigned char *out, size_t cap);

#endif
