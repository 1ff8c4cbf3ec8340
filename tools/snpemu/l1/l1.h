/*
 * snpemu L1: a small hypervisor that runs natively inside QEMU TCG and VMRUNs an SVSM image
 * as an SEV-SNP guest would run on an EPYC host. It plays the untrusted host (QEMU/KVM and the
 * PSP's launch) and the SNP hardware rules (RMP, VMPLs, PVALIDATE/RMPADJUST, GHCB, #VC).
 *
 * Facts cited as "facts §N" are sections of shared/reference/snp-svsm-facts.md.
 *
 * The model of SNP here (RMP states and rules, VMSA, VMCB and GHCB layouts as the emulator
 * interprets them, result codes) is snpemu's own reading of the facts, deliberately not the
 * SVSM's include/ nor the test programs': snpemu judges svsm.bin, and a wrong constant shared
 * with it would hide the bug. Only plain machinery is shared (tests/tlib/README.md).
 */
#ifndef SNPEMU_L1_H
#define SNPEMU_L1_H

#include "lib/format.h"
#include "lib/string.h"
#include "lib/types.h"
#include "tlib/console.h"
#include "tlib/x86.h" /* the instruction wrappers the test programs share */
#include <stdarg.h>

#define MAX_CPUS 64 /* head.S: l1_stacks; xAPIC IDs (< 255) suffice */
#define NR_VMPLS 4
#define L1_STACK_SIZE 0x8000

/* Exit statuses (design 4.3); the L1 writes 0x10 + status to isa-debug-exit. */
#define EXIT_PASS 0
#define EXIT_FAIL 1
#define EXIT_SVSM_TERM 2
#define EXIT_TIMEOUT 3
#define EXIT_RULE 4

/* ---- library (lib.c; formatting and string functions: src/lib, tests/tlib/README.md) ---- */
/* Console: COM1 of the L1 machine = the runner's stdout (con_printf: tlib/console.h). */
/* Statistics channel (isa-debugcon, port 0xe9): the runner copies it to --stats FILE. */
void stats_puts(const char *s);
void stats_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct spinlock {
	volatile u32 v;
};
void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);

/* Stop the machine with a snpemu exit status (after printing why). */
__noreturn void machine_exit(int status);
/* Print "snpemu: WHAT: <message>" and stop with exit 4 (EXIT_RULE). */
__noreturn void machine_stop(const char *what, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
__noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A hardware rule the image broke (exit 4). */
__noreturn void rule_violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- platform (platform.c) ---- */
struct e820 {
	u64 addr, len;
	u32 type;
} __packed;

void idt_init(void);
void lapic_init(void);
u32 lapic_id(void);
void lapic_send_ipi(u32 apic_id, u8 vector);
void smp_boot_aps(int n);
int this_cpu(void);
extern int nr_l1_cpus;
/* QEMU's own fw_cfg (the L1 machine's inputs). */
int qfw_find(const char *name, u32 *size, u16 *sel);
void qfw_read(u16 sel, u64 offset, void *buf, u32 len);
/* Its file directory: the number of entries (at most 4096 are looked at), entry @i. */
struct qfw_file {
	u32 size;
	u16 sel;
	char name[56]; /* NUL-terminated */
};
u32 qfw_dir_count(void);
void qfw_dir_entry(u32 i, struct qfw_file *f);
/* Memory: 4 KiB pages for the L1's own tables (zeroed). */
void *page_alloc(void);
void *pages_alloc(u64 n);
void page_free(void *p);
void mem_init(void);
/* Carve 2 MiB-aligned backing memory for guest RAM out of L1 RAM. 0 if none fits. */
u64 backing_alloc(u64 size);
void idle_wait(void);

#define IPI_VECTOR 0xf0

/* ---- configuration (config.c) ---- */
enum fault_kind {
	FAULT_GHCB_VERSION,
	FAULT_HV_FEATURES,
	FAULT_REGISTER_GFN,
	FAULT_PSC_FAIL_AT,
	FAULT_PSC_LIE,
	FAULT_CBIT,
	FAULT_CPUID_PAGE_CBIT,
	FAULT_CPUID_PAGE_COUNT,
	FAULT_SEV_STATUS,
	FAULT_AP_CREATE_FAIL,
	FAULT_INJECT_VC,
	FAULT_PSC_PARTIAL,
	FAULT_PSC_BACKWARDS,
	FAULT_VMPL_RUN_FAIL,
	FAULT_LAUNCH_VMPL,
	FAULT_UNVALIDATE,
	FAULT_PREVALIDATED,
	FAULT_LAUNCH_UNVALIDATED,
	FAULT_GREQ_FAIL,
	FAULT_GREQ_TAMPER,
	FAULT_GREQ_REPLAY,
	FAULT_GREQ_CERT_LEN,
	FAULT_PSC_PAGE_PARTIAL,
	NR_FAULTS
};

struct config {
	int smp;
	u64 mem;
	bool have_bios;
	bool fault[NR_FAULTS];
	u64 ghcb_min, ghcb_max;
	u64 hv_features;
	u64 register_gfn;
	u64 register_at; /* register-ghcb-gfn: only the Nth registration (0: every one) */
	u64 psc_fail_at;
	u64 cbit_report;
	u64 cpuid_page_cbit;
	u64 cpuid_page_count;
	u64 sev_status;
	u64 inject_vc_at;
	u64 psc_partial;
	u64 psc_lie_from;
	u64 launch_vmpl;
	u64 unvalidate_at;	/* unvalidate: the Nth validating PVALIDATE of a call (from 1) */
	u64 prevalidated_2m;	/* prevalidated: 2 MiB page N of SVSM memory */
	int prevalidated_4k;	/* ... only its 4 KiB page K (-1: the whole 2 MiB page) */
	u64 launch_unvalidated; /* launch-unvalidated: GPA of the launch page left unvalidated */
	u64 greq_fail_at;	/* greq-fail: the Nth guest request (from 1) fails in the PSP */
	u64 greq_tamper_at;	/* greq-tamper: the Nth request's response, one tag bit flipped */
	u64 greq_replay_at;	/* greq-replay: the Nth request's response, the previous one */
	u64 greq_cert_len;	/* greq-cert-len: the certificate table's first entry's length */
	u64 psc_page_partial;	/* psc-page-partial: pages of a 2 MiB entry per PSC exit */
	int host;		/* --host: index into host_profiles (host.c) */
	u64 seed;
	bool verbose;
	bool coherency_sfw_no; /* --coherency-sfw-no: CPUID 0x8000001f EBX[31] set */
	bool evict_check;      /* --evict-check: the eviction books (evict.c) */
	bool sched;	       /* --sched SEED: the seeded vCPU schedule (sched.c) */
	u64 sched_seed;
	u64 preempt; /* --preempt N: the longest slice, in guest instructions */
	/* guest-visible extra fw_cfg files given with --fw-cfg (QEMU selectors) */
	int nr_extra;
	struct {
		char name[56];
		u16 qsel;
		u32 size;
	} extra[8];
};
extern struct config cfg;
void config_load(void);

/* ---- host profiles (host.c; README "Host profiles") ---- */
enum smash_kind {
	SMASH_DO,     /* PSMASH/UNSMASH PSC entries are done */
	SMASH_SKIP,   /* ... completed without doing anything (upstream KVM) */
	SMASH_REFUSE, /* ... refused: invalid entry */
};
struct host_profile {
	const char *name;
	unsigned int psc_max_entries; /* larger descriptors: invalid header */
	enum smash_kind smash;
	bool psc_2m_rmp;       /* a 2 MiB private conversion makes a 2 MiB RMP entry */
	bool rmp_fault_psmash; /* 4 KiB PVALIDATE/RMPADJUST in a 2 MiB entry: host PSMASH */
	bool ap_create_switch; /* AP creation for the caller's own vCPU runs the new VMSA */
};
extern const struct host_profile *host;
void host_init(void);

/* ---- guest memory (guestmem.c) ---- */
#define CBIT_POS 51
#define CBIT (1ULL << CBIT_POS)
#define GPA_MASK (CBIT - 1)

struct region {
	const char *name;
	u64 gpa, size; /* page aligned */
	u64 hpa;       /* L1 physical address of gpa */
	u32 *rmp;      /* one RMP entry per 4 KiB page */
};
#define NR_REGIONS 4
enum {
	REG_RAM,      /* guest RAM below 4 GiB: [0, ram_low) */
	REG_RAM_HIGH, /* guest RAM above 4 GiB: [4 GiB, 4 GiB + ram_high), empty if none */
	REG_BIOS,
	REG_SVSM
};
extern struct region regions[NR_REGIONS];

/*
 * The guest RAM layout (README "Memory and the RMP"): --mem splits as QEMU's pc machine would
 * split it for a guest at least 3.5 GiB large: up to 3 GiB below 4 GiB, the rest from 4 GiB.
 */
#define GUEST_RAM_LOW_MAX ((u64)3 << 30)
#define GUEST_RAM_HIGH_BASE ((u64)1 << 32)
#define GUEST_RAM_MAX ((u64)16 << 30) /* --mem's limit: what the runner's host can back */

struct region *region_of(u64 gpa);
u32 *rmp_entry(u64 gpa);
void *gpa_hva(u64 gpa); /* backing pointer, NULL if the GPA is not backed */

/* Guest virtual -> guest physical through the guest's own page tables. */
struct vcpu;
enum {
	ACC_READ = 0,
	ACC_WRITE = 1,
	ACC_EXEC = 2
};
#define WALK_OK 0
#define WALK_NOT_MAPPED -1
#define WALK_RMP -2
int guest_walk(struct vcpu *v, u64 gva, int acc, u64 *gpa, bool *priv);
/* ... and *size, the size of the guest's mapping of @gva (~0: paging off, no mapping). */
int guest_walk_size(struct vcpu *v, u64 gva, int acc, u64 *gpa, bool *priv, u64 *size);
/* Access guest memory as the running guest would (RMP checked). 0 or WALK_*. */
int guest_read_virt(struct vcpu *v, u64 gva, void *buf, size_t len, int acc);
int guest_write_virt(struct vcpu *v, u64 gva, const void *buf, size_t len);
/* The hypervisor's view of a shared page (not assigned); NULL if private or unbacked. */
void *host_shared_ptr(u64 gpa, size_t len);

/* ---- RMP (rmp.c) ---- facts §4, APM vol. 2 "Reverse Map Table" */
#define RMP_ASSIGNED (1U << 0)
#define RMP_VALIDATED (1U << 1)
#define RMP_2M (1U << 2) /* part of a 2 MiB RMP entry */
#define RMP_VMSA (1U << 3)
#define RMP_SCRAMBLE (1U << 16) /* contents still to be scrambled after a state flip */
/*
 * snpemu's own marks (not RMP state; a page state change clears them): the page is also
 * mapped in VMPL v's shared view, because v walked or fetched through it with C=0 (SNP treats
 * those as private, see ptw.c); QEMU's page walker may write it for VMPL v (walker grant).
 */
#define RMP_ALIAS(vmpl) (1U << (20 + (vmpl)))
#define RMP_WGRANT(vmpl) (1U << (24 + (vmpl)))
/* A shared page the guest wrote since its vCPU's last exit (ptw.c): writable in the shared
 * views until then, read-only otherwise, so that a page-table walk through it faults. */
#define RMP_SHWRITE (1U << 19)
/* An exec grant (xperm.c): the page is mapped executable for every VMPL with one of the two X
 * permissions, until the granting vCPU's next exit. Not RMP state. */
#define RMP_XGRANT (1U << 18)
/* The test instrument's read watch (instrument.c): the image's VMPL finds the page unmapped,
 * so that each of its accesses traps. Not RMP state either. */
#define RMP_TI_WATCH (1U << 28)
/* The eviction books (evict.c; not RMP state either): validated by the image, which has not
 * yet used it (its VMPL finds it unmapped unless it is shown for one step); which of its first
 * and last 64-byte lines the image has read since. */
#define RMP_EV_PENDING (1U << 29)
#define RMP_EV_FIRST (1U << 30)
#define RMP_EV_LAST (1U << 31)
#define RMP_EV_SHOWN (1U << 17)
#define RMP_EV_MASK (RMP_EV_PENDING | RMP_EV_FIRST | RMP_EV_LAST | RMP_EV_SHOWN)
#define RMP_PERM_SHIFT(vmpl) (4 + 4 * ((vmpl)-1)) /* VMPL1..3 masks, 4 bits each */
#define RMP_PERM_R 1U
#define RMP_PERM_W 2U
#define RMP_PERM_UX 4U
#define RMP_PERM_SX 8U
#define RMP_PERM_ALL 0xfU

static inline unsigned int rmp_perm(u32 e, int vmpl)
{
	return vmpl == 0 ? RMP_PERM_ALL : (e >> RMP_PERM_SHIFT(vmpl)) & 0xf;
}

#define PVALIDATE_OK 0
#define PVALIDATE_FAIL_INPUT 1
#define PVALIDATE_FAIL_SIZEMISMATCH 6
#define RMPADJUST_FAIL_PERMISSION 2

/* Host-side page state changes (RMPUPDATE as KVM drives it). 0 or an error. */
int rmp_make_private(u64 gpa, bool is_2m);
int rmp_make_shared(u64 gpa, bool is_2m);
int rmp_psmash(u64 gpa);
int rmp_unsmash(u64 gpa);
/* Guest instructions; return the hardware result code (EAX) and set *unchanged (CF). */
void fault_unvalidate(u64 gpa, bool is_2m);
int rmp_pvalidate(int vmpl, u64 gpa, bool is_2m, bool validate, bool *unchanged);
int rmp_rmpadjust(int vmpl, u64 gpa, bool is_2m, u64 attrs, bool *took);
void rmp_launch_page(u64 gpa, int vmpl);
/* Scramble a page (or every page of its 2 MiB chunk) whose contents are pending after a flip. */
void rmp_settle(u64 gpa);
void rmp_settle_chunk(u64 gpa);

/* ---- user- and supervisor-execute (xperm.c) ---- */
struct vcpu;
/* The X permission a fetch by @v needs now: UX at CPL 3, SX below. */
unsigned int xperm_need(const struct vcpu *v);
/* Is a page with VMPL permissions @perm (and RMP word @e) mapped executable? */
bool xperm_exec_mapped(unsigned int perm, u32 e);
/* A fetch the permission check allowed faulted on the NX of a page with one X bit: grant it
 * (true: retry) or false when it was granted already. */
bool xperm_npf(struct vcpu *v, u64 gpa, u32 *ep);
/* @v's exec grants end (its exits other than nested faults). */
void xperm_drop(struct vcpu *v);

/* ---- stale translations of the guest's VMPLs (tlb.c) ---- */
void tlb_init(void);
/* VMPL @vmpl lost @lost (RMP_PERM_*) on the page at @gpa: its translations keep them. */
void tlb_revoked(u64 gpa, int vmpl, unsigned int lost);
/* The permissions VMPL @vmpl's stale translations of @gpa still give. */
unsigned int tlb_stale_perm(u64 gpa, int vmpl);
struct vcpu;
void tlb_invlpgb(struct vcpu *v, u64 rax);
void tlb_tlbsync(struct vcpu *v);
/* The host flushed the guest's TLBs (every VMPL, every vCPU). */
void tlb_host_flush(void);

/* ---- page state changes, the host side (psc.c) ---- */
#define PSC_MAX_ENTRIES 253 /* a full GHCB shared buffer */
int psc_one(u64 gpa, unsigned int op, bool is_2m);
void psc_shootdown(struct vcpu *v);
/* NAE 0x80000010 on the descriptor at @d (@room bytes to the buffer's end): SW_EXITINFO2. */
u64 psc_nae(struct vcpu *v, u8 *d, u64 room);
/* MSR protocol 0x014: 0 or -1 (the response's error). */
int psc_msr(struct vcpu *v, u64 gpa, unsigned int op);

/* ---- page-table walks and fetches under QEMU's nested paging (ptw.c) ---- */
/*
 * A nested page fault of a page-table walk (EXITINFO1 bit 33) or an instruction fetch on a
 * private, validated page. Returns true when the fault is dealt with (mapping changed: retry).
 */
bool ptw_npf(struct vcpu *v, u64 info1, u64 info2, u32 *ep);
/* Check and withdraw the walker grants of vCPU @v (at its exits other than nested faults). */
void ptw_grants_check(struct vcpu *v);
/* A data write through the shared view faulted on a shared page (read-only there, so that
 * walks through it fault): make it writable until @v's next exit. True: retry. */
bool ptw_shared_write(struct vcpu *v, u64 gpa, u32 *ep);
/* @v's shared write windows end (its exits other than nested faults). */
void ptw_shared_drop(struct vcpu *v);

/* ---- nested page tables (npt.c) ---- */
enum {
	ROOT_NORMAL = 0,
	ROOT_PRIVATE_ONLY = 1
};
void npt_init(void);
u64 npt_root(int vmpl, int kind);
/* Recompute the nested mappings of [gpa, gpa + npages * 4K) from the RMP. */
void npt_sync(u64 gpa, u64 npages);

/* ---- vCPUs (vcpu.c) ---- */
struct gprs {
	u64 rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};

enum resp_kind {
	RESP_NONE,
	RESP_VMPL_MSR,
	RESP_VMPL_NAE
};

struct vctx {
	bool present;
	bool internal; /* the VMSA lives in L1 memory (launch VMPL0 BSP VMSA) */
	u64 vmsa_gpa;
	u8 *vmsa; /* L1 pointer to the VMSA page */
	u64 ghcb_msr;
	u64 ghcb_reg; /* registered GHCB GPA or ~0 */
	bool parked;  /* executed HLT */
	enum resp_kind resp;
	u64 resp_ghcb; /* GHCB GPA to answer an NAE run-VMPL into on resume */
};

struct vcpu {
	int id; /* = APIC ID = L1 CPU index */
	struct vctx ctx[NR_VMPLS];
	int cur;       /* running VMPL, -1 when idle */
	int ap_switch; /* VMPL an AP creation made this vCPU run next (host.c), -1: none */
	u8 *vmcb;      /* L1 page */
	struct gprs g;
	u64 tsc[2];
	u8 fx[512] __aligned(16);
	bool fx_load;
	int root;
	volatile bool kick;
	int npf_retries;
	/* statistics of this vCPU */
	u64 insns[NR_VMPLS]; /* guest instructions per VMPL (exact per vCPU only with --sched) */
	bool in_call;
	u64 call_rax;
	u64 call_insns;
	/* the call's TLB bookkeeping (stats.c): access the image took away, flushes after it */
	u32 call_rescinds, call_revokes, call_invlpgb, call_tlbsync;
	/* the call's PVALIDATEs (stats.c): instructions that succeeded, 4 KiB pages they validated */
	u32 call_pval_4k, call_pval_2m, call_validated;
	int call_flush; /* enum flush_state */
	/* tlb.c: an INVLPGB of every address is pending for TLBSYNC, covering revocations up to */
	bool tlb_flush_pending;
	u64 tlb_flush_gen;
	/* the test instrument (instrument.c): cursor */
	u64 ti_gpa;
	/* one instruction let through with RFLAGS.TF (step_one): the guest's own TF and DR6 */
	bool step;
	u64 step_tf, step_dr6;
	/* the eviction books (evict.c): pages shown for the step; the image's pending ranges */
	u64 ev_shown[4];
	int nr_ev_shown;
	struct ev_range *ev_ranges;
	u32 nr_ev_ranges;
};
extern struct vcpu vcpus[MAX_CPUS];
extern struct spinlock emu_lock;

void vcpu_loop(int cpu) __noreturn;
void vcpus_init(void);
/* VMSA <-> running state */
void vmsa_export(struct vcpu *v);
int vmsa_import(struct vcpu *v, int vmpl, char *why, size_t whylen);
/* VMPL switch requests (GHCB run-VMPL). */
int vcpu_run_vmpl(struct vcpu *v, int target, enum resp_kind resp, u64 ghcb, char *why, size_t n);
int vcpu_ap_create(struct vcpu *caller, u64 info1, u64 vmsa_gpa, u64 features, char *why, size_t n);
void vcpu_ap_create_switch(struct vcpu *v);
void vcpu_park(struct vcpu *v);
/* Resume @v's parked VMPL @vmpl (its HLT ended by an interrupt: vlapic.c). */
void vcpu_unpark(struct vcpu *v, int vmpl);
void kick_all_others(struct vcpu *self);
int vcpu_current_vmpl(void);
/* SEV_STATUS as the running context reads it: its VMSA's sev_features << 2, SEV|SEV-ES. */
u64 vcpu_sev_status(struct vcpu *v);

/* VMCB offsets (APM vol. 2 appendix B) */
#define VMCB_CR_READ 0x000
#define VMCB_CR_WRITE 0x002
#define VMCB_EXC 0x008
#define VMCB_ICPT3 0x00c
#define VMCB_ICPT4 0x010
#define VMCB_IOPM 0x040
#define VMCB_MSRPM 0x048
#define VMCB_TSC_OFFSET 0x050
#define VMCB_ASID 0x058
#define VMCB_TLB_CTL 0x05c
#define VMCB_INT_CTL 0x060
#define VMCB_INT_STATE 0x068
#define VMCB_EXITCODE 0x070
#define VMCB_EXITINFO1 0x078
#define VMCB_EXITINFO2 0x080
#define VMCB_EXITINTINFO 0x088
#define VMCB_NP_ENABLE 0x090
#define VMCB_EVENTINJ 0x0a8
#define VMCB_NCR3 0x0b0
#define VMCB_SAVE 0x400
/* save area offsets relative to the VMSA layout (facts §6); VMCB = 0x400 + same offset */
#define VMSA_ES 0x000
#define VMSA_CS 0x010
#define VMSA_SS 0x020
#define VMSA_DS 0x030
#define VMSA_FS 0x040
#define VMSA_GS 0x050
#define VMSA_GDTR 0x060
#define VMSA_LDTR 0x070
#define VMSA_IDTR 0x080
#define VMSA_TR 0x090
#define VMSA_VMPL 0x0ca
#define VMSA_CPL 0x0cb
#define VMSA_EFER 0x0d0
#define VMSA_XSS 0x140
#define VMSA_CR4 0x148
#define VMSA_CR3 0x150
#define VMSA_CR0 0x158
#define VMSA_DR7 0x160
#define VMSA_DR6 0x168
#define VMSA_RFLAGS 0x170
#define VMSA_RIP 0x178
#define VMSA_RSP 0x1d8
#define VMSA_RAX 0x1f8
#define VMSA_STAR 0x200
#define VMSA_CR2 0x240
#define VMSA_GPAT 0x268
#define VMSA_DBGCTL 0x270
#define VMSA_RCX 0x308
#define VMSA_EXITINFO1 0x390
#define VMSA_EXITINFO2 0x398
#define VMSA_EXITINTINFO 0x3a0
#define VMSA_NRIP 0x3a8
#define VMSA_SEV_FEATURES 0x3b0
#define VMSA_EXITCODE 0x3c0
#define VMSA_XCR0 0x3e8
#define VMSA_MXCSR 0x408
#define VMSA_X87_FTW 0x40c
#define VMSA_X87_FSW 0x40e
#define VMSA_X87_FCW 0x410
#define VMSA_X87_REGS 0x420
#define VMSA_XMM 0x470

#define EFER_SVME (1ULL << 12)
#define EFER_LMA (1ULL << 10)
#define CR0_PG (1ULL << 31)
#define CR4_PAE (1ULL << 5)

#define F64(p, o) (*(volatile u64 *)((u8 *)(p) + (o)))
#define F32(p, o) (*(volatile u32 *)((u8 *)(p) + (o)))
#define F16(p, o) (*(volatile u16 *)((u8 *)(p) + (o)))
#define F8(p, o) (*(volatile u8 *)((u8 *)(p) + (o)))

/* SEV features (VMSA sev_features = SEV_STATUS >> 2; facts §5) */
#define SEV_STATUS_SEV (1ULL << 0)
#define SEV_STATUS_ES (1ULL << 1)
#define SEV_STATUS_SNP (1ULL << 2)
#define SEV_STATUS_RESTRICTED_INJ (1ULL << 5)
#define SEVF_SNP (1ULL << 0)
#define SEVF_VTOM (1ULL << 1)
#define SEVF_REFLECT_VC (1ULL << 2)
#define SEVF_RESTRICTED_INJ (1ULL << 3)
#define SEVF_ALTERNATE_INJ (1ULL << 4)
#define SEVF_SECURE_TSC (1ULL << 9)
/* Features snpemu can run (the rest would need hardware behaviour it does not model). */
#define SEVF_SUPPORTED                                                        \
	(SEVF_SNP | SEVF_RESTRICTED_INJ | (1ULL << 5) /* DebugSwap */ |       \
	 (1ULL << 6) /* PreventHostIBS */ | (1ULL << 7) /* BTB isolation */ | \
	 (1ULL << 15) /* SMT protection */)

/* ---- exits (exit.c) ---- */
void handle_exit(struct vcpu *v);
/* Let the running context execute one instruction, then take a #DB exit (RFLAGS.TF and the
 * #DB intercept; under TCG one iteration of a rep string instruction): the test instrument's
 * read watch and the eviction books let one access to a page they hide through this way. At
 * that exit ti_watch_stepped and evict_stepped run. */
void step_one(struct vcpu *v);
/* Deliver #VC (vector 29) with @code to the running context (hardware-generated). */
void deliver_vc(struct vcpu *v, u64 code);
int decode_prefix_len(struct vcpu *v, u64 rip, u8 *opc, int max);

/* ---- GHCB (ghcb.c) ---- */
void handle_vmgexit(struct vcpu *v);
void ghcb_resume_response(struct vcpu *v, struct vctx *c);
u64 hv_features(void);

/* ---- I/O and guest fw_cfg (iodev.c) ---- */
/* Perform a port access for the guest (host side). */
u64 io_in(struct vcpu *v, u16 port, int size);
void io_out(struct vcpu *v, u16 port, int size, u64 val);
void gfw_init(void);

/* ---- the test instrument (instrument.c; not part of the SNP model) ---- */
bool ti_port(u16 port);
u64 ti_in(struct vcpu *v, u16 port, int size);
void ti_out(struct vcpu *v, u16 port, int size, u64 val);
/* A nested page fault that belongs to the read watch: true when dealt with. */
bool ti_watch_npf(struct vcpu *v, u64 info1, u64 info2);
/* The instruction step_one let through has run: hide the watched page again. */
void ti_watch_stepped(struct vcpu *v);

/* ---- the eviction books (evict.c; --evict-check; not part of the SNP model) ---- */
struct ev_range {
	u64 gpa;
	u64 n;
};
/* The image's PVALIDATE changed [gpa, + n pages): validated (@validate) or rescinded. Before
 * the npt_sync that follows it. */
void evict_pvalidated(struct vcpu *v, u64 gpa, u64 n, bool validate);
/* A nested page fault on a page the books hide: true when dealt with. */
bool evict_npf(struct vcpu *v, u64 info1, u64 info2);
void evict_stepped(struct vcpu *v);
/* @v's image VMPL hands over to a lower VMPL (a call or the boot ends): its pages that are
 * still pending are missed. */
void evict_window_end(struct vcpu *v);

/* ---- the seeded vCPU schedule (sched.c; --sched) ---- */
void sched_init(void);
/* May @v's L1 CPU run it now (it holds the token, or there is no schedule)? */
bool sched_may_run(const struct vcpu *v);
/* Around VMRUN: the slice timer; sched_disarm says whether it expired. */
void sched_arm(struct vcpu *v);
bool sched_disarm(struct vcpu *v);
/* The preemption point, at every #VMEXIT after handle_exit (under emu_lock). */
void sched_exit(struct vcpu *v, u64 guest_insns, bool expired);
/* The "snpemu: schedule: ..." line, when the machine stops. */
void sched_report(void);

/* ---- launch (launch.c) ---- */
struct launch_info {
	u64 svsm_gpa, svsm_size, image_size;
	u64 bios_gpa, bios_size;
	u64 sev_status;
	u64 secrets_gpa, cpuid_gpa, bios_vmsa_gpa;
	int vmpl; /* the VMPL the image was launched at (0 unless --fault launch-vmpl) */
	/* The SEV features each VMPL's VMSAs must carry (AP creation, see vcpu_ap_create). */
	u64 vmpl_features[NR_VMPLS];
};
extern struct launch_info launch;
void launch_svsm(void);
/* CPUID as the emulated CPU answers it (vCPU @apic for the per-CPU leaves). */
bool emu_cpuid(u32 leaf, u32 sub, u32 apic, u32 r[4]);

/* ---- the PSP: launch digest, SNP guest requests (psp.c) ---- */
/* After the launch pages are filled: keys, launch digest (@metas: secrets, CPUID, BIOS VMSA). */
void psp_launch(const u64 metas[3], u64 image_end, const u8 *launch_vmsa);
/* NAE 0x80000011/12: SW_EXITINFO2 to answer, or *bad_input (SW_EXITINFO1 = 2). @npages: RBX. */
u64 psp_guest_request(u64 req_gpa, u64 resp_gpa, bool ext, u64 certs_gpa, u64 *npages,
		      bool *bad_input);

/* ---- statistics (stats.c) ---- */
struct stats {
	u64 vmgexit_code[64];
	u64 vmgexit_count[64];
	int nr_vmgexit;
	u64 msr_code[32];
	u64 msr_count[32];
	int nr_msr;
	u64 psc_private_4k, psc_private_2m, psc_shared_4k, psc_shared_2m;
	u64 pval_4k, pval_2m, pval_failed;
	u64 host_psmash; /* PSMASHes of the host's RMP fault handler (host profiles) */
	u64 radj_4k, radj_2m, radj_failed;
	u64 vmpl_switches;
	u64 insns[NR_VMPLS];
	u64 boot_vmpl0;
	bool vmpl1_started;
	bool term;
	int term_set, term_code, term_vmpl;
	u64 exits;
	u64 invlpgb, tlbsync;
	u64 calls_taking_access, calls_left_stale;
	/* eviction books: 4 KiB pages the image validated / evicted in time; [0] SVSM memory,
	 * [1] guest memory (RAM, firmware) */
	u64 ev_validated[2], ev_evicted[2];
};
extern struct stats st, st_boot;
void stats_vmgexit(u64 code);
void stats_msr(u64 code);
void stats_pvalidate(struct vcpu *v, int rc, bool is_2m, bool validated);
void stats_call_begin(struct vcpu *v, u64 rax);
void stats_call_end(struct vcpu *v);
void stats_vmpl1_first(void);
/* INVLPGB (@all: of every address), TLBSYNC, and access taken from a guest page by the image
 * during a call (PVALIDATE rescind, or RMPADJUST removing a permission). */
void stats_invlpgb(struct vcpu *v, bool all);
void stats_tlbsync(struct vcpu *v);
void stats_access_taken(struct vcpu *v, bool rescind);
/* Has @v's call taken access away since its last INVLPGB + TLBSYNC? */
bool stats_call_stale(const struct vcpu *v);
void stats_write(void);

#endif
