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

#endif
