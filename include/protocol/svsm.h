/* SPDX-License-Identifier: MIT */
/*
 * The SVSM protocol, SVSM side (SVSM spec #58019 rev 1.00 as implemented by [L], [C], [K], [E]):
 * protocols, core call IDs, result codes, the calling area and the PVALIDATE request. Pure
 * constants and layouts.
 */
#ifndef CSVSM_PROTOCOL_SVSM_H
#define CSVSM_PROTOCOL_SVSM_H

#include "lib/types.h"

/* Protocols (SVSM spec #58019, protocols). Only the core protocol is implemented. */
#define SVSM_PROTOCOL_CORE 0

/* Core protocol version: min = max = 1 (SVSM spec #58019). */
#define SVSM_CORE_VERSION_MIN 1
#define SVSM_CORE_VERSION_MAX 1

/* Core call IDs (SVSM spec #58019, core protocol call IDs). */
#define SVSM_CORE_REMAP_CA 0
#define SVSM_CORE_PVALIDATE 1
#define SVSM_CORE_CREATE_VCPU 2
#define SVSM_CORE_DELETE_VCPU 3
#define SVSM_CORE_DEPOSIT_MEM 4
#define SVSM_CORE_WITHDRAW_MEM 5
#define SVSM_CORE_QUERY_PROTOCOL 6
#define SVSM_CORE_CONFIGURE_VTOM 7

/* Result codes, RAX[31:0] (SVSM spec #58019, result codes). */
#define SVSM_SUCCESS 0x00000000u
#define SVSM_ERR_INCOMPLETE 0x80000000u
#define SVSM_ERR_UNSUPPORTED_PROTOCOL 0x80000001u
#define SVSM_ERR_UNSUPPORTED_CALL 0x80000002u
#define SVSM_ERR_INVALID_ADDRESS 0x80000003u
#define SVSM_ERR_INVALID_FORMAT 0x80000004u
#define SVSM_ERR_INVALID_PARAMETER 0x80000005u
#define SVSM_ERR_INVALID_REQUEST 0x80000006u
#define SVSM_ERR_BUSY 0x80000007u
/* Protocol-specific: 0x80001000 + the PVALIDATE/RMPADJUST result for 1..0xf, 0x80001011 for a
 * larger one; 0x80001010 for CF = 1 not ignored (PVALIDATE); 0x80001003 DELETE_VCPU "in use"
 * (SPEC-T FAIL_INUSE). */
#define SVSM_ERR_PROTOCOL_BASE 0x80001000u
#define SVSM_ERR_PVALIDATE_FAIL_INPUT 0x80001001u
#define SVSM_ERR_PVALIDATE_FAIL_SIZEMISMATCH 0x80001006u
#define SVSM_ERR_PVALIDATE_FAIL_NO_CHANGE 0x80001010u
#define SVSM_ERR_PVALIDATE_RANGE 0x80001011u
#define SVSM_ERR_VCPU_IN_USE 0x80001003u

/* The calling area (SVSM spec #58019, calling area): byte 0 call_pending. */
#define SVSM_CAA_CALL_PENDING 0

/* One call: RAX = protocol << 32 | call on entry, the result on return; RCX, RDX, R8, R9
 * arguments and outputs (SVSM spec #58019, call convention). */
struct svsm_call {
	u64 rax, rcx, rdx, r8, r9;
};

static inline u32 svsm_call_protocol(const struct svsm_call *c)
{
	return (u32)(c->rax >> 32);
}

static inline u32 svsm_call_id(const struct svsm_call *c)
{
	return (u32)c->rax;
}

#endif
