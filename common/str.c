/* str.c: length-carrying string views and an arena-backed string builder */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"

struct str
str_c(const char *s)
{
	struct str	v = { s ? s : "", s ? strlen(s) : 0 };

	return v;
}

int
str_eq(struct str a, struct str b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

int
str_eq_c(struct str a, const char *s)
{
	return str_eq(a, str_c(s));
}

int
str_caseeq_c(struct str a, const char *s)
{
	size_t	i, n = strlen(s);
	int	x, y;

	if (a.n != n)
		return 0;
	for (i = 0; i < n; i++) {
		x = (unsigned char)a.p[i];
		y = (unsigned char)s[i];
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return 0;
	}
	return 1;
}

int
str_eq_ct(struct str a, struct str b)
{
	volatile unsigned char	diff = 0;
	size_t			i, n;

	/* Walk the longer of the two so timing leaks only the lengths. */
	n = a.n > b.n ? a.n : b.n;
	for (i = 0; i < n; i++) {
		unsigned char x = i < a.n ? (unsigned char)a.p[i] : 0;
		unsigned char y = i < b.n ? (unsigned char)b.p[i] : 0;
		diff |= x ^ y;
	}
	return diff == 0 && a.n == b.n;
}

int
str_has_prefix(struct str s, const char *prefix)
{
	size_t	n = strlen(prefix);

	return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

int
str_to_long(struct str s, long *out)
{
	long	v = 0;
	size_t	i;

	if (s.n == 0 || s.n > 18)
		return -1;
	for (i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		v = v * 10 + (s.p[i] - '0');
	}
	*out = v;
	return 0;
}

char *
str_dup(struct arena *a, struct str s)
{
	return arena_strndup(a, s.p, s.n);
}

int
str_is_utf8(struct str s)
{
	const unsigned char	*p = (const unsigned char *)s.p;
	size_t			 i = 0, need, k;
	uint32_t		 cp;

	while (i < s.n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf) {
			need = 1;
			cp = p[i] & 0x1f;
		} else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			need = 2;
			cp = p[i] & 0x0f;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			need = 3;
			cp = p[i] & 0x07;
		} else
			return 0;
		if (s.n - i - 1 < need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

void
strbuf_init(struct strbuf *b, struct arena *a)
{
	b->a = a;
	b->cap = 0;
	b->n = 0;
	b->p = (char *)"";
}

static void
strbuf_grow(struct strbuf *b, size_t extra)
{
	size_t	 cap;
	char	*p;

	if (extra > SIZE_MAX / 4 || b->n > SIZE_MAX / 4)
		abort();
	if (b->cap > b->n + extra)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap <= b->n + extra)
		cap *= 2;
	p = arena_alloc(b->a, cap);
	if (b->n)
		memcpy(p, b->p, b->n);
	if (b->cap)
		explicit_bzero(b->p, b->cap);
	p[b->n] = '\0';
	b->p = p;
	b->cap = cap;
}

void
strbuf_append(struct strbuf *b, const char *p, size_t n)
{
	strbuf_grow(b, n);
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void
strbuf_puts(struct strbuf *b, const char *s)
{
	strbuf_append(b, s, strlen(s));
}

void
strbuf_putc(struct strbuf *b, char c)
{
	strbuf_append(b, &c, 1);
}

void
strbuf_vappendf(struct strbuf *b, const char *fmt, va_list ap)
{
	va_list	ap2;
	int	n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	strbuf_grow(b, (size_t)n);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	b->n += (size_t)n;
}

void
strbuf_appendf(struct strbuf *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	strbuf_vappendf(b, fmt, ap);
	va_end(ap);
}

void
strbuf_hex(struct strbuf *b, const unsigned char *p, size_t n)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i;

	strbuf_grow(b, n * 2);
	for (i = 0; i < n; i++) {
		b->p[b->n++] = hex[p[i] >> 4];
		b->p[b->n++] = hex[p[i] & 15];
	}
	b->p[b->n] = '\0';
}

void
strbuf_reset(struct strbuf *b)
{
	b->n = 0;
	if (b->cap)
		b->p[0] = '\0';
}

struct str
strbuf_str(const struct strbuf *b)
{
	struct str	s = { b->p, b->n };

	return s;
}

size_t
str_utf8_len(struct str s)
{
	size_t	i, n = 0;

	for (i = 0; i < s.n; i++)
		if (((unsigned char)s.p[i] & 0xc0) != 0x80)
			n++;
	return n;
}

size_t
str_utf8_prefix(struct str s, size_t max)
{
	size_t	i, n = 0;

	for (i = 0; i < s.n; i++)
		if (((unsigned char)s.p[i] & 0xc0) != 0x80 && n++ == max)
			return i;
	return s.n;
}
