/* SPDX-License-Identifier: MIT */
/*
 * printf-style formatting into a buffer (src/lib/format.c). Named fmt_* so that host
 * builds can link it next to libc.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%; flags '-' '0' '+' ' ' '#'; field width and
 * precision (also '*'); length modifiers hh h l ll z t j. %p prints 0x and 16 hex digits.
 * A NULL %s prints "(null)". Unknown conversions are copied through verbatim.
 * Return value as C11 snprintf: the length the full output would have (without the NUL);
 * the buffer always ends with a NUL when size > 0.
 */
#ifndef CSVSM_LIB_FORMAT_H
#define CSVSM_LIB_FORMAT_H

#include <stdarg.h>
#include "lib/types.h"

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
