/* b64.c: base64 (RFC 4648 §4) and base64url without padding (§5) */
#include "b64.h"

static const char std_alpha[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char url_alpha[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void
encode(struct strbuf *b, const char *alpha, const unsigned char *p,
    size_t n, int pad)
{
	size_t		i;
	unsigned long	v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned long)p[i] << 16 | p[i + 1] << 8 | p[i + 2];
		strbuf_putc(b, alpha[v >> 18 & 63]);
		strbuf_putc(b, alpha[v >> 12 & 63]);
		strbuf_putc(b, alpha[v >> 6 & 63]);
		strbuf_putc(b, alpha[v & 63]);
	}
	if (n - i == 1) {
		v = (unsigned long)p[i] << 16;
		strbuf_putc(b, alpha[v >> 18 & 63]);
		strbuf_putc(b, alpha[v >> 12 & 63]);
		if (pad)
			strbuf_puts(b, "==");
	} else if (n - i == 2) {
		v = (unsigned long)p[i] << 16 | p[i + 1] << 8;
		strbuf_putc(b, alpha[v >> 18 & 63]);
		strbuf_putc(b, alpha[v >> 12 & 63]);
		strbuf_putc(b, alpha[v >> 6 & 63]);
		if (pad)
			strbuf_putc(b, '=');
	}
}

void
b64url_encode(struct strbuf *b, const unsigned char *p, size_t n)
{
	encode(b, url_alpha, p, n, 0);
}

void
b64_encode(struct strbuf *b, const unsigned char *p, size_t n, int pad)
{
	encode(b, std_alpha, p, n, pad);
}

static int
std_val(char c, int url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

static long
decode(struct str in, unsigned char *out, size_t cap, int url)
{
	size_t		i, n = in.n, o = 0;
	unsigned long	acc = 0;
	int		bits = 0, v;

	/* Strip up to two '=' of padding; the rest must be alphabet. */
	if (n > 0 && in.p[n - 1] == '=')
		n--;
	if (n > 0 && in.p[n - 1] == '=')
		n--;
	if (in.n != n && in.n % 4 != 0)
		return -1;
	if (n % 4 == 1)
		return -1;
	for (i = 0; i < n; i++) {
		if ((v = std_val(in.p[i], url)) < 0)
			return -1;
		acc = (acc << 6 | (unsigned long)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return -1;
			out[o++] = (unsigned char)(acc >> bits & 0xff);
		}
	}
	return (long)o;
}

long
b64_decode(struct str in, unsigned char *out, size_t cap)
{
	return decode(in, out, cap, 0);
}

long
b64url_decode(struct str in, unsigned char *out, size_t cap)
{
	size_t	i;

	/* RFC 7515 §2: base64url without padding. */
	for (i = 0; i < in.n; i++)
		if (in.p[i] == '=')
			return -1;
	return decode(in, out, cap, 1);
}
