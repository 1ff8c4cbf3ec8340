/* SPDX-License-Identifier: MIT */
/*
 * The request loop, on every vCPU (SVSM spec #58019; [L]): run VMPL1; when it requests VMPL0,
 * serve the call its calling area announces, write the results into its VMSA, and run it
 * again — one VMPL round trip per call.
 *
 *   take the VMSA (EFER.SVME cleared by cmpxchg: the runnable flag, SVSM spec #58019; [L])
 *   if guest_exit_code is VMGEXIT and call_pending is 1: RAX = protocol << 32 | call,
 *       arguments RCX, RDX, R8, R9 -> dispatch -> results into the VMSA, call_pending = 0
 *   EFER.SVME set again; run VMPL1 (GHCB MSR protocol 0x016)
 *
 * The BSP enters it after the guest launch. APs enter it after boot and park (hlt) while they
 * have no VMPL1 VMSA: the host resumes an AP's VMPL0 only when its VMPL1 — started by the guest
 * with CREATE_VCPU and the AP creation NAE — requests VMPL0. Nothing is logged per call.
 */
#ifndef CSVSM_PROTOCOL_LOOP_H
#define CSVSM_PROTOCOL_LOOP_H

__attribute__((noreturn)) void request_loop(void);

#endif
