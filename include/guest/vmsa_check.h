/* SPDX-License-Identifier: MIT */
/*
 * What a VMPL1 VMSA must look like before the SVSM lets it run (pure C, host-tested).
 *
 * - The host-provided BIOS BSP VMSA (SVSM metadata type 5): vmpl 1, EFER.SVME set (the
 *   "runnable" flag, SVSM spec #58019; [L]), sev_features within linux-svsm's VMPL1 policy (AMD APM
 * vol 2 #24593, SEV_STATUS MSR, and [L]:
 *   SNPActive required; vTOM, ReflectVC, AlternateInjection, SecureTSC, bits 10-15 and 16-63
 *   forbidden). Else the launch terminates (15, TERM_BIOS_VMSA).
 * - A VMSA the guest registers with CREATE_VCPU (SVSM spec #58019, CREATE_VCPU checks): vmpl
 *   equal to the caller's VMPL (1), EFER.SVME set, sev_features equal to the caller's — the
 *   boot VMPL1 VMSA's ([C]; SPEC-T: the boot vCPU's). Else -EINVAL (the call's INVALID_PARAMETER).
 */
#ifndef CSVSM_GUEST_VMSA_CHECK_H
#define CSVSM_GUEST_VMSA_CHECK_H

#include "guest/vmpl.h"
#include "lib/types.h"
#include "sev/vmsa.h"

#define VMSA_EFER_SVME BIT_ULL(12)

/* sev_features space (AMD APM vol 2 #24593, SEV_STATUS MSR; [L] vmsa.rs). */
#define SEV_FEATURES_VMPL1_REQUIRED 0x1ULL
#define SEV_FEATURES_VMPL1_FORBIDDEN 0xfffffffffffffe16ULL

/* 0, or -EINVAL with *why naming the first defect. */
int vmsa_check_boot(const struct vmsa *v, const char **why);

/* 0, or -EINVAL for a CREATE_VCPU VMSA's fields. */
int vmsa_check_create(u8 vmpl, u64 efer, u64 sev_features, u64 boot_features);

#endif
