/*
 * snpemu conformance payload: shared declarations.
 *
 * The payload is a freestanding VMPL0 image in the svsm.bin format (README "svsm.bin image
 * format") that checks snpemu's SNP model against shared/reference/snp-svsm-facts.md ("facts
 * §N" below). It prints one line per check on COM1 ("ok - name" or "not ok - name: expected X
 * got Y") and reports the verdict through a 32-bit OUT to port 0xf4 (0x10 = all passed).
 *
 * It has its own page tables, GHCB code and #VC handler, and its expectations (the constants
 * and layouts in ghcb.h, vmsa.h and insn.h) are written from the facts file, shared with
 * neither the SVSM nor snpemu, so that it judges the emulator independently. It shares only
 * plain machinery: formatting and the string functions from src/lib, console, instruction
 * wrappers, I/O decoding and assembler macros from tests/tlib (tests/tlib/README.md).
 */
#ifndef CONF_CONF_H
#define CONF_CONF_H

/*
 * Memory layout. The image is linked at CONF_GVA and loaded at SVSM_GPA; all of SVSM memory
 * [SVSM_GPA, SVSM_GPA + SVSM_MEM) is mapped twice with 2 MiB pages: the private view (C-bit
 * set, the image's own mapping) and the shared view (C-bit clear) at CONF_SHARED_GVA.
 * CONF_GVA is the top 2 GiB, so GPA = VA + 2 GiB + SVSM_GPA (mod 2^64).
 */
#define CONF_GVA 0xffffffff80000000
#define CONF_SHARED_GVA 0xffffffff40000000
#define CONF_VA_TO_GPA (SVSM_GPA + 0x80000000)
#define CONF_CBIT_POS 51 /* the build C-bit; facts §9 (EPYC) */

/* Launch state the image asks for in its SVSM INFO block (README, facts §6/§9). */
#define CONF_CS_SEL 0x08
#define CONF_DS_SEL 0x10
#define CONF_EFER 0x1d00
#define CONF_CR0 0x80010033
#define CONF_CR4 0x668

/* Per-context block at the bottom of every 16 KiB-aligned stack (see this_cpu()). */
#define CPU_STACK_SIZE 0x4000
/* vmgexit_check_regs: the value it puts in register n (rbx rbp rsi rdi r8..r15 = 0..11). */
#define REG_PATTERN(n) (0x5eed000000000000 + (n)*0x0101010101 + 1)
#define REG_BIT_RBX 0
#define REG_BIT_R12 8
#define REG_BIT_R15 11
#define IDT_ENTRIES 32 /* exceptions only: the payload runs with interrupts off */

#ifndef __ASSEMBLER__

#include "lib/format.h"
#include "lib/string.h"
#include "lib/types.h"
#include "tlib/console.h" /* con_printf */
#include "tlib/report.h"  /* VERDICT_* */
#include "tlib/x86.h"
#include <stdarg.h>

#define CONF_CBIT (1ULL << CONF_CBIT_POS)

/* Payload modes: one image per mode (conformance.mk builds build/conformance/<image>.bin). */
enum conf_mode {
	MODE_FULL,	     /* every non-fatal check; must end with verdict 0x10 */
	MODE_CBIT0,	     /* read a private page through a C=0 mapping: snpemu must stop (4) */
	MODE_VMPL1_NOACCESS, /* VMPL1 reads a VMPL0-only page: snpemu must stop (4) */
	MODE_VMPL1_READONLY, /* VMPL1 writes a page it may only read: snpemu must stop (4) */
	MODE_FAIL_VERDICT,   /* report failure code 0x21 on port 0xf4: snpemu must exit 1 */
	MODE_TERMINATE,	     /* MSR termination request (15, 0xc7): snpemu must exit 2 */
	MODE_TERMINATE_NAE,  /* NAE 0x8000fffe termination (15, 0xc8): snpemu must exit 2 */
	MODE_TLB_FLUSHED,    /* VMPL1 writes a page whose W VMPL0 revoked and flushed: exit 4 */
	MODE_USER_SX,	     /* VMPL1 at CPL 3 runs code on a supervisor-execute page: exit 4 */
	MODE_WALK_SHARED,    /* VMPL0 walks a page table in a shared page: exit 4 */
};
#ifndef CONF_MODE
#define CONF_MODE MODE_FULL
#endif

static inline u64 gpa_to_priv(u64 gpa)
{
	return gpa - SVSM_GPA + CONF_GVA;
}
static inline u64 gpa_to_shared(u64 gpa)
{
	return gpa - SVSM_GPA + CONF_SHARED_GVA;
}
static inline u64 va_to_gpa(const void *va)
{
	return (u64)va - CONF_GVA + SVSM_GPA;
}
static inline void *priv_ptr(u64 gpa)
{
	return (void *)gpa_to_priv(gpa);
}
static inline void *shared_ptr(u64 gpa)
{
	return (void *)gpa_to_shared(gpa);
}

/* Recovery state of an instruction run under probe (insn.h). */
struct probe {
	u64 resume; /* non-zero while armed: the handler resumes here */
	int vector; /* -1: no exception */
	u64 error;
	u64 rip;
};

/*
 * One execution context: the BSP at VMPL0 and the BSP at VMPL1. It lives at the bottom of the
 * context's own stack, so the code shared by both VMPLs (console, #VC handler) finds its
 * context without touching memory the other VMPL owns.
 */
struct cpu {
	int vmpl;
	u64 ghcb_gpa; /* this context's GHCB (shared page) */
	u8 *ghcb;     /* its shared-view address */
	struct probe probe;
	unsigned int checks, failures;
	int in_fatal;
};

static inline struct cpu *this_cpu(void)
{
	return (struct cpu *)(read_rsp() & ~(u64)(CPU_STACK_SIZE - 1));
}

/* ---- console.c ---- */
/* Record one check: prints "ok - name" or "not ok - name: <why>". Returns ok. */
bool check(bool ok, const char *name, const char *why_fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool check_eq(const char *name, u64 got, u64 want);
bool check_ne(const char *name, u64 got, u64 unwanted);
__noreturn void verdict(u32 code);
__noreturn void conf_terminate(unsigned int code);

/* Termination codes of the payload (reason set 15; above csvsm's table in README). */
#define CONF_TERM_SET 15
#define CONF_TERM_NO_GHCB 0xc1	 /* GHCB registration failed: no console */
#define CONF_TERM_NESTED 0xc2	 /* fault while reporting a fault */
#define CONF_TERM_VERDICT 0xc3	 /* the host ignored the verdict OUT */
#define CONF_TERM_MODE_TEST 0xc7 /* MODE_TERMINATE's deliberate request */
#define CONF_TERM_MODE_NAE 0xc8	 /* MODE_TERMINATE_NAE's deliberate request */

/* ---- exception.c ---- */
struct frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8, rdi, rsi, rbp, rbx, rdx, rcx, rax;
	u64 vector, error, rip, cs, rflags, rsp, ss;
};
void idt_init(void);
void exception_handler(struct frame *f);

/* ---- pool.c: test pages from SVSM memory above the image (hypervisor-owned at launch) ---- */
void pool_init(void);
u64 pool_page(void);	  /* one 4 KiB page, never 2 MiB aligned */
u64 pool_region_2m(void); /* one 2 MiB-aligned 2 MiB region */
/* A private, validated 4 KiB page (PSC + PVALIDATE; fails the run if that does not work). */
u64 pool_private_page(void);

/* ---- start.S ---- */
extern u64 launch_rsp, launch_rflags;
extern char _image_start[], _image_end[], _text_start[], _text_end[];
extern char _shared_ro_start[], _shared_ro_end[], _vmpl1_start[], _vmpl1_end[];
extern char vmpl0_pml4[], vmpl1_pml4[], gdt[], gdt_end[], idt[], tss[];
extern char vmpl1_entry[], ap_park[];
extern u64 conf_secrets_page[], conf_cpuid_page[];
/* VMGEXIT with patterns in every GPR the host must preserve; returns the changed ones (bit
 * per register: rbx rbp rsi rdi r8..r15). @msr is written to the GHCB MSR first. */
u64 vmgexit_check_regs(u64 msr);

/* ---- main.c ---- */
__noreturn void conf_main(void);
extern u64 sev_status;	/* SEV_STATUS MSR as read at boot (facts §5) */
extern u32 bsp_apic_id; /* from CPUID 1 EBX[31:24] */
extern u64 hv_features_msr;

/* ---- the checks, one file per topic ---- */
/* Negotiate and register the BSP's GHCB before the console exists (check_msr_protocol.c). */
void ghcb_boot(void);
void check_launch(void);
void check_msr_protocol(void);
void check_vc(void);
void check_views(void);
void check_pvalidate(void);
void check_rmpadjust(void);
void check_psc(void);
void check_nae(void);
void check_vmpl(void);
void check_ap(void);
void check_strict(void);
/* Fatal modes: each sets up what it needs, then does one forbidden thing. */
void fatal_cbit0(void);
void fatal_vmpl1_access(bool write, bool flushed);
__noreturn void fatal_user_sx(void);
__noreturn void fatal_walk_shared(void);

#endif /* !__ASSEMBLER__ */
#endif
