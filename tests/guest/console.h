/*
 * Console on COM1. Every line starts with "[guest] " so the test scripts can tell the
 * firmware's output from the SVSM's and snpemu's. Output is `rep outsb`, which raises #VC; the
 * handler sends the bytes through the GHCB shared buffer (IOIO NAE, string form).
 */
#ifndef CSVSM_GUEST_CONSOLE_H
#define CSVSM_GUEST_CONSOLE_H

#include <stdarg.h>
#include "lib/format.h" /* fmt_snprintf, fmt_vsnprintf: src/lib/format.c */
#include "lib/types.h"

#define CONSOLE_PORT 0x3f8
#define CONSOLE_PREFIX "[guest] "

/* One or more lines, each prefixed; the message is printed whole even when vCPUs race. */
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void con_vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
