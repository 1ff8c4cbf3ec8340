// SPDX-License-Identifier: MIT
/*
 * Freestanding memory and string functions for svsm.bin (the compiler may emit calls to
 * memcpy/memset/memmove/memcmp itself). Bulk operations move 8 bytes at a time; memset uses
 * rep stosq: mem_init zeroes all of SVSM memory with it, so its speed shows in the boot.
 *
 * GCC may recognise the loops below as memset/memcpy and turn them back into calls to
 * themselves; src/svsm.mk builds this file with -fno-tree-loop-distribute-patterns.
 */
#include "lib/string.h"
#include "arch/insn.h"

/* Word access through alias-anything types, so the word loops below are well defined. */
typedef u64 __attribute__((may_alias)) u64_alias;
typedef u64 __attribute__((may_alias, aligned(1))) u64_unaligned;

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;
	u64 pattern = 0x0101010101010101ULL * (u8)c;

	while (n && ((uintptr_t)d & 7)) {
		*d++ = (u8)c;
		n--;
	}
	if (n >= 8) {
		rep_stosq(d, pattern, n / 8);
		d += n & ~(size_t)7;
		n &= 7;
	}
	while (n--)
		*d++ = (u8)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	for (; n >= 8; n -= 8, d += 8, s += 8)
		*(u64_unaligned *)d = *(const u64_unaligned *)s;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlapping with dst above src: copy backwards. */
	d += n;
	s += n;
	while (n--)
		*--d = *--s;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
	}
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return (*x > *y) - (*x < *y);
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y || !*x)
			return (*x > *y) - (*x < *y);
	}
	return 0;
}
