/* urlenc.c: strict percent-decoding and encoding (RFC 3986, form rules) */
#include "urlenc.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
url_decode(struct arena *a, struct str in, int plus, struct str *out)
{
	char	*p;
	size_t	 i, n = 0;
	int	 hi, lo;

	p = arena_alloc(a, in.n + 1);
	for (i = 0; i < in.n; i++) {
		char c = in.p[i];

		if (c == '%') {
			if (in.n - i < 3)
				return -1;
			if ((hi = hexval(in.p[i + 1])) < 0 ||
			    (lo = hexval(in.p[i + 2])) < 0)
				return -1;
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus)
			c = ' ';
		if (c == '\0')
			return -1;
		p[n++] = c;
	}
	p[n] = '\0';
	if (!str_is_utf8((struct str){ p, n }))
		return -1;
	out->p = p;
	out->n = n;
	return 0;
}

void
url_encode(struct strbuf *b, struct str s)
{
	static const char	hex[] = "0123456789ABCDEF";
	size_t			i;

	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			strbuf_putc(b, (char)c);
			continue;
		}
		strbuf_putc(b, '%');
		strbuf_putc(b, hex[c >> 4]);
		strbuf_putc(b, hex[c & 15]);
	}
}
