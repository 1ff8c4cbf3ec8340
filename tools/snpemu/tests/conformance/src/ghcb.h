/*
 * GHCB protocol of the conformance payload: page layout, MSR protocol, NAE calls, PSC.
 * Every constant is from facts §1 (MSR protocol), §2 (page layout) and §3 (NAE codes).
 */
#ifndef CONF_GHCB_H
#define CONF_GHCB_H

#include "conf.h"

/* ---- MSR protocol (facts §1): request code -> response code in GHCBInfo [11:0] ---- */
#define MSR_SEV_INFO_REQ 0x002
#define MSR_SEV_INFO_RESP 0x001
#define MSR_CPUID_REQ 0x004
#define MSR_CPUID_RESP 0x005
#define MSR_PREF_GPA_REQ 0x010
#define MSR_PREF_GPA_RESP 0x011
#define MSR_REG_GPA_REQ 0x012
#define MSR_REG_GPA_RESP 0x013
#define MSR_PSC_REQ 0x014
#define MSR_PSC_RESP 0x015
#define MSR_VMPL_REQ 0x016
#define MSR_VMPL_RESP 0x017
#define MSR_HV_FT_REQ 0x080
#define MSR_HV_FT_RESP 0x081
#define MSR_TERM_REQ 0x100
#define MSR_INFO(v) ((v)&0xfff)
#define MSR_PREF_GPA_NONE 0xfffffffffffffULL

/* Hypervisor feature bits (facts §1). */
#define HV_FT_SNP BIT_ULL(0)
#define HV_FT_AP_CREATION BIT_ULL(1)
#define HV_FT_APIC_ID_LIST BIT_ULL(4)
#define HV_FT_MULTI_VMPL BIT_ULL(5)

/* ---- GHCB page (facts §2): save-area offsets; valid bit = offset / 8 ---- */
#define GHCB_RAX 0x1f8
#define GHCB_RCX 0x308
#define GHCB_RDX 0x310
#define GHCB_RBX 0x318
#define GHCB_EXIT_CODE 0x390
#define GHCB_EXIT_INFO1 0x398
#define GHCB_EXIT_INFO2 0x3a0
#define GHCB_SCRATCH 0x3a8
#define GHCB_XCR0 0x3e8
#define GHCB_BITMAP 0x3f0
#define GHCB_BUFFER 0x800
#define GHCB_BUFFER_SIZE 0x7f0
#define GHCB_VERSION 0xffa
#define GHCB_USAGE 0xffc
#define GHCB_PROTOCOL 2 /* SNP needs version 2 (facts §2 "Protocol versions") */

/* exit_info_1[31:0] results and exit_info_2 reasons of a malformed request (facts §2). */
#define GHCB_RESULT_OK 0
#define GHCB_RESULT_MALFORMED 2
#define GHCB_ERR_INVALID_USAGE 2
#define GHCB_ERR_MISSING_INPUT 4

/* ---- NAE exit codes (facts §3) ---- */
#define NAE_CPUID 0x72
#define NAE_IOIO 0x7b
#define NAE_MSR 0x7c
#define NAE_VMMCALL 0x81
#define NAE_NPF_UNVALIDATED 0x404 /* #VC code of an access to a page not validated */
#define NAE_MMIO_READ 0x80000001
#define NAE_PSC 0x80000010
#define NAE_AP_CREATION 0x80000013
#define NAE_GET_APIC_IDS 0x80000017
#define NAE_RUN_VMPL 0x80000018
#define NAE_HV_FEATURES 0x8000fffd
#define NAE_TERMINATE 0x8000fffe

/* IOIO exit_info_1 (facts §3, APM IOIO intercept format). */
#define IOIO_IN BIT_ULL(0)
#define IOIO_STR BIT_ULL(2)
#define IOIO_REP BIT_ULL(3)
#define IOIO_SZ8 BIT_ULL(4)
#define IOIO_SZ16 BIT_ULL(5)
#define IOIO_SZ32 BIT_ULL(6)
#define IOIO_A64 BIT_ULL(9)
#define IOIO_SEG_DS (3ULL << 10)
#define IOIO_PORT(p) ((u64)(p) << 16)

/* ---- PSC descriptor (facts §3) ---- */
#define PSC_OP_PRIVATE 1
#define PSC_OP_SHARED 2
#define PSC_OP_PSMASH 3
#define PSC_OP_UNSMASH 4
#define PSC_MAX_ENTRIES 253
#define PSC_ERR_INVALID_HDR ((1ULL << 32) | 1)
#define PSC_ERR_INVALID_ENTRY ((1ULL << 32) | 2)

struct psc_desc {
	u16 cur_entry;
	u16 end_entry; /* inclusive */
	u32 reserved;
	u64 entry[PSC_MAX_ENTRIES];
} __packed;

/* One entry: GFN [51:12], operation [55:52], 2 MiB [56]; cur_page [11:0] starts at 0. */
static inline u64 psc_entry(u64 gpa, unsigned int op, bool is_2m)
{
	return (gpa & GENMASK_ULL(51, 12)) | ((u64)op << 52) | ((u64)is_2m << 56);
}

/* AP creation (facts §3): exit_info_1 = request | VMPL << 16 | APIC ID << 32. */
#define AP_CREATE_ON_INIT 0
#define AP_CREATE 1
#define AP_DESTROY 2

/* Result of one NAE: exit_info_1/2 and whether the host marked them valid. */
struct nae {
	u64 info1, info2;
	bool info1_valid, info2_valid;
};

/* MSR protocol: write @req to the GHCB MSR, VMGEXIT, return the MSR. */
u64 msr_protocol(u64 req);
/* Clear the valid bitmap and sw_exit_code before filling in a call (facts §2). */
void ghcb_clear(struct cpu *c);
void ghcb_set(struct cpu *c, unsigned int off, u64 v);
/* Read a save-area field; false when the host did not mark it valid. */
bool ghcb_get(struct cpu *c, unsigned int off, u64 *v);
/* Set exit code, exit infos, version 2 and usage 0, for a caller that does the VMGEXIT. */
void ghcb_prepare(struct cpu *c, u64 code, u64 info1, u64 info2);
/* Issue an NAE with the fields set so far (version 2, the given usage). */
struct nae ghcb_vmgexit(struct cpu *c, u32 usage);
/* The same with the GHCB's protocol_version field set to @version. */
struct nae ghcb_vmgexit_version(struct cpu *c, u16 version, u32 usage);
/* Read exit_info_1/2 after a VMGEXIT. */
struct nae ghcb_result(struct cpu *c);
/* ghcb_set the exit code and exit infos, then ghcb_vmgexit with usage 0. */
struct nae ghcb_call(struct cpu *c, u64 code, u64 info1, u64 info2);

/* Outcome of a PSC run (with re-issues while cur_entry <= end_entry). */
struct psc_result {
	struct nae last;
	unsigned int calls;
	u16 cur_entry, end_entry;
	bool no_progress;     /* a re-issue moved neither cur_entry nor cur_page */
	bool overrun;	      /* cur_entry beyond end_entry + 1 */
	bool moved_end;	      /* the host changed end_entry */
	bool moved_entries;   /* the host changed an entry's GFN, op or size */
	bool outputs_invalid; /* exit_info_1/2 not marked valid */
};
/* One PSC NAE on the descriptor already in the shared buffer (counted in psc_calls). */
struct nae psc_call(struct cpu *c);
/* Run a descriptor of @n entries to completion or error; true when all were done. */
bool psc_run(struct cpu *c, const u64 *entries, unsigned int n, struct psc_result *r);
/* Change [gpa, gpa + npages pages) to @op in batches (4 KiB entries, or 2 MiB with is_2m). */
bool psc_range(u64 gpa, unsigned int npages, unsigned int op, bool is_2m);
extern unsigned int psc_descriptors, psc_calls;

#endif
