// SPDX-License-Identifier: MIT
/* Step 8 of svsm_main: fw_cfg facts about the machine (include/dev/platform.h). */
#include "dev/platform.h"
#include "arch/layout.h"
#include "lib/log.h"
#include "sev/terminate.h"

static unsigned int nr_cpus;
static struct e820_entry e820[PLATFORM_E820_MAX];
static size_t e820_count;

unsigned int platform_nr_cpus(void)
{
	return nr_cpus;
}

const struct e820_entry *platform_e820(size_t *n)
{
	*n = e820_count;
	return e820;
}

static void log_e820(void)
{
	u64 ram = 0;
	size_t i;

	for (i = 0; i < e820_count; i++) {
		log_info("  e820 [0x%016llx, 0x%016llx) type %u", (unsigned long long)e820[i].addr,
			 (unsigned long long)(e820[i].addr + e820[i].size), e820[i].type);
		if (e820[i].type == E820_TYPE_RAM)
			ram += e820[i].size;
	}
	log_info("fw_cfg: %u vCPU%s, %zu e820 entries, %llu MiB of guest RAM", nr_cpus,
		 nr_cpus == 1 ? "" : "s", e820_count, (unsigned long long)(ram >> 20));
}

void platform_probe(void)
{
	u16 n;
	int rc;

	rc = fwcfg_init();
	if (rc)
		fatal(TERM_FWCFG, "no fw_cfg device (%d)", rc);
	rc = fwcfg_nb_cpus(&n);
	if (rc)
		fatal(TERM_FWCFG, "fw_cfg CPU count unusable (%d)", rc);
	nr_cpus = n;
	/* Reads the file directory (checked by dev/fwcfg) to find etc/e820. */
	rc = fwcfg_e820(e820, PLATFORM_E820_MAX, &e820_count);
	if (rc)
		fatal(TERM_FWCFG, "fw_cfg etc/e820 unusable (%d)", rc);
	log_e820();
}

_Static_assert(FW_CFG_MAX_CPUS <= SVSM_MAX_CPUS, "every vCPU fw_cfg can report has a slot");
