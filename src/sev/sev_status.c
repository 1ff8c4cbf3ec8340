// SPDX-License-Identifier: MIT
/* SEV_STATUS feature policy (include/sev/sev_status.h; AMD APM vol 2 #24593, SEV_STATUS MSR). */
#include "sev/sev_status.h"
#include "lib/errno.h"
#include "lib/format.h"

static const char *const sev_status_names[] = {
	"SEV",
	"SEV-ES",
	"SNP",
	"vTOM",
	"ReflectVC",
	"RestrictedInjection",
	"AlternateInjection",
	"DebugSwap",
	"PreventHostIBS",
	"BTBIsolation",
	"VmplSSS",
	"SecureTSC",
	"VmgexitParameter",
	"bit13",
	"IbsVirtualization",
	"bit15",
	"VmsaRegProt",
	"SmtProtection",
	"SecureAVIC",
};

int sev_status_check(u64 status)
{
	if ((status & SEV_STATUS_REQUIRED) != SEV_STATUS_REQUIRED)
		return -EPERM;
	if (sev_status_to_features(status) & SEV_FEATURES_VMPL0_FORBIDDEN)
		return -ENOTSUP;
	return 0;
}

void sev_status_describe(u64 status, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int bit;

	if (!size)
		return;
	buf[0] = '\0';
	for (bit = 0; bit < 64; bit++) {
		int n;

		if (!(status & BIT_ULL(bit)))
			continue;
		if (bit < ARRAY_SIZE(sev_status_names))
			n = fmt_snprintf(buf + len, size - len, "%s%s", len ? " " : "",
					 sev_status_names[bit]);
		else
			n = fmt_snprintf(buf + len, size - len, "%sbit%u", len ? " " : "", bit);
		if ((size_t)n >= size - len)
			return; /* truncated; fmt_snprintf left it NUL-terminated */
		len += (size_t)n;
	}
}
