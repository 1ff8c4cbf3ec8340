/* SPDX-License-Identifier: MIT */
/*
 * GHCB page layout, valid-bitmap accessors and MSR-protocol encoding (pure C, no asm).
 * Sources: GHCB spec #56421 (MSR protocol, GHCB layout, NAE events) — Linux asm/sev-common.h,
 * asm/svm.h, uapi/asm/svm.h and edk2 Ghcb.h agree on every value here.
 *
 * The GHCB is shared with the hypervisor: everything read back from it is hostile input.
 * Read each field once (the accessors do) and check its valid bit before trusting it.
 */
#ifndef CSVSM_SEV_GHCB_H
#define CSVSM_SEV_GHCB_H

/* ---- GHCB MSR protocol (GHCB spec #56421, MSR protocol) ---- */
#define MSR_GHCB 0xc0010130
#define MSR_SEV_STATUS 0xc0010131

#define GHCB_MSR_INFO_MASK 0xfffULL
#define GHCB_MSR_INFO(v) ((v)&GHCB_MSR_INFO_MASK)

#define GHCB_MSR_SEV_INFO_RESP 0x001
#define GHCB_MSR_SEV_INFO_REQ 0x002
#define GHCB_MSR_CPUID_REQ 0x004
#define GHCB_MSR_CPUID_RESP 0x005
#define GHCB_MSR_AP_RESET_HOLD_REQ 0x006
#define GHCB_MSR_AP_RESET_HOLD_RESP 0x007
#define GHCB_MSR_PREF_GPA_REQ 0x010
#define GHCB_MSR_PREF_GPA_RESP 0x011
#define GHCB_MSR_REG_GPA_REQ 0x012
#define GHCB_MSR_REG_GPA_RESP 0x013
#define GHCB_MSR_PSC_REQ 0x014
#define GHCB_MSR_PSC_RESP 0x015
#define GHCB_MSR_VMPL_REQ 0x016
#define GHCB_MSR_VMPL_RESP 0x017
#define GHCB_MSR_HV_FT_REQ 0x080
#define GHCB_MSR_HV_FT_RESP 0x081
#define GHCB_MSR_TERM_REQ 0x100

/* SNP guests must speak GHCB protocol version 2 (GHCB spec #56421, protocol versions). */
#define GHCB_PROTOCOL_MIN 2
#define GHCB_PROTOCOL_MAX 2

/* Hypervisor feature bits: MSR response >> 12 and NAE 0x8000fffd (GHCB spec #56421, MSR
 * protocol). */
#define GHCB_HV_FT_SNP BIT_ULL(0)
#define GHCB_HV_FT_SNP_AP_CREATION BIT_ULL(1)
#define GHCB_HV_FT_SNP_RESTRICTED_INJ BIT_ULL(2)
#define GHCB_HV_FT_SNP_RESTRICTED_INJ_TIMER BIT_ULL(3)
#define GHCB_HV_FT_APIC_ID_LIST BIT_ULL(4)
#define GHCB_HV_FT_SNP_MULTI_VMPL BIT_ULL(5)

/* Page-state-change operations (MSR protocol and NAE descriptor entries). */
#define PSC_OP_PRIVATE 1
#define PSC_OP_SHARED 2
#define PSC_OP_PSMASH 3
#define PSC_OP_UNSMASH 4

#ifndef __ASSEMBLY__

#include "lib/errno.h"
#include "lib/types.h"

static inline u64 ghcb_msr_sev_info_req(void)
{
	return GHCB_MSR_SEV_INFO_REQ;
}

/* Decode an SEV-information response; false if it is not one. */
static inline bool ghcb_msr_sev_info_decode(u64 resp, u16 *max, u16 *min, u8 *cbit)
{
	if (GHCB_MSR_INFO(resp) != GHCB_MSR_SEV_INFO_RESP)
		return false;
	*max = (u16)(resp >> 48);
	*min = (u16)(resp >> 32);
	*cbit = (u8)(resp >> 24);
	return true;
}

/* CPUID request: reg 0..3 = EAX..EDX of function fn (no subleaf in the MSR protocol). */
static inline u64 ghcb_msr_cpuid_req(u32 fn, unsigned int reg)
{
	return ((u64)fn << 32) | ((u64)(reg & 3) << 30) | GHCB_MSR_CPUID_REQ;
}

static inline bool ghcb_msr_cpuid_decode(u64 resp, unsigned int reg, u32 *val)
{
	if (GHCB_MSR_INFO(resp) != GHCB_MSR_CPUID_RESP || ((resp >> 30) & 3) != (reg & 3))
		return false;
	*val = (u32)(resp >> 32);
	return true;
}

static inline u64 ghcb_msr_register_req(u64 gfn)
{
	return (gfn << 12) | GHCB_MSR_REG_GPA_REQ;
}

/* The hypervisor must echo the GFN it registered. */
static inline bool ghcb_msr_register_ok(u64 resp, u64 gfn)
{
	return GHCB_MSR_INFO(resp) == GHCB_MSR_REG_GPA_RESP && (resp >> 12) == gfn;
}

/* One 4 KiB page: GFN in [51:12], operation in [55:52]. */
static inline u64 ghcb_msr_psc_req(u64 gfn, unsigned int op)
{
	return ((u64)(op & 0xf) << 52) | ((gfn & GENMASK_ULL(39, 0)) << 12) | GHCB_MSR_PSC_REQ;
}

/* 0 on success, -EPROTO for a malformed response, -EIO with the host error otherwise. */
static inline int ghcb_msr_psc_decode(u64 resp, u32 *err)
{
	*err = (u32)(resp >> 32);
	if (GHCB_MSR_INFO(resp) != GHCB_MSR_PSC_RESP || (resp & GENMASK_ULL(31, 12)))
		return -EPROTO;
	return *err ? -EIO : 0;
}

/* Run-VMPL request: target VMPL in [39:32] (GHCB spec #56421, MSR protocol). */
static inline u64 ghcb_msr_vmpl_req(unsigned int vmpl)
{
	return ((u64)(vmpl & 0xff) << 32) | GHCB_MSR_VMPL_REQ;
}

static inline int ghcb_msr_vmpl_decode(u64 resp, u32 *err)
{
	*err = (u32)(resp >> 32);
	if (GHCB_MSR_INFO(resp) != GHCB_MSR_VMPL_RESP)
		return -EPROTO;
	return *err ? -EIO : 0;
}

static inline u64 ghcb_msr_hv_features_req(void)
{
	return GHCB_MSR_HV_FT_REQ;
}

static inline bool ghcb_msr_hv_features_decode(u64 resp, u64 *features)
{
	if (GHCB_MSR_INFO(resp) != GHCB_MSR_HV_FT_RESP)
		return false;
	*features = resp >> 12;
	return true;
}

/* Termination: reason set in [15:12], reason code in [23:16]. */
static inline u64 ghcb_msr_term_req(unsigned int set, unsigned int code)
{
	return ((u64)(code & 0xff) << 16) | ((u64)(set & 0xf) << 12) | GHCB_MSR_TERM_REQ;
}

/* ---- NAE exit codes (GHCB spec #56421, NAE events; Linux uapi/asm/svm.h) ---- */
#define SVM_EXIT_NPF 0x400
#define SVM_EXIT_RDTSC 0x6e
#define SVM_EXIT_CPUID 0x72
#define SVM_EXIT_INVD 0x76
#define SVM_EXIT_IOIO 0x7b
#define SVM_EXIT_MSR 0x7c
#define SVM_EXIT_VMMCALL 0x81
#define SVM_EXIT_RDTSCP 0x87
#define SVM_EXIT_WBINVD 0x89
#define SVM_VMGEXIT_MMIO_READ 0x80000001ULL
#define SVM_VMGEXIT_MMIO_WRITE 0x80000002ULL
#define SVM_VMGEXIT_NMI_COMPLETE 0x80000003ULL
#define SVM_VMGEXIT_AP_HLT_LOOP 0x80000004ULL
#define SVM_VMGEXIT_AP_JUMP_TABLE 0x80000005ULL
#define SVM_VMGEXIT_PSC 0x80000010ULL
#define SVM_VMGEXIT_GUEST_REQUEST 0x80000011ULL
#define SVM_VMGEXIT_EXT_GUEST_REQUEST 0x80000012ULL
#define SVM_VMGEXIT_AP_CREATION 0x80000013ULL
#define SVM_VMGEXIT_HV_DOORBELL 0x80000014ULL
#define SVM_VMGEXIT_GET_APIC_IDS 0x80000017ULL
#define SVM_VMGEXIT_SNP_RUN_VMPL 0x80000018ULL
#define SVM_VMGEXIT_HV_FEATURES 0x8000fffdULL
#define SVM_VMGEXIT_TERM_REQUEST 0x8000fffeULL
#define SVM_VMGEXIT_UNSUPPORTED_EVENT 0x8000ffffULL

/* #VC error code for an access to a private page that is not validated (AMD APM vol 2 #24593
 * §15.36, #VC error codes). */
#define VC_ERR_PAGE_NOT_VALIDATED 0x404

/* AP creation: exit_info_1[15:0] request, VMPL from bit 16, APIC ID in [63:32] (GHCB spec #56421,
 * NAE events). */
#define SVM_VMGEXIT_AP_CREATE_ON_INIT 0
#define SVM_VMGEXIT_AP_CREATE 1
#define SVM_VMGEXIT_AP_DESTROY 2

static inline u64 ghcb_ap_creation_info1(unsigned int request, unsigned int vmpl, u32 apic_id)
{
	return ((u64)apic_id << 32) | ((u64)(vmpl & 0xf) << 16) | (request & 0xffff);
}

/* IOIO exit_info_1 (APM IOIO intercept format; GHCB spec #56421, NAE events). */
#define IOIO_TYPE_IN BIT_ULL(0)
#define IOIO_STR BIT_ULL(2)
#define IOIO_REP BIT_ULL(3)
#define IOIO_DATA_8 BIT_ULL(4)
#define IOIO_DATA_16 BIT_ULL(5)
#define IOIO_DATA_32 BIT_ULL(6)
#define IOIO_ADDR_16 BIT_ULL(7)
#define IOIO_ADDR_32 BIT_ULL(8)
#define IOIO_ADDR_64 BIT_ULL(9)
#define IOIO_SEG_ES (0ULL << 10)
#define IOIO_SEG_DS (3ULL << 10)
#define IOIO_PORT(p) ((u64)(p) << 16)

/* ---- The GHCB page (GHCB spec #56421, GHCB layout) ---- */
#define GHCB_OFF_CPL 0x0cb
#define GHCB_OFF_XSS 0x140
#define GHCB_OFF_DR7 0x160
#define GHCB_OFF_RIP 0x178
#define GHCB_OFF_RSP 0x1d8
#define GHCB_OFF_RAX 0x1f8
#define GHCB_OFF_RCX 0x308
#define GHCB_OFF_RDX 0x310
#define GHCB_OFF_RBX 0x318
#define GHCB_OFF_RBP 0x328
#define GHCB_OFF_RSI 0x330
#define GHCB_OFF_RDI 0x338
#define GHCB_OFF_R8 0x340
#define GHCB_OFF_R9 0x348
#define GHCB_OFF_R10 0x350
#define GHCB_OFF_R11 0x358
#define GHCB_OFF_R12 0x360
#define GHCB_OFF_R13 0x368
#define GHCB_OFF_R14 0x370
#define GHCB_OFF_R15 0x378
#define GHCB_OFF_SW_EXIT_CODE 0x390
#define GHCB_OFF_SW_EXIT_INFO_1 0x398
#define GHCB_OFF_SW_EXIT_INFO_2 0x3a0
#define GHCB_OFF_SW_SCRATCH 0x3a8
#define GHCB_OFF_XCR0 0x3e8
#define GHCB_OFF_VALID_BITMAP 0x3f0
#define GHCB_OFF_SHARED_BUFFER 0x800
#define GHCB_SHARED_BUFFER_SIZE 0x7f0
#define GHCB_OFF_PROTOCOL_VERSION 0xffa
#define GHCB_OFF_USAGE 0xffc

#define GHCB_USAGE_STANDARD 0

struct ghcb {
	union {
		u64 qw[GHCB_OFF_VALID_BITMAP / 8];
		u8 b[GHCB_OFF_VALID_BITMAP];
	} save;
	u8 valid_bitmap[16];
	u8 reserved1[GHCB_OFF_SHARED_BUFFER - 0x400];
	u8 shared_buffer[GHCB_SHARED_BUFFER_SIZE];
	u8 reserved2[10];
	u16 protocol_version;
	u32 ghcb_usage;
} __packed;

_Static_assert(sizeof(struct ghcb) == 4096, "GHCB is one page");
_Static_assert(offsetof(struct ghcb, valid_bitmap) == GHCB_OFF_VALID_BITMAP, "valid bitmap");
_Static_assert(offsetof(struct ghcb, shared_buffer) == GHCB_OFF_SHARED_BUFFER, "shared buffer");
_Static_assert(offsetof(struct ghcb, protocol_version) == GHCB_OFF_PROTOCOL_VERSION, "version");
_Static_assert(offsetof(struct ghcb, ghcb_usage) == GHCB_OFF_USAGE, "usage");

/* Valid-bitmap bit of the qword at save-area offset off: off / 8 (GHCB spec #56421, GHCB
 * layout). */
static inline void ghcb_mark_valid(struct ghcb *g, unsigned int off)
{
	unsigned int bit = off / 8;

	g->valid_bitmap[bit / 8] |= (u8)(1U << (bit % 8));
}

static inline bool ghcb_is_valid(const struct ghcb *g, unsigned int off)
{
	unsigned int bit = off / 8;

	return (READ_ONCE(g->valid_bitmap[bit / 8]) >> (bit % 8)) & 1;
}

static inline void ghcb_set(struct ghcb *g, unsigned int off, u64 val)
{
	WRITE_ONCE(g->save.qw[off / 8], val);
	ghcb_mark_valid(g, off);
}

/* Read a hypervisor-written qword: -EPROTO unless its valid bit is set. Read once. */
static inline int ghcb_get(const struct ghcb *g, unsigned int off, u64 *val)
{
	if (!ghcb_is_valid(g, off))
		return -EPROTO;
	*val = READ_ONCE(g->save.qw[off / 8]);
	return 0;
}

/* Start a request: the whole save area and bitmap cleared, so no stale register value of an
 * earlier request reaches the hypervisor; version and usage set. */
void ghcb_reset(struct ghcb *g);

/* sw_exit_info_1[31:0] after a NAE (GHCB spec #56421, GHCB usage). */
#define GHCB_RESULT_OK 0
#define GHCB_RESULT_EXCEPTION 1
#define GHCB_RESULT_MALFORMED 2

/*
 * Decode the outcome of a NAE: 0 if the hypervisor reported success; -EIO if it reported an
 * error (*info2 holds exit_info_2 when it is valid, else 0); -EPROTO if exit_info_1 is not
 * valid or holds an undefined result.
 */
int ghcb_result(const struct ghcb *g, u64 *info2);

#endif /* __ASSEMBLY__ */

#endif
