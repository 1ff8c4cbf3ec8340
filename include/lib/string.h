/* SPDX-License-Identifier: MIT */
/*
 * Freestanding string and memory functions. src/lib/string.c provides them in svsm.bin
 * (the compiler may also emit calls to memcpy/memset/memmove/memcmp); host builds use libc's,
 * whose declarations are compatible with these.
 */
#ifndef CSVSM_LIB_STRING_H
#define CSVSM_LIB_STRING_H

#include "lib/types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif
