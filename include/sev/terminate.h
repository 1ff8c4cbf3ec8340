/* SPDX-License-Identifier: MIT */
/*
 * Ending the SVSM: the GHCB MSR-protocol termination request (GHCB spec #56421, MSR protocol,
 * termination request: MSR = 0x100, reason set in [15:12], code in [23:16]; VMGEXIT; then hlt
 * forever). The (set, code) pairs are in sev/term.h and the README table.
 */
#ifndef CSVSM_SEV_TERMINATE_H
#define CSVSM_SEV_TERMINATE_H

#include "lib/types.h"
#include "sev/term.h"

/* Terminate without printing anything (usable at any point, from any vCPU). */
__noreturn void svsm_terminate(unsigned int set, unsigned int code);

/* Log "fatal: <message> (terminating: set S code C)" (if the console works), terminate. */
__noreturn void fatal_set(unsigned int set, unsigned int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* fatal_set() with csvsm's reason set 15. */
#define fatal(code, ...) fatal_set(SVSM_TERM_SET_CSVSM, (code), __VA_ARGS__)

#endif
