/*
 * Freestanding memory and string functions for svsm.bin (the compiler may emit calls to
 * memcpy/memset/memmove/memcmp itself). Bulk operations move 8 bytes at a time: mem_init
 * zeroes all of SVSM memory with memset, so its speed shows in the boot instruction count.
 *
 * GCC may recognise the loops below as memset/memcpy and turn them back into calls to
 * themselves; src/svsm.mk builds this file with -fno-tree-loop-distribute-patterns.
 */
#include "lib/string.h"

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
	for (; n >= 64; n -= 64, d += 64) {
		u64_alias *w = (u64_alias *)(void *)d;

		w[0] = pattern;
		w[1] = pattern;
		w[2] = pattern;
		w[3] = pattern;
		w[4] = pattern;
		w[5] = pattern;
		w[6] = pattern;
		w[7] = pattern;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(u64_alias *)(void *)d = pattern;
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
