/* fuzz.h: the libFuzzer entry point and the invariant check of the harnesses */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * Run one input through the parsers of a harness. Returns 0; a failed
 * check or a sanitizer report aborts the process instead. The same entry
 * point serves libFuzzer and replay_main.c.
 */
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort, naming the condition, unless c holds. */
#define FUZZ_CHECK(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
		    __FILE__, __LINE__, #c);				\
		abort();						\
	}								\
} while (0)

#endif
