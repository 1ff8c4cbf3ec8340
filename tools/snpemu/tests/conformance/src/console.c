/*
 * Console and verdict of the conformance payload.
 *
 * Output goes to COM1 with REP OUTSB: the #VC handler turns it into one string IOIO event per
 * line through the context's GHCB (facts §3 IOIO), as any SNP guest's console must.
 * Formatting and the memory functions are the SVSM's pure modules (src/lib/format.c,
 * src/lib/string.c; tests/tlib/README.md).
 */
#include "check.h"
#include "tlib/report.h"

#define COM1 0x3f8

/* One message, one REP OUTSB (con_printf: tlib/console.h). */
void con_emit(const char *msg, size_t len)
{
	outsb(COM1, msg, len);
}

bool check(bool ok, const char *name, const char *why_fmt, ...)
{
	struct cpu *c = this_cpu();
	char why[160];
	va_list ap;

	c->checks++;
	if (ok)
		return report_check(true, name, NULL);
	c->failures++;
	va_start(ap, why_fmt);
	fmt_vsnprintf(why, sizeof(why), why_fmt, ap);
	va_end(ap);
	return report_check(false, name, why);
}

bool check_eq(const char *name, u64 got, u64 want)
{
	return check(got == want, name, "expected 0x%lx got 0x%lx", want, got);
}

bool check_ne(const char *name, u64 got, u64 unwanted)
{
	return check(got != unwanted, name, "expected anything but 0x%lx got 0x%lx", unwanted, got);
}

__noreturn void conf_terminate(unsigned int code)
{
	msr_protocol(MSR_TERM_REQ | ((u64)CONF_TERM_SET << 12) | ((u64)code << 16));
	halt_forever();
}

__noreturn void verdict(u32 code)
{
	/* A 32-bit OUT to port 0xf4 through the IOIO event ends the run (design §4.3). */
	outl(VERDICT_PORT, code);
	con_printf("not ok - host ignored the verdict 0x%x on port 0x%x\n", code, VERDICT_PORT);
	conf_terminate(CONF_TERM_VERDICT);
}

bool check_insn(const char *name, struct insn_result r, u64 eax, int cf)
{
	return check(r.vector < 0 && r.rax == eax && (cf == CF_ANY || r.cf == (bool)cf), name,
		     "expected eax %lu cf %d got eax %lu cf %d vector %d", eax, cf, r.rax, r.cf,
		     r.vector);
}

bool check_vc_at(const char *name, struct insn_result r, u64 code)
{
	return check(r.vector == VEC_VC && r.error == code && r.at_insn, name,
		     "expected #VC 0x%lx at the instruction got vector %d error 0x%lx at_insn %d",
		     code, r.vector, r.error, r.at_insn);
}

bool check_no_fault(const char *name, struct insn_result r)
{
	return check(r.vector < 0, name, "expected no exception got vector %d error 0x%lx",
		     r.vector, r.error);
}

bool check_nae_ok(const char *name, struct nae n)
{
	return check(n.info1_valid && n.info1 == 0, name,
		     "expected exit_info_1 0 got 0x%lx (valid %d), exit_info_2 0x%lx", n.info1,
		     n.info1_valid, n.info2);
}
