/*
 * Checks and the verdict. Each check prints one line,
 *     [guest] ok - <what was checked>          or
 *     [guest] not ok - <what>: <why>
 * and a check that cannot run here prints "[guest] skip - <what>: <why>" (never counted as ok).
 * The verdict goes to snpemu through a 32-bit OUT to port 0xf4: 0x10 pass, anything else fail.
 */
#ifndef CSVSM_GUEST_CHECK_H
#define CSVSM_GUEST_CHECK_H

#include "lib/types.h"
#include "tlib/report.h" /* report_check, VERDICT_* */

void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Result-code checks print the code's name; an SVSM call that got no answer at all (see
 * svsm.h, SVSM_NO_ANSWER) never matches. */
void check_rc(u32 got, u32 want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* For the few cases where the facts allow two results. */
void check_rc2(u32 got, u32 want1, u32 want2, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

void skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A comment line "# ..." (context for the checks that follow). */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

u32 checks_failed(void);

const char *svsm_rc_name(u32 rc);

/* Print the totals and report the verdict; does not return under snpemu. */
__noreturn void guest_finish(void);
/* A fatal error: report failure (VERDICT_ABORT) now. */
__noreturn void guest_abort(void);

#endif
