/* SPDX-License-Identifier: MIT */
/*
 * Log lines on the console: "[cpuN] message", one line per call, never interleaved between
 * vCPUs. Until a console is attached (svsm_main step 7) lines wait in a small early buffer,
 * which log_attach_console() flushes in order.
 *
 * Lock order: the log lock is the innermost lock of the SVSM (README.md "Lock order"): the
 * console callback takes no other lock. A vCPU that faults while it holds the lock (panic
 * while printing) does not wait for itself: it prints without the lock.
 */
#ifndef CSVSM_LIB_LOG_H
#define CSVSM_LIB_LOG_H

#include <stdarg.h>
#include "lib/types.h"

enum log_level {
	LOG_ERR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

/* Lines above this level are dropped (make ... LOG_LEVEL=3 for debug output). */
#ifndef LOG_LEVEL
#define LOG_LEVEL LOG_INFO
#endif

#define LOG_LINE_MAX 256 /* longer lines are cut and end in "..." */

void log_printf(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vprintf(enum log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#define log_err(...) log_printf(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_printf(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

/* The console: writes one complete line (ending in '\n'). */
typedef void (*log_console_fn)(const char *line, size_t len);

/* Attach the console and flush the early buffer through it. */
void log_attach_console(log_console_fn write);
bool log_console_attached(void);

#endif
