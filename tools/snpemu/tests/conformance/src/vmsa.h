/*
 * VMSA pages and the AP-creation NAE (facts §3 "AP creation", §6 VMSA layout).
 */
#ifndef CONF_VMSA_H
#define CONF_VMSA_H

#include "conf.h"
#include "ghcb.h"

/* RMPADJUST attributes (facts §4): target VMPL [7:0], permissions [11:8], VMSA bit 16. */
#define RMP_R BIT_ULL(8)
#define RMP_W BIT_ULL(9)
#define RMP_UX BIT_ULL(10)
#define RMP_SX BIT_ULL(11)
#define RMP_RWX (RMP_R | RMP_W | RMP_UX | RMP_SX)
#define RMP_VMSA BIT_ULL(16)

/* RMPADJUST and PVALIDATE results (facts §4). */
#define FAIL_INPUT 1
#define FAIL_PERMISSION 2
#define FAIL_SIZEMISMATCH 6

/* VMSA offsets used here (facts §6). */
#define VMSA_EFER 0x0d0
#define VMSA_RBX 0x318
#define VMSA_RSI 0x330
#define VMSA_RDI 0x338
#define VMSA_R12 0x360
#define VMSA_R15 0x378
#define VMSA_SEV_FEATURES 0x3b0
#define VMSA_EXIT_CODE 0x3c0
#define EFER_SVME BIT_ULL(12)
#define EXIT_VMGEXIT 0x403 /* guest_exit_code of a VMSA that left by VMGEXIT (facts §6) */

/*
 * Fill the private page @gpa with a 64-bit VMSA for @vmpl that starts at @rip with @rsp, on the
 * payload's GDT and IDT and page tables (VMPL0's, or VMPL1's own copy for a lower VMPL), with
 * the AP values of facts §6 and the long-mode registers the image was launched with.
 */
void vmsa_build(u64 gpa, int vmpl, u64 rip, u64 rsp);
/* ... then make it start at CPL 3 with page tables @cr3 (GPA with the C-bit). */
void vmsa_make_user(u64 gpa, u64 cr3);
#define VMSA_RIP_OFF 0x178
void vmsa_set(u64 gpa, unsigned int off, u64 v);
u64 vmsa_get(u64 gpa, unsigned int off);
/* The VM's SEV features: SEV_STATUS >> 2 (facts §5). */
u64 vm_sev_features(void);
/* The features a VMSA for @vmpl carries: VMPL1 the BIOS VMSA's, others the VM's (snpemu
 * README "SEV features per VMPL"). */
u64 vmpl_sev_features(int vmpl);
/* AP creation NAE 0x80000013 (facts §3); rax = @features for create requests. */
struct nae ap_creation(unsigned int req, int vmpl, u32 apic_id, u64 vmsa_gpa, u64 features);

#endif
