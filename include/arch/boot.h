/* SPDX-License-Identifier: MIT */
/* The BSP's boot sequence (src/main.c). */
#ifndef CSVSM_ARCH_BOOT_H
#define CSVSM_ARCH_BOOT_H

/* Called by start.S on the BSP with the boot stack and GS set; never returns. */
__attribute__((noreturn)) void svsm_main(void);

#endif
