/*
 * Exceptions of the conformance payload: the IDT, probe recovery and the #VC handler.
 *
 * The #VC handler emulates what the payload itself needs (console and fw_cfg port I/O, CPUID,
 * RDMSR/WRMSR) through the context's GHCB, the way an SNP guest must (facts §3). Any other
 * exception outside a probe is a failure of the run.
 */
#include "conf.h"
#include "ghcb.h"
#include "insn.h"
#include "tlib/io_insn.h"

#define VEC_VC 29

struct idt_entry {
	u16 off0, sel;
	u8 ist, type;
	u16 off1;
	u32 off2, reserved;
} __packed;

extern const u64 isr_table[IDT_ENTRIES];

void idt_init(void)
{
	struct idt_entry *e = (struct idt_entry *)idt;
	int i;

	for (i = 0; i < IDT_ENTRIES; i++) {
		u64 a = isr_table[i];

		e[i] = (struct idt_entry){
			.off0 = (u16)a,
			.sel = CONF_CS_SEL,
			.type = 0x8e, /* present, DPL 0, 64-bit interrupt gate */
			.off1 = (u16)(a >> 16),
			.off2 = (u32)(a >> 32),
		};
	}
}

static __noreturn void fatal(struct cpu *c, const char *what, struct frame *f)
{
	/* A fault while reporting a fault: leave through the MSR protocol, which needs nothing. */
	if (c->in_fatal++)
		conf_terminate(CONF_TERM_NESTED);
	c->checks++;
	c->failures++;
	con_printf("not ok - %s: vector %lu error 0x%lx rip 0x%lx at VMPL%d\n", what, f->vector,
		   f->error, f->rip, c->vmpl);
	verdict(VERDICT_ABORT);
}

/* One NAE for the handler: any result but success is fatal (the host refused emulation). */
static bool vc_call(struct cpu *c, u64 code, u64 info1, u64 info2)
{
	struct nae r = ghcb_call(c, code, info1, info2);

	return r.info1_valid && (u32)r.info1 == GHCB_RESULT_OK;
}

static bool vc_cpuid(struct cpu *c, struct frame *f, const u8 *insn)
{
	u64 a, b, cx, d;

	if (insn[0] != 0x0f || insn[1] != 0xa2)
		return false;
	ghcb_clear(c);
	ghcb_set(c, GHCB_RAX, (u32)f->rax);
	ghcb_set(c, GHCB_RCX, (u32)f->rcx);
	ghcb_set(c, GHCB_XCR0, 1); /* CR4.OSXSAVE is clear: XCR0 reads as 1 (facts §3) */
	if (!vc_call(c, NAE_CPUID, 0, 0))
		return false;
	/* The host must mark all four outputs valid (facts §3). */
	if (!ghcb_get(c, GHCB_RAX, &a) || !ghcb_get(c, GHCB_RBX, &b) ||
	    !ghcb_get(c, GHCB_RCX, &cx) || !ghcb_get(c, GHCB_RDX, &d))
		return false;
	f->rax = (u32)a;
	f->rbx = (u32)b;
	f->rcx = (u32)cx;
	f->rdx = (u32)d;
	f->rip += 2;
	return true;
}

static bool vc_msr(struct cpu *c, struct frame *f, const u8 *insn)
{
	bool write;
	u64 a, d;

	if (insn[0] != 0x0f || (insn[1] != 0x30 && insn[1] != 0x32))
		return false;
	write = insn[1] == 0x30;
	ghcb_clear(c);
	ghcb_set(c, GHCB_RCX, (u32)f->rcx);
	if (write) {
		ghcb_set(c, GHCB_RAX, (u32)f->rax);
		ghcb_set(c, GHCB_RDX, (u32)f->rdx);
	}
	if (!vc_call(c, NAE_MSR, write, 0))
		return false;
	if (!write) {
		if (!ghcb_get(c, GHCB_RAX, &a) || !ghcb_get(c, GHCB_RDX, &d))
			return false;
		f->rax = (u32)a;
		f->rdx = (u32)d;
	}
	f->rip += 2;
	return true;
}

/* Port I/O: IN/OUT with a DX or imm8 port, and the string forms INS/OUTS (with REP). */
static bool vc_ioio(struct cpu *c, struct frame *f, const u8 *insn)
{
	struct io_insn io;
	u64 info, count;

	if (!io_insn_decode(insn, f->rdx, &io))
		return false;
	info = IOIO_PORT(io.port) | IOIO_A64 | (io.in ? IOIO_IN : 0) |
	       (io.size == 1   ? IOIO_SZ8
		: io.size == 2 ? IOIO_SZ16
			       : IOIO_SZ32);

	if (!io.string) {
		u64 mask = io.size == 4 ? 0xffffffffULL : (1ULL << (8 * io.size)) - 1, v;

		ghcb_clear(c);
		if (!io.in)
			ghcb_set(c, GHCB_RAX, f->rax & mask);
		if (!vc_call(c, NAE_IOIO, info, 0))
			return false;
		if (io.in) {
			if (!ghcb_get(c, GHCB_RAX, &v))
				return false;
			/* A 32-bit IN zero-extends into RAX; smaller ones merge. */
			f->rax = io.size == 4 ? (u32)v : (f->rax & ~mask) | (v & mask);
		}
		f->rip += io.len;
		return true;
	}

	/* String I/O moves up to a shared buffer's worth per event (facts §3 IOIO). */
	info |= IOIO_STR | (io.rep ? IOIO_REP : 0) | (io.in ? 0 : IOIO_SEG_DS);
	count = io.rep ? f->rcx : 1;
	while (count) {
		u64 n = MIN(count, (u64)(GHCB_BUFFER_SIZE / io.size)), bytes = n * io.size;
		u8 *buf = c->ghcb + GHCB_BUFFER;

		ghcb_clear(c);
		ghcb_set(c, GHCB_SCRATCH, c->ghcb_gpa + GHCB_BUFFER);
		if (!io.in)
			memcpy(buf, (const void *)f->rsi, bytes);
		if (!vc_call(c, NAE_IOIO, info, n))
			return false;
		if (io.in) {
			memcpy((void *)f->rdi, buf, bytes);
			f->rdi += bytes;
		} else {
			f->rsi += bytes;
		}
		count -= n;
		if (io.rep)
			f->rcx -= n;
	}
	f->rip += io.len;
	return true;
}

static bool vc_emulate(struct cpu *c, struct frame *f)
{
	const u8 *insn = (const u8 *)f->rip;

	if (!c->ghcb)
		return false;
	switch (f->error) {
	case NAE_CPUID:
		return vc_cpuid(c, f, insn);
	case NAE_MSR:
		return vc_msr(c, f, insn);
	case NAE_IOIO:
		return vc_ioio(c, f, insn);
	default:
		return false;
	}
}

void exception_handler(struct frame *f)
{
	struct cpu *c = this_cpu();

	if (c->probe.resume) {
		c->probe.vector = (int)f->vector;
		c->probe.error = f->error;
		c->probe.rip = f->rip;
		f->rip = c->probe.resume;
		c->probe.resume = 0;
		return;
	}
	if (f->vector == VEC_VC) {
		if (vc_emulate(c, f))
			return;
		fatal(c, "#VC the payload cannot emulate (or the host refused it)", f);
	}
	fatal(c, "unexpected exception", f);
}
