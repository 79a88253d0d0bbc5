/* str.h: length-carrying string views and an arena-backed string builder */
#ifndef STR_H
#define STR_H

#include <stdarg.h>
#include <stddef.h>

#include "arena.h"

/* A non-owning view; p need not be NUL-terminated unless said so. */
struct str {
	const char	*p;
	size_t		 n;
};

#define STR_LIT(s)	((struct str){ (s), sizeof(s) - 1 })
#define STR_NULL	((struct str){ NULL, 0 })

/* View of a NUL-terminated string; NULL gives the empty view. */
struct str	 str_c(const char *);

/* 1 if both views hold the same bytes. Not for secrets. */
int		 str_eq(struct str, struct str);

/* 1 if the view equals the C string. Not for secrets. */
int		 str_eq_c(struct str, const char *);

/* Case-insensitive ASCII comparison with a C string. */
int		 str_caseeq_c(struct str, const char *);

/*
 * Constant-time equality for secrets: time depends only on the lengths.
 * Returns 1 if equal.
 */
int		 str_eq_ct(struct str, struct str);

/* 1 if s begins with the C string prefix. */
int		 str_has_prefix(struct str, const char *);

/*
 * Parse a non-negative decimal integer of at most 18 digits.
 * Returns 0 and sets *out, or -1 on any other input.
 */
int		 str_to_long(struct str, long *out);

/* Copy a view into the arena as a NUL-terminated string. */
char		*str_dup(struct arena *, struct str);

/* 1 if the bytes are valid UTF-8 (no overlongs, no surrogates). */
int		 str_is_utf8(struct str);

/*
 * For valid UTF-8: the number of characters, and the length in bytes of
 * the first max characters (never splits a character).
 */
size_t		 str_utf8_len(struct str);
size_t		 str_utf8_prefix(struct str, size_t max);

/* Builder: n excludes the NUL; p is always NUL-terminated. */
struct strbuf {
	char		*p;
	size_t		 n;
	size_t		 cap;
	struct arena	*a;
};

/* Start an empty builder whose memory comes from the arena. */
void	 strbuf_init(struct strbuf *, struct arena *);
void	 strbuf_append(struct strbuf *, const char *p, size_t n);
void	 strbuf_puts(struct strbuf *, const char *s);
void	 strbuf_putc(struct strbuf *, char c);
void	 strbuf_appendf(struct strbuf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 strbuf_vappendf(struct strbuf *, const char *fmt, va_list);
/* Append lower-case hex of n bytes. */
void	 strbuf_hex(struct strbuf *, const unsigned char *p, size_t n);
/* Drop the contents, keep the memory. */
void	 strbuf_reset(struct strbuf *);
struct str strbuf_str(const struct strbuf *);

#endif
