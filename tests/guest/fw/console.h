/*
 * Console on COM1. Every line starts with "[guest] " so the test scripts can tell the
 * firmware's output from the SVSM's and snpemu's. Output is `rep outsb`, which raises #VC; the
 * handler sends the bytes through the GHCB shared buffer (IOIO NAE, string form).
 */
#ifndef CSVSM_GUEST_CONSOLE_H
#define CSVSM_GUEST_CONSOLE_H

#include "lib/format.h" /* fmt_snprintf, fmt_vsnprintf: src/lib/format.c */
#include "lib/types.h"
#include "tlib/console.h" /* con_printf, con_vprintf */

#define CONSOLE_PORT 0x3f8
#define CONSOLE_PREFIX "[guest] "

/* con_printf prints one or more lines, each prefixed; the message is printed whole even when
 * vCPUs race. */

#endif
