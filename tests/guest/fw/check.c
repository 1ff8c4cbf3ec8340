/* Checks, counters and the verdict (see check.h). */
#include <stdarg.h>
#include "check.h"
#include "console.h"
#include "svsm.h"
#include "tlib/x86.h"

static u32 passed, failed, skipped;

static void report(bool ok, const char *what, const char *why)
{
	__atomic_fetch_add(ok ? &passed : &failed, 1, __ATOMIC_RELAXED);
	report_check(ok, what, why);
}

void check(bool ok, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	report(ok, what, NULL);
}

static void vcheck_rc(u32 got, u32 want1, u32 want2, const char *fmt, va_list ap)
{
	char what[160], full[200], why[100];
	bool ok = got == want1 || got == want2;

	fmt_vsnprintf(what, sizeof(what), fmt, ap);
	if (ok) {
		fmt_snprintf(full, sizeof(full), "%s: %s", what, svsm_rc_name(got));
		report(true, full, NULL);
		return;
	}
	if (want1 == want2)
		fmt_snprintf(why, sizeof(why), "got %s (0x%x), want %s", svsm_rc_name(got), got,
			     svsm_rc_name(want1));
	else
		fmt_snprintf(why, sizeof(why), "got %s (0x%x), want %s or %s", svsm_rc_name(got),
			     got, svsm_rc_name(want1), svsm_rc_name(want2));
	report(false, what, why);
}

void check_rc(u32 got, u32 want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcheck_rc(got, want, want, fmt, ap);
	va_end(ap);
}

void check_rc2(u32 got, u32 want1, u32 want2, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcheck_rc(got, want1, want2, fmt, ap);
	va_end(ap);
}

/* One console line: @prefix, then the message of @fmt. */
static void vline(const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static void vline(const char *prefix, const char *fmt, va_list ap)
{
	char what[200];

	fmt_vsnprintf(what, sizeof(what), fmt, ap);
	con_printf("%s%s", prefix, what);
}

void skip(const char *fmt, ...)
{
	va_list ap;

	__atomic_fetch_add(&skipped, 1, __ATOMIC_RELAXED);
	va_start(ap, fmt);
	vline("skip - ", fmt, ap);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline("# ", fmt, ap);
	va_end(ap);
}

u32 checks_failed(void)
{
	return __atomic_load_n(&failed, __ATOMIC_RELAXED);
}

const char *svsm_rc_name(u32 rc)
{
	switch (rc) {
	case SVSM_SUCCESS:
		return "SUCCESS";
	case SVSM_ERR_INCOMPLETE:
		return "INCOMPLETE";
	case SVSM_ERR_UNSUPPORTED_PROTOCOL:
		return "UNSUPPORTED_PROTOCOL";
	case SVSM_ERR_UNSUPPORTED_CALL:
		return "UNSUPPORTED_CALL";
	case SVSM_ERR_INVALID_ADDRESS:
		return "INVALID_ADDRESS";
	case SVSM_ERR_INVALID_FORMAT:
		return "INVALID_FORMAT";
	case SVSM_ERR_INVALID_PARAMETER:
		return "INVALID_PARAMETER";
	case SVSM_ERR_INVALID_REQUEST:
		return "INVALID_REQUEST";
	case SVSM_ERR_BUSY:
		return "BUSY";
	case SVSM_ERR_PVALIDATE_FAIL_INPUT:
		return "PVALIDATE_FAIL_INPUT";
	case SVSM_ERR_PVALIDATE_FAIL_SIZEMISMATCH:
		return "PVALIDATE_FAIL_SIZEMISMATCH";
	case SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE:
		return "PVALIDATE_FAIL_NO_CHANGE";
	case SVSM_ERR_VCPU_IN_USE:
		return "FAIL_INUSE";
	case SVSM_NO_ANSWER:
		return "no answer (the call did not reach the SVSM)";
	default:
		return "an undefined code";
	}
}

static __noreturn void verdict(u32 code)
{
	outl(VERDICT_PORT, code);
	halt_forever();
}

__noreturn void guest_finish(void)
{
	u32 f = checks_failed();

	con_printf("%u ok, %u not ok, %u skipped", passed, f, skipped);
	con_printf("%s", f ? "FAIL" : "PASS");
	verdict(f ? VERDICT_FAIL : VERDICT_PASS);
}

__noreturn void guest_abort(void)
{
	con_printf("not ok - the firmware stopped on a fatal error (%u ok before it)", passed);
	verdict(VERDICT_ABORT);
}
