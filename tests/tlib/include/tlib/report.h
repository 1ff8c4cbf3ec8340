/*
 * Check lines and verdicts of the test programs that judge something and report to snpemu:
 * the conformance payload and the test firmware (tests/tlib/README.md). The test scripts read
 * these lines (conf-lib.sh, e2e-lib.sh).
 *
 * What is checked, and the counting, stay with each program.
 */
#ifndef TLIB_REPORT_H
#define TLIB_REPORT_H

#include "lib/types.h"

/*
 * The verdict: a 32-bit OUT to VERDICT_PORT ends the run (design §4.3): PASS makes snpemu exit
 * 0, anything else 1. snpemu defines its side for itself (tools/snpemu/l1/iodev.c).
 */
#define VERDICT_PORT 0xf4
#define VERDICT_PASS 0x10
#define VERDICT_FAIL 0x11  /* a check failed */
#define VERDICT_ABORT 0x12 /* a fatal error stopped the program */

/* Print one check's line through con_printf: "ok - WHAT", or "not ok - WHAT: WHY" (without
 * ": WHY" when @why is NULL). Returns @ok. */
bool report_check(bool ok, const char *what, const char *why);

#endif
