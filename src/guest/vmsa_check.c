// SPDX-License-Identifier: MIT
/* VMPL1 VMSA checks (include/guest/vmsa_check.h). */
#include "guest/vmsa_check.h"
#include "lib/errno.h"

int vmsa_check_boot(const struct vmsa *v, const char **why)
{
	u64 f = v->sev_features;

	if (v->vmpl != GUEST_VMPL)
		*why = "its vmpl field is not 1";
	else if (!(v->efer & VMSA_EFER_SVME))
		*why = "EFER.SVME is clear (not runnable)";
	else if ((f & SEV_FEATURES_VMPL1_REQUIRED) != SEV_FEATURES_VMPL1_REQUIRED)
		*why = "sev_features lack SNPActive";
	else if (f & SEV_FEATURES_VMPL1_FORBIDDEN)
		*why = "sev_features include a feature forbidden at VMPL1";
	else
		return 0;
	return -EINVAL;
}

int vmsa_check_create(u8 vmpl, u64 efer, u64 sev_features, u64 boot_features)
{
	if (vmpl != GUEST_VMPL || !(efer & VMSA_EFER_SVME) || sev_features != boot_features)
		return -EINVAL;
	return 0;
}
