/* SPDX-License-Identifier: MIT */
/*
 * The serial console: COM1 (a 16550 at 0x3f8), reached only through the GHCB's IOIO NAE —
 * never with IN/OUT plus a #VC — so printing cannot disturb a GHCB in use. One line is one
 * string OUT (rep outsb) through the shared buffer.
 */
#ifndef CSVSM_DEV_SERIAL_H
#define CSVSM_DEV_SERIAL_H

#include "lib/types.h"

/* Step 7 of svsm_main: program the UART and attach it as the log console. */
void serial_console_init(void);

/* Write one line (the log console callback). */
void serial_write_line(const char *line, size_t len);

#endif
