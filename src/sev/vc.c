// SPDX-License-Identifier: MIT
/* The #VC handler (include/sev/vc.h). */
#include "sev/vc.h"
#include "arch/exception.h"
#include "arch/extable.h"
#include "arch/layout.h"
#include "arch/x86.h"
#include "lib/format.h"
#include "lib/string.h"
#include "sev/cpuid.h"
#include "sev/ghcb_nae.h"
#include "sev/terminate.h"
#include "sev/vc_insn.h"

/* XCR0 for CPUID lookups: CR4.OSXSAVE is clear in the SVSM, which counts as XCR0 = 1 (x87
 * only; GHCB spec #56421, NAE events: CPUID). */
#define SVSM_XCR0 1
#define SVSM_XSS 0

static __noreturn void vc_fatal(struct trap_frame *f, const char *what)
{
	exception_fatal(f, TERM_UNHANDLED_VC, what);
}

/* Copy the instruction bytes at RIP; only the SVSM's own text can have raised a #VC. */
static size_t vc_fetch(const struct trap_frame *f, u8 *buf)
{
	u64 end = (u64)(uintptr_t)__text_end;
	size_t n;

	if (!svsm_in_text(f->rip, 1))
		return 0;
	n = (size_t)MIN((u64)X86_MAX_INSN_LEN, end - f->rip);
	memcpy(buf, (const void *)(uintptr_t)f->rip, n);
	return n;
}

static void vc_cpuid(struct trap_frame *f)
{
	const struct snp_cpuid_table *t = (const struct snp_cpuid_table *)__cpuid_page;
	struct cpuid_result r = { 0, 0, 0, 0 };
	u8 code[X86_MAX_INSN_LEN];

	if (vc_fetch(f, code) < 2 || code[0] != 0x0f || code[1] != 0xa2)
		vc_fatal(f, "#VC CPUID, but the instruction is not CPUID");
	/* A leaf missing from the launch-validated table reads as zeros: the hypervisor is never
	 * asked, so it cannot make anything up. */
	snp_cpuid_lookup(t, (u32)f->rax, (u32)f->rcx, SVSM_XCR0, SVSM_XSS, &r);
	f->rax = r.eax;
	f->rbx = r.ebx;
	f->rcx = r.ecx;
	f->rdx = r.edx;
	f->rip += 2;
}

static void vc_msr(struct trap_frame *f)
{
	u8 code[X86_MAX_INSN_LEN];
	u64 val = 0; /* set by ghcb_msr_read on success; LTO inlining hides that from GCC */

	if (vc_fetch(f, code) < 2 || code[0] != 0x0f || (code[1] != 0x30 && code[1] != 0x32))
		vc_fatal(f, "#VC MSR, but the instruction is not RDMSR/WRMSR");
	if (code[1] == 0x32) {
		if (ghcb_msr_read((u32)f->rcx, &val))
			vc_fatal(f, "the hypervisor refused RDMSR");
		f->rax = (u32)val;
		f->rdx = val >> 32;
	} else {
		if (ghcb_msr_write((u32)f->rcx, ((f->rdx & 0xffffffff) << 32) | (u32)f->rax))
			vc_fatal(f, "the hypervisor refused WRMSR");
	}
	f->rip += 2;
}

/* IN/OUT: the value travels in RAX; IN replaces only the operand-sized low part. */
static void vc_io_simple(struct trap_frame *f, const struct io_insn *io, u16 port)
{
	u64 mask = io->size == 4 ? 0xffffffffULL : (1ULL << (io->size * 8)) - 1;
	u32 val;

	if (!io->in) {
		if (ghcb_io_out(port, io->size, (u32)(f->rax & mask)))
			vc_fatal(f, "the hypervisor refused OUT");
		return;
	}
	if (ghcb_io_in(port, io->size, &val))
		vc_fatal(f, "the hypervisor refused IN");
	/* A 32-bit register write zero-extends into RAX; 8/16-bit writes keep the rest. */
	f->rax = io->size == 4 ? val : (f->rax & ~mask) | val;
}

/* INS/OUTS (with or without REP), 64-bit addressing, DF = 0, buffer inside SVSM memory. */
static void vc_io_string(struct trap_frame *f, const struct io_insn *io, u16 port)
{
	u64 count = io->rep ? f->rcx : 1;
	u64 addr = io->in ? f->rdi : f->rsi;
	u64 bytes;
	int rc;

	if (io->addr_size != 8 || (f->rflags & X86_RFLAGS_DF))
		vc_fatal(f, "string I/O with 32-bit addressing or DF=1 is not supported");
	if (count == 0)
		return;
	if (check_mul_overflow(count, (u64)io->size, &bytes) || !svsm_va_range_ok(addr, bytes))
		vc_fatal(f, "string I/O buffer outside SVSM memory");
	if (io->in)
		rc = ghcb_io_ins(port, io->size, (void *)(uintptr_t)addr, count);
	else
		rc = ghcb_io_outs(port, io->size, (const void *)(uintptr_t)addr, count);
	if (rc)
		vc_fatal(f, "the hypervisor refused string I/O");
	if (io->in)
		f->rdi += bytes;
	else
		f->rsi += bytes;
	if (io->rep)
		f->rcx = 0;
}

static void vc_ioio(struct trap_frame *f)
{
	u8 code[X86_MAX_INSN_LEN];
	size_t n = vc_fetch(f, code);
	struct io_insn io;
	u16 port;

	if (io_insn_decode(code, n, &io))
		vc_fatal(f, "#VC IOIO, but the instruction is not a supported I/O instruction");
	port = io.port_imm ? io.port : (u16)f->rdx;
	if (io.string)
		vc_io_string(f, &io, port);
	else
		vc_io_simple(f, &io, port);
	f->rip += io.len;
}

void vc_handle(struct trap_frame *f)
{
	switch (f->error_code) {
	case SVM_EXIT_CPUID:
		vc_cpuid(f);
		return;
	case SVM_EXIT_IOIO:
		vc_ioio(f);
		return;
	case SVM_EXIT_MSR:
		vc_msr(f);
		return;
	case VC_ERR_PAGE_NOT_VALIDATED:
		/* Only code that expects it (guest-memory copies) survives this one. */
		if (extable_fixup(f))
			return;
		vc_fatal(f, "#VC 0x404: access to a page that is not validated");
	default: {
		char what[80];

		fmt_snprintf(what, sizeof(what),
			     "#VC with exit code %#llx, which the SVSM does not handle",
			     (unsigned long long)f->error_code);
		vc_fatal(f, what);
	}
	}
}
