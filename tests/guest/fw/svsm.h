/*
 * The SVSM protocol, client side (facts §7): discovery through the secrets page, the calling
 * area and the call convention, and the core protocol's constants and request layouts.
 *
 * Written from the facts file, deliberately not from the SVSM's include/protocol: this
 * firmware is the independent check of the SVSM's protocol, and a constant shared with it
 * (result codes, call numbers, CAA and secrets offsets) would hide the SVSM's mistake.
 */
#ifndef CSVSM_GUEST_SVSM_H
#define CSVSM_GUEST_SVSM_H

#include "lib/types.h"

/* Protocols and core calls (facts §7 "Protocols", "Core protocol call IDs"). */
#define SVSM_CORE_PROTOCOL 0
#define SVSM_CORE_REMAP_CA 0
#define SVSM_CORE_PVALIDATE 1
#define SVSM_CORE_CREATE_VCPU 2
#define SVSM_CORE_DELETE_VCPU 3
#define SVSM_CORE_DEPOSIT_MEM 4
#define SVSM_CORE_WITHDRAW_MEM 5
#define SVSM_CORE_QUERY_PROTOCOL 6
#define SVSM_CORE_CONFIGURE_VTOM 7

#define SVSM_RAX(protocol, call) (((u64)(protocol) << 32) | (u32)(call))

/* Result codes, RAX[31:0] (facts §7 "Result codes"). */
#define SVSM_SUCCESS 0x00000000u
#define SVSM_ERR_INCOMPLETE 0x80000000u
#define SVSM_ERR_UNSUPPORTED_PROTOCOL 0x80000001u
#define SVSM_ERR_UNSUPPORTED_CALL 0x80000002u
#define SVSM_ERR_INVALID_ADDRESS 0x80000003u
#define SVSM_ERR_INVALID_FORMAT 0x80000004u
#define SVSM_ERR_INVALID_PARAMETER 0x80000005u
#define SVSM_ERR_INVALID_REQUEST 0x80000006u
#define SVSM_ERR_BUSY 0x80000007u
#define SVSM_ERR_PVALIDATE_FAIL_INPUT 0x80001001u
#define SVSM_ERR_PVALIDATE_FAIL_SIZEMISMATCH 0x80001006u
#define SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE 0x80001010u
/* DELETE_VCPU of a VMSA that is in use ([L]; SPEC-T FAIL_INUSE, facts §7). */
#define SVSM_ERR_VCPU_IN_USE 0x80001003u
/* Not an SVSM code: the call did not complete (see svsm_call). Matches no expectation. */
#define SVSM_NO_ANSWER 0xffffffffu

/* The calling area, one page per vCPU (facts §7 "Calling area"). */
struct svsm_caa {
	u8 call_pending;
	u8 mem_available;
	u8 reserved[6];
	u8 buffer[4088];
};
_Static_assert(sizeof(struct svsm_caa) == 4096, "calling area is one page");

/* PVALIDATE request (facts §7 "PVALIDATE request"): header and entries within one page. */
struct svsm_pvalidate_req {
	u16 entries;
	u16 next;
	u8 reserved[4];
	u64 entry[];
};

#define PVAL_SIZE_4K 0
#define PVAL_SIZE_2M 1
#define PVAL_VALIDATE BIT_ULL(2)
#define PVAL_IGNORE_CF BIT_ULL(3)
#define PVAL_RESERVED GENMASK_ULL(11, 4)
#define PVAL_ENTRY(gpa, size, validate, ignore_cf)                         \
	(((gpa) & ~0xfffULL) | (size) | ((validate) ? PVAL_VALIDATE : 0) | \
	 ((ignore_cf) ? PVAL_IGNORE_CF : 0))
/* Entries that fit in a page after an 8-byte header at its start. */
#define PVAL_MAX_ENTRIES_PER_PAGE 511

/* What discovery found in the secrets page (facts §7 "Secrets page offsets"). */
struct svsm_info {
	u64 base;
	u64 size;
	u64 caa;
	u32 max_version;
	u8 guest_vmpl;
};

#define SECRETS_VMPCK0 0x020
#define SECRETS_VMPCK_SIZE 32
#define SECRETS_SVSM_BASE 0x140
#define SECRETS_SVSM_SIZE 0x148
#define SECRETS_SVSM_CAA 0x150
#define SECRETS_SVSM_MAX_VERSION 0x158
#define SECRETS_SVSM_GUEST_VMPL 0x15c

/* Read the SVSM fields of the secrets page at SECRETS_GPA. */
void svsm_read_secrets(struct svsm_info *info);

/* Registers of a call: RAX = protocol << 32 | call on input, the result on output; arguments
 * and outputs in RCX, RDX, R8, R9. */
struct svsm_regs {
	u64 rax, rcx, rdx, r8, r9;
};

/*
 * One exit to VMPL0 (facts §7 "Call convention"): call_pending = 1 when set_pending, GHCB MSR
 * = run VMPL0, VMGEXIT, MSR checked for 0x017 with error 0, call_pending exchanged with 0
 * (its old value to *pending_after if not NULL), GHCB MSR restored. Also checks that every
 * register outside the protocol's five came back unchanged (counted per vCPU).
 * 0, or -EIO when the MSR response was not 0x017 with error 0.
 */
int svsm_call_once(struct svsm_regs *r, bool set_pending, u8 *pending_after);

/* One call through the GHCB form of the run-VMPL request (NAE 0x80000018) instead of the MSR
 * form, without retries: 0, -EIO (the hypervisor reported an error) or -EPROTO (not
 * processed). */
int svsm_call_ghcb_form(struct svsm_regs *r);

/*
 * A complete call: svsm_call_once, re-issued with the same inputs while the SVSM answers
 * INCOMPLETE or BUSY (facts §7 step 6). 0 with the result in RAX[31:0], -EIO (as above),
 * -EPROTO if call_pending was still 1 afterwards (the SVSM did not process the call).
 */
int svsm_call(struct svsm_regs *r);

/* Calls made so far on every vCPU, and how many changed a register they must preserve. */
void svsm_call_stats(u64 *calls, u64 *clobbers);

/* svsm_call with RAX = SVSM_RAX(protocol, call); returns RAX[31:0], or SVSM_NO_ANSWER (and a
 * printed reason) when svsm_call failed. */
u32 svsm_request(u32 protocol, u32 call, struct svsm_regs *r);

static inline u32 svsm_core(u32 call, struct svsm_regs *r)
{
	return svsm_request(SVSM_CORE_PROTOCOL, call, r);
}

/* CREATE_VCPU (RCX = VMSA, RDX = calling area, R8 = APIC ID) and DELETE_VCPU (RCX = VMSA),
 * facts §7: the result code. */
u32 svsm_create_vcpu(u64 vmsa, u64 caa, u32 apic_id);
u32 svsm_delete_vcpu(u64 vmsa);

#endif
