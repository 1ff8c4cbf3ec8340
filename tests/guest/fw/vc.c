/* IDT, exception dispatch and the #VC handler (see vc.h). */
#include "vc.h"
#include "check.h"
#include "console.h"
#include "hv.h"
#include "layout.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "percpu.h"
#include "tlib/io_insn.h"
#include "tlib/x86.h"

#define IDT_VECTORS 32

struct idt_gate {
	u16 offset0;
	u16 selector;
	u8 ist;
	u8 type; /* 0x8e: present, DPL 0, 64-bit interrupt gate (IF cleared on entry) */
	u16 offset1;
	u32 offset2;
	u32 reserved;
} __packed;

struct probe_entry {
	u64 insn;
	u64 fixup;
};

extern const u64 isr_table[IDT_VECTORS];
extern const struct probe_entry probe_table[], probe_table_end[];

static struct idt_gate idt[IDT_VECTORS] __aligned(16);

void idt_init(void)
{
	struct desc_ptr d = { sizeof(idt) - 1, (u64)(uintptr_t)idt };

	for (int i = 0; i < IDT_VECTORS; i++) {
		u64 a = isr_table[i];

		idt[i] = (struct idt_gate){ (u16)a,	    SEL_CODE64,	    0, 0x8e,
					    (u16)(a >> 16), (u32)(a >> 32), 0 };
	}
	load_idt(&d);
}

static __noreturn void die(const struct regs *r, const char *why)
{
	con_printf("FATAL: %s: vector %lu error 0x%lx at rip 0x%lx (vCPU %u)\n"
		   "  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n"
		   "  rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n"
		   "  r8  %016lx r9  %016lx r10 %016lx r11 %016lx",
		   why, r->vector, r->error_code, r->rip, this_cpu()->index, r->rax, r->rbx, r->rcx,
		   r->rdx, r->rsi, r->rdi, r->rbp, r->rsp, r->r8, r->r9, r->r10, r->r11);
	guest_abort();
}

static bool probe_fixup(struct regs *r)
{
	for (const struct probe_entry *e = probe_table; e < probe_table_end; e++) {
		if (r->rip == e->insn) {
			r->rax = PROBE_FAULT(r->vector, r->error_code);
			r->rip = e->fixup;
			return true;
		}
	}
	return false;
}

/* ---- CPUID: answered from the CPUID page ---- */

/* The XSAVE state in use, for the XSAVE-size leaf 0xd: CR4.OSXSAVE stays clear, so XCR0 is
 * its reset value (x87 only) and no supervisor state is enabled. */
#define GUEST_XCR0 1
#define GUEST_XSS 0

static int vc_cpuid(struct regs *r)
{
	struct cpuid_result res = { 0, 0, 0, 0 };

	/* A leaf the table does not hold reads as zeros, as on hardware beyond the max leaf. */
	snp_cpuid_lookup(cpuid_page(), (u32)r->rax, (u32)r->rcx, GUEST_XCR0, GUEST_XSS, &res);
	r->rax = res.eax;
	r->rbx = res.ebx;
	r->rcx = res.ecx;
	r->rdx = res.edx;
	r->rip += 2;
	return 0;
}

/* ---- IN/OUT/INS/OUTS: decoded here (tlib/io_insn.h), performed by the hypervisor ---- */

/* IOIO exit_info_1 (facts §3) of a decoded instruction. */
static u64 ioio_info1(const struct io_insn *io)
{
	return IOIO_PORT(io->port) | IOIO_ADDR_64 |
	       (io->size == 1	? IOIO_DATA_8
		: io->size == 2 ? IOIO_DATA_16
				: IOIO_DATA_32) |
	       (io->in ? IOIO_TYPE_IN : 0) | (io->string ? IOIO_STR : 0) |
	       (io->rep ? IOIO_REP : 0) | (io->string ? (io->in ? IOIO_SEG_ES : IOIO_SEG_DS) : 0);
}

static int vc_ioio_string(struct regs *r, const struct io_insn *io)
{
	struct cpu *cpu = this_cpu();
	u64 count = io->rep ? r->rcx : 1;
	u64 chunk = GHCB_SHARED_BUFFER_SIZE / io->size;
	u64 bytes;
	struct ghcb *g;
	int rc;

	if (count == 0) {
		r->rip += io->len;
		return 0;
	}
	if (chunk > count)
		chunk = count;
	bytes = chunk * io->size;
	g = ghcb_begin();
	if (!io->in)
		memcpy(g->shared_buffer, (const void *)(uintptr_t)r->rsi, bytes);
	ghcb_set(g, GHCB_OFF_SW_SCRATCH, cpu->ghcb_gpa + GHCB_OFF_SHARED_BUFFER);
	rc = hv_nae(g, SVM_EXIT_IOIO, ioio_info1(io), chunk); /* exit_info_2 = repeat count */
	if (!rc && io->in)
		memcpy((void *)(uintptr_t)r->rdi, g->shared_buffer, bytes);
	ghcb_end();
	if (rc)
		return rc;
	if (io->in)
		r->rdi += bytes;
	else
		r->rsi += bytes;
	if (io->rep)
		r->rcx -= chunk;
	/* With a count left, leave RIP: the instruction runs again and raises the next #VC. */
	if (!io->rep || r->rcx == 0)
		r->rip += io->len;
	return 0;
}

static int vc_ioio(struct regs *r)
{
	u64 mask, val;
	struct io_insn io;
	struct ghcb *g;
	int rc;

	if (!io_insn_decode((const u8 *)(uintptr_t)r->rip, r->rdx, &io))
		return -EINVAL;
	if (io.string)
		return vc_ioio_string(r, &io);
	mask = io.size == 4 ? 0xffffffffULL : (1ULL << (io.size * 8)) - 1;
	g = ghcb_begin();
	if (!io.in)
		ghcb_set(g, GHCB_OFF_RAX, r->rax & mask);
	rc = hv_nae(g, SVM_EXIT_IOIO, ioio_info1(&io), 0);
	if (!rc && io.in) {
		rc = ghcb_get(g, GHCB_OFF_RAX, &val);
		if (!rc)
			r->rax = (r->rax & ~mask) | (val & mask);
	}
	ghcb_end();
	if (!rc)
		r->rip += io.len;
	return rc;
}

/* ---- RDMSR/WRMSR ---- */
static int vc_msr(struct regs *r)
{
	const u8 *p = (const u8 *)(uintptr_t)r->rip;
	bool write = p[1] == 0x30; /* 0f 30 wrmsr, 0f 32 rdmsr */
	u32 msr = (u32)r->rcx;
	u64 lo, hi;
	struct ghcb *g;
	int rc;

	if (p[0] != 0x0f || (p[1] != 0x30 && p[1] != 0x32))
		return -EINVAL;
	if (msr == MSR_SVSM_CAA) { /* reads give the calling area, writes are ignored */
		if (!write) {
			r->rax = (u32)this_cpu()->caa_gpa;
			r->rdx = this_cpu()->caa_gpa >> 32;
		}
		r->rip += 2;
		return 0;
	}
	g = ghcb_begin();
	ghcb_set(g, GHCB_OFF_RCX, msr);
	if (write) {
		ghcb_set(g, GHCB_OFF_RAX, (u32)r->rax);
		ghcb_set(g, GHCB_OFF_RDX, (u32)r->rdx);
	}
	rc = hv_nae(g, SVM_EXIT_MSR, write ? 1 : 0, 0);
	if (!rc && !write) {
		if (ghcb_get(g, GHCB_OFF_RAX, &lo) || ghcb_get(g, GHCB_OFF_RDX, &hi))
			rc = -EPROTO;
		else {
			r->rax = (u32)lo;
			r->rdx = (u32)hi;
		}
	}
	ghcb_end();
	if (!rc)
		r->rip += 2;
	return rc;
}

static void vc_handle(struct regs *r)
{
	int rc;

	switch (r->error_code) {
	case SVM_EXIT_CPUID:
		rc = vc_cpuid(r);
		break;
	case SVM_EXIT_IOIO:
		rc = vc_ioio(r);
		break;
	case SVM_EXIT_MSR:
		rc = vc_msr(r);
		break;
	case VC_ERR_PAGE_NOT_VALIDATED:
		if (probe_fixup(r))
			return;
		die(r, "#VC: access to a page that is not validated");
	default:
		if (probe_fixup(r))
			return;
		die(r, "#VC with an exit code this firmware does not handle");
	}
	if (rc)
		die(r, "#VC: the hypervisor could not perform the access");
}

void exception_dispatch(struct regs *r)
{
	if (r->vector == X86_TRAP_VC) {
		vc_handle(r);
		return;
	}
	if (probe_fixup(r))
		return;
	die(r, "unexpected exception");
}
