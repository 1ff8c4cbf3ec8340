/*
 * Formatted console output of the test programs (tests/tlib/README.md).
 *
 * con_printf and con_vprintf format one message with fmt_vsnprintf (src/lib/format.c), at
 * most CON_MSG_MAX - 1 characters (the rest is cut), and hand it whole to con_emit. Each
 * program defines con_emit for its own console: the L1's UART, or COM1 through `rep outsb`
 * and the program's #VC handler (string IOIO through its GHCB), with its own locking and line
 * prefixes.
 */
#ifndef TLIB_CONSOLE_H
#define TLIB_CONSOLE_H

#include <stdarg.h>
#include "lib/types.h"

#define CON_MSG_MAX 512

/* The program's: write @len characters of @msg (not NUL-terminated) to its console. */
void con_emit(const char *msg, size_t len);

void con_vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
