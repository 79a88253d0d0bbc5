/* test_arena.c: unit tests of the per-request bump allocator */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "arena.h"

/* Every size returns zeroed, suitably aligned, disjoint memory. */
static void
test_alloc_sizes(void **state)
{
	static const size_t	 sizes[] = {
		0, 1, 7, 15, 16, 17, 100, 4096, 16383, 16384, 16385, 70000, 3
	};
	unsigned char		*p[NELEM(sizes)];
	struct arena		 a = { 0 };
	size_t			 i, j, k;

	(void)state;
	for (i = 0; i < NELEM(sizes); i++) {
		p[i] = arena_alloc(&a, sizes[i]);
		assert_non_null(p[i]);
		CASE_INT(i, (uintptr_t)p[i] % _Alignof(max_align_t), 0);
		for (k = 0; k < sizes[i]; k++)
			CASE_INT(i, p[i][k], 0);
		memset(p[i], 0xa5, sizes[i]);
	}
	/* Writing one block left every other one intact. */
	for (i = 0; i < NELEM(sizes); i++)
		for (k = 0; k < sizes[i]; k++)
			CASE_INT(i, p[i][k], 0xa5);
	for (i = 0; i < NELEM(sizes); i++)
		for (j = i + 1; j < NELEM(sizes); j++)
			assert_true(p[i] + sizes[i] <= p[j] ||
			    p[j] + sizes[j] <= p[i] || sizes[i] == 0 ||
			    sizes[j] == 0);
	arena_free(&a);
	assert_null(a.head);
}

static void
test_strndup(void **state)
{
	static const struct {
		const char	*in;
		size_t		 n;
		const char	*want;
	} cases[] = {
		{ "", 0, "" },
		{ "abc", 3, "abc" },
		{ "abcdef", 3, "abc" },
		{ "a\0b", 3, "a" },
	};
	struct arena	 a = { 0 };
	char		*s;
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		s = arena_strndup(&a, cases[i].in, cases[i].n);
		assert_ptr_not_equal(s, cases[i].in);
		assert_memory_equal(s, cases[i].in, cases[i].n);
		CASE_INT(i, s[cases[i].n], '\0');
		CASE_INT(i, strcmp(s, cases[i].want), 0);
	}
	arena_free(&a);
}

/* Many allocations spill over several chunks and all stay valid. */
static void
test_many_chunks(void **state)
{
	struct arena	 a = { 0 };
	char		*s[2000];
	char		 want[32];
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(s); i++) {
		snprintf(want, sizeof(want), "item %zu", i);
		s[i] = arena_strndup(&a, want, strlen(want));
	}
	for (i = 0; i < NELEM(s); i++) {
		snprintf(want, sizeof(want), "item %zu", i);
		CASE_INT(i, strcmp(s[i], want), 0);
	}
	arena_free(&a);
}

/*
 * arena_reset keeps one chunk (arena.h): the bytes handed out in it are
 * wiped, and the arena serves new allocations afterwards.
 */
static void
test_reset_wipes(void **state)
{
	static const char	 secret[] = "hunter2-password";
	struct arena		 a = { 0 };
	char			*p;
	size_t			 i;

	(void)state;
	p = arena_strndup(&a, secret, sizeof(secret) - 1);
	assert_string_equal(p, secret);
	arena_reset(&a);
	assert_non_null(a.head);
	for (i = 0; i < sizeof(secret); i++)
		CASE_INT(i, p[i], 0);
	p = arena_strndup(&a, "after", 5);
	assert_string_equal(p, "after");
	arena_free(&a);
}

/* Reset after big and many chunks, then reuse: no leak, no stale data. */
static void
test_reset_many(void **state)
{
	struct arena	 a = { 0 };
	unsigned char	*p;
	size_t		 i, round;

	(void)state;
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 50; i++) {
			p = arena_alloc(&a, 1000);
			memset(p, 0xff, 1000);
		}
		p = arena_alloc(&a, 100000);
		memset(p, 0xff, 100000);
		arena_reset(&a);
		p = arena_alloc(&a, 1000);
		for (i = 0; i < 1000; i++)
			CASE_INT(i, p[i], 0);
	}
	arena_reset(&a);
	arena_reset(&a);
	arena_free(&a);
	arena_free(&a);
	assert_null(a.head);
}

static void
test_xalloc(void **state)
{
	unsigned char	*p;
	char		*s;
	size_t		 i;

	(void)state;
	p = xcalloc(10, 3);
	for (i = 0; i < 30; i++)
		CASE_INT(i, p[i], 0);
	free(p);
	p = xmalloc(0);
	assert_non_null(p);
	free(p);
	s = xstrdup("copy me");
	assert_string_equal(s, "copy me");
	free(s);
	s = xstrdup("");
	assert_string_equal(s, "");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_sizes),
		cmocka_unit_test(test_strndup),
		cmocka_unit_test(test_many_chunks),
		cmocka_unit_test(test_reset_wipes),
		cmocka_unit_test(test_reset_many),
		cmocka_unit_test(test_xalloc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
