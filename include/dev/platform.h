/* SPDX-License-Identifier: MIT */
/*
 * Step 8 of svsm_main: what the host tells the SVSM about the machine, through fw_cfg over
 * the GHCB (dev/fwcfg parses; dev/fwcfg_port does the I/O): the device's signature and file
 * directory, the CPU count and the e820 memory map. Anything missing, oversized or malformed
 * terminates with (15, TERM_FWCFG).
 */
#ifndef CSVSM_DEV_PLATFORM_H
#define CSVSM_DEV_PLATFORM_H

#include "dev/fwcfg.h"
#include "lib/types.h"

#define PLATFORM_E820_MAX 128

void platform_probe(void);

unsigned int platform_nr_cpus(void);
/* The e820 map as read (guest RAM for the guest launch, issue 4). */
const struct e820_entry *platform_e820(size_t *n);

#endif
