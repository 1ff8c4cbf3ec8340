/*
 * MSRs of the MSR NAE (0x7c) that a guest kernel reads and writes, answered as KVM answers
 * them for an SEV-ES/SNP guest (KVM's kvm_get_msr_common/kvm_set_msr_common in
 * arch/x86/kvm/x86.c and svm_get_msr/svm_set_msr in arch/x86/kvm/svm/svm.c), with the values
 * QEMU configures (target/i386/cpu.c mce_init):
 *
 * - machine check: MCG_CAP = MCG_CTL_P | MCG_SER_P | 10 banks, MCG_CTL and every MCi_CTL
 *   all ones at reset, MCG_STATUS; MCi_CTL takes only 0 or all ones (bit 10 and bit 0 may be
 *   clear: Linux clears bit 10 of bank 4 on K8), MCi_STATUS only 0 unless HWCR.McStatusWrEn,
 *   MCG_CTL only 0 or all ones (KVM's set_msr_mce); MCi_CTL2 does not exist (no CMCI);
 * - HWCR (0xc0010015): reads back what was written; writes other than McStatusWrEn (bit 18)
 *   and the bits KVM ignores (3, 6, 8) are refused;
 * - DE_CFG (0xc0011029): LFENCE serializing (bit 1) supported and set; other bits refused;
 * - K7 CLK_CTL (0xc001001b): 0x20000000 (KVM's "expected ramp-up count");
 * - TSC deadline (0x6e0): the guest's local APIC (vlapic.c).
 *
 * Not here (ghcb.c's table): APIC base, TSC, x2APIC ID/version, MTRRs, misc enable, microcode
 * level. Anything else is #GP, as KVM answers an MSR it does not know (ignore_msrs off).
 * State is per vCPU (KVM's is per vCPU, whatever VMPL asks).
 */
#include "l1.h"
#include "guestdev.h"

#define MSR_MCG_CAP 0x179
#define MSR_MCG_STATUS 0x17a
#define MSR_MCG_CTL 0x17b
#define MSR_MC0_CTL 0x400
#define MSR_MC0_CTL2 0x280
#define MSR_TSC_DEADLINE 0x6e0
#define MSR_K7_CLK_CTL 0xc001001b
#define MSR_K7_HWCR 0xc0010015
#define MSR_DE_CFG 0xc0011029

#define MCE_BANKS 10
#define MCG_CTL_P (1ULL << 8)
#define MCG_SER_P (1ULL << 24)
#define HWCR_MCSTATUSWREN (1ULL << 18)
#define HWCR_IGNORED ((1ULL << 3) | (1ULL << 6) | (1ULL << 8))
#define DE_CFG_LFENCE_SERIALIZE (1ULL << 1)

struct guest_msrs {
	bool init;
	u64 mcg_ctl, mcg_status;
	u64 banks[MCE_BANKS * 4]; /* CTL, STATUS, ADDR, MISC per bank */
	u64 hwcr, de_cfg;
};

static struct guest_msrs gm[MAX_CPUS];

static struct guest_msrs *get(struct vcpu *v)
{
	struct guest_msrs *m = &gm[v->id];

	if (!m->init) { /* QEMU's mce_init, KVM's reset values */
		memset(m, 0, sizeof(*m));
		m->mcg_ctl = ~0ULL;
		for (int b = 0; b < MCE_BANKS; b++)
			m->banks[4 * b] = ~0ULL;
		m->de_cfg = DE_CFG_LFENCE_SERIALIZE;
		m->init = true;
	}
	return m;
}

static bool mce_msr(struct guest_msrs *m, u32 msr, bool write, u64 *val)
{
	u32 off;

	switch (msr) {
	case MSR_MCG_CAP:
		if (write)
			return *val == 0; /* KVM: the guest may write only 0 */
		*val = MCG_CTL_P | MCG_SER_P | MCE_BANKS;
		return true;
	case MSR_MCG_STATUS:
		if (write)
			m->mcg_status = *val;
		else
			*val = m->mcg_status;
		return true;
	case MSR_MCG_CTL:
		if (write) {
			if (*val != 0 && *val != ~0ULL)
				return false;
			m->mcg_ctl = *val;
		} else {
			*val = m->mcg_ctl;
		}
		return true;
	}
	if (msr < MSR_MC0_CTL || msr >= MSR_MC0_CTL + 4 * MCE_BANKS)
		return false;
	off = msr - MSR_MC0_CTL;
	if (write) {
		if ((off & 3) == 0 && *val != 0 && (*val | (1ULL << 10) | 1) != ~0ULL)
			return false;
		if ((off & 3) == 1 && *val != 0 && !(m->hwcr & HWCR_MCSTATUSWREN))
			return false;
		m->banks[off] = *val;
	} else {
		*val = m->banks[off];
	}
	return true;
}

bool guest_msr(struct vcpu *v, u32 msr, bool write, u64 *val)
{
	struct guest_msrs *m = get(v);

	switch (msr) {
	case MSR_TSC_DEADLINE:
		return vlapic_tsc_deadline(v, write, val);
	case MSR_K7_CLK_CTL:
		if (!write)
			*val = 0x20000000;
		return true; /* KVM ignores writes */
	case MSR_K7_HWCR:
		if (write) {
			u64 d = *val & ~HWCR_IGNORED;

			if (d != 0 && d != HWCR_MCSTATUSWREN)
				return false;
			m->hwcr = d;
		} else {
			*val = m->hwcr;
		}
		return true;
	case MSR_DE_CFG:
		if (write) {
			if (*val & ~DE_CFG_LFENCE_SERIALIZE)
				return false;
			m->de_cfg = *val;
		} else {
			*val = m->de_cfg;
		}
		return true;
	}
	return mce_msr(m, msr, write, val);
}
