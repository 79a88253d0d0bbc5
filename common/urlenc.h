/* urlenc.h: strict percent-decoding and encoding (RFC 3986, form rules) */
#ifndef URLENC_H
#define URLENC_H

#include "str.h"

/*
 * Decode %XX escapes (and '+' as space when plus is set) into a new
 * NUL-terminated arena string. Fails with -1 on a malformed escape, on a
 * decoded NUL byte or on invalid UTF-8; *out is untouched then.
 */
int	url_decode(struct arena *, struct str in, int plus, struct str *out);

/* Append s percent-encoded: everything but ALPHA / DIGIT / "-._~". */
void	url_encode(struct strbuf *, struct str s);

#endif
