/* SPDX-License-Identifier: MIT */
/*
 * SEV_STATUS (MSR 0xc0010131) and the feature policy for VMPL0 (AMD APM vol 2 #24593, SEV_STATUS
 * MSR). Pure C.
 *
 * The VMSA's sev_features are SEV_STATUS >> 2. csvsm requires SEV, SEV-ES, SNP and
 * RestrictedInjection (so the hypervisor cannot inject #VC or interrupts into VMPL0), and
 * forbids at VMPL0 what linux-svsm forbids ([L] vmsa.rs, sev_features space): vTOM, ReflectVC,
 * AlternateInjection, SecureTSC, bits 10-13, VmsaRegProt and everything from bit 16 up.
 */
#ifndef CSVSM_SEV_SEV_STATUS_H
#define CSVSM_SEV_SEV_STATUS_H

#include "lib/types.h"

#define SEV_STATUS_SEV BIT_ULL(0)
#define SEV_STATUS_SEV_ES BIT_ULL(1)
#define SEV_STATUS_SNP BIT_ULL(2)
#define SEV_STATUS_VTOM BIT_ULL(3)
#define SEV_STATUS_REFLECT_VC BIT_ULL(4)
#define SEV_STATUS_RESTRICTED_INJ BIT_ULL(5)
#define SEV_STATUS_ALTERNATE_INJ BIT_ULL(6)
#define SEV_STATUS_DEBUG_SWAP BIT_ULL(7)

#define SEV_STATUS_REQUIRED \
	(SEV_STATUS_SEV | SEV_STATUS_SEV_ES | SEV_STATUS_SNP | SEV_STATUS_RESTRICTED_INJ)

/* sev_features bits that must be clear at VMPL0 ([L]; AMD APM vol 2 #24593, SEV_STATUS MSR). */
#define SEV_FEATURES_VMPL0_FORBIDDEN 0xffffffffffff7e16ULL

static inline u64 sev_status_to_features(u64 status)
{
	return status >> 2;
}

/* 0 if @status is acceptable for VMPL0; -EPERM if a required bit is missing; -ENOTSUP if a
 * forbidden one is set. */
int sev_status_check(u64 status);

/* Names of the set bits of @status, space-separated, into buf (always NUL-terminated). */
void sev_status_describe(u64 status, char *buf, size_t size);

#endif
