/* unit.h: cmocka includes and table-case checks shared by the unit tests */
#ifndef UNIT_H
#define UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "str.h"

/* Brace initializer of a struct str over a literal; embedded NULs count. */
#define SV(s)		{ (s), sizeof(s) - 1 }

/* Number of elements of an array. */
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Fail, naming table case i, unless the integer got equals want. */
#define CASE_INT(i, got, want) do {					\
	long long	g_ = (long long)(got), w_ = (long long)(want);	\
									\
	if (g_ != w_)							\
		fail_msg("case %zu: %s is %lld, want %lld",		\
		    (size_t)(i), #got, g_, w_);				\
} while (0)

/* Fail, naming table case i, unless the view got holds the C string want. */
#define CASE_STR(i, got, want) do {					\
	struct str	 g_ = (got);					\
	const char	*w_ = (want);					\
									\
	if (!str_eq_c(g_, w_))						\
		fail_msg("case %zu: %s is \"%.*s\", want \"%s\"",	\
		    (size_t)(i), #got, (int)g_.n, g_.p ? g_.p : "",	\
		    w_);						\
} while (0)

/* A table case of an encoder: what goes in, what must come out. */
struct enc_case {
	struct str	 in;
	const char	*want;
};

/*
 * Run every case through enc, which appends its encoding of the input to
 * a fresh strbuf, and compare with the wanted output.
 */
static inline void
check_encoder(const struct enc_case *cases, size_t n,
    void (*enc)(struct strbuf *, struct str))
{
	struct arena	a = { 0 };
	struct strbuf	b;
	size_t		i;

	for (i = 0; i < n; i++) {
		strbuf_init(&b, &a);
		enc(&b, cases[i].in);
		CASE_STR(i, strbuf_str(&b), cases[i].want);
	}
	arena_free(&a);
}

#endif
