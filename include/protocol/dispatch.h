/* SPDX-License-Identifier: MIT */
/*
 * Routing of one SVSM call (SVSM spec #58019): the protocol in RAX[63:32], the call in RAX[31:0].
 * Only the core protocol (0) exists; every other protocol is UNSUPPORTED_PROTOCOL, an unknown core
 * call UNSUPPORTED_CALL. QUERY_PROTOCOL, CONFIGURE_VTOM, DEPOSIT_MEM and WITHDRAW_MEM are answered
 * here (pure C, host-tested); the calls that touch guest memory go to the handlers below
 * (protocol/core.c; the unit tests link fakes).
 *
 * Decisions where the facts are thin (README "Guest launch and the SVSM protocol"):
 * - DEPOSIT_MEM, WITHDRAW_MEM: UNSUPPORTED_CALL. Their formats exist only in a secondary
 *   transcription of the spec (SPEC-T), not in a public implementation ([L] and [C] answer
 *   UNSUPPORTED_CALL too), and csvsm needs no memory from the guest.
 * - CONFIGURE_VTOM: the query form (RCX bit 0) answers SUCCESS with RCX = 0, "vTOM not
 *   supported"; the configure form is INVALID_REQUEST, as [L] and [C] do (SPEC-T allows it).
 */
#ifndef CSVSM_PROTOCOL_DISPATCH_H
#define CSVSM_PROTOCOL_DISPATCH_H

#include "protocol/svsm.h"

/* Serve @call in place: RAX becomes the result (upper half 0), outputs in RCX..R9. */
void svsm_dispatch(struct svsm_call *call);

/* QUERY_PROTOCOL's answer for RCX = protocol << 32 | version: (max << 32) | min if that
 * version is supported, else 0 (SVSM spec #58019). */
u64 svsm_query_protocol(u64 rcx);

/* The core calls that act on guest memory and vCPUs (protocol/core.c). Each returns the
 * result code and may change the output registers in @call. */
u32 core_remap_ca(struct svsm_call *call);
u32 core_pvalidate(struct svsm_call *call);
u32 core_create_vcpu(struct svsm_call *call);
u32 core_delete_vcpu(struct svsm_call *call);

#endif
