/*
 * The guest's side of the GHCB: MSR protocol, NAE requests and the services built on them
 * (facts §1-§3). The hypervisor is not trusted: every response is checked before use.
 *
 * Each vCPU has its own GHCB page (GHCB_BASE + index pages), hypervisor-owned (shared) and
 * mapped without the C-bit. While a request is built and issued the vCPU marks its GHCB busy;
 * a #VC that needs the GHCB in that window is a bug and ends the guest (GUEST_TERM_NESTED_VC).
 */
#ifndef CSVSM_GUEST_HV_H
#define CSVSM_GUEST_HV_H

#include "lib/types.h"
#include "sev/cpuid.h"
#include "sev/ghcb.h"
#include "percpu.h"

/* One MSR-protocol exchange; the GHCB MSR is restored to the registered GHCB afterwards. */
u64 hv_msr_protocol(u64 req);

/* End the guest through the MSR protocol (reason set GUEST_TERM_SET). For failures that
 * happen before the console works, or while the GHCB cannot be used. */
__noreturn void hv_terminate(unsigned int code);

/* SEV information (0x002): 0 if [min, max] includes GHCB protocol 2; -EPROTO if the response
 * is malformed, -ENOTSUP if version 2 is outside the range. */
int hv_negotiate(u16 *min, u16 *max, u8 *cbit);

/* Hypervisor features (0x080): 0 or -EPROTO. */
int hv_features(u64 *features);

/* BSP, before any GHCB is used: make the GHCB pages of every vCPU and the APIC-ID page shared
 * (MSR-protocol page state change; they were never validated, so nothing to rescind first)
 * and map them without the C-bit. 0 or a negative error. */
int hv_prepare_shared_pages(void);

/* Register this vCPU's GHCB (0x012, the hypervisor must echo the GFN). 0 or -EPROTO. */
int hv_register_ghcb(struct cpu *cpu);

/* Start a NAE request on this vCPU's GHCB (cleared, marked busy); end it with ghcb_end(). */
struct ghcb *ghcb_begin(void);
void ghcb_end(void);

/* Issue the request: exit code and info fields set valid, VMGEXIT. 0, or -EIO (the hypervisor
 * reported an error), or -EPROTO (malformed response). */
int hv_nae(struct ghcb *g, u64 exit_code, u64 info1, u64 info2);

/* Page state change (NAE 0x80000010) of count pages of 4 KiB (or 2 MiB when huge) from gpa;
 * op is PSC_OP_PRIVATE or PSC_OP_SHARED. 0 or a negative error. */
int hv_psc(u64 gpa, u32 count, bool huge, unsigned int op);

/* AP creation NAE (0x80000013), request CREATE for VMPL 1 (facts §3). */
int hv_ap_create(u32 apic_id, u64 vmsa_gpa, u64 sev_features);

/* APIC IDs of every vCPU from the hypervisor (NAE 0x80000017). 0, -E2BIG or -EPROTO. */
int hv_apic_ids(u32 *ids, u32 max, u32 *count);

/* CPUID answered by the hypervisor (NAE 0x72), for values the CPUID page cannot hold
 * (this vCPU's APIC ID). */
int hv_cpuid(u32 leaf, u32 subleaf, struct cpuid_result *r);

#endif
