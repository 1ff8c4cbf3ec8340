/* Common includes and helpers for the cmocka unit tests. */
#ifndef CSVSM_TESTS_UNIT_H
#define CSVSM_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/errno.h"
#include "lib/types.h"

/* Deterministic xorshift64* generator: tests replay exactly. */
static inline u64 prng_next(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static inline u64 prng_below(u64 *s, u64 n)
{
	return prng_next(s) % n;
}

/* Zeroed, aligned memory for a test; freed with free(). (C11 aligned_alloc wants the size
 * to be a multiple of the alignment.) */
static inline void *test_alloc_aligned(size_t align, size_t size)
{
	void *p = aligned_alloc(align, ALIGN_UP(size, align));

	assert_non_null(p);
	memset(p, 0, size);
	return p;
}

#endif
