/* SPDX-License-Identifier: MIT */
/*
 * Termination reasons: every fatal condition of the SVSM has one (reason set, code) pair,
 * sent to the hypervisor with the GHCB termination request (GHCB spec #56421, MSR protocol 0x100).
 * README.md carries the same table; tests match on these numbers.
 *
 * Set 0 is the GHCB specification's own (GHCB spec #56421, termination request reason codes); set
 * 15 holds csvsm's codes. (linux-svsm also used set 15 with other meanings and colliding values;
 * csvsm's table is its own.)
 */
#ifndef CSVSM_SEV_TERM_H
#define CSVSM_SEV_TERM_H

#define SVSM_TERM_SET_GHCB 0
#define SVSM_TERM_SET_CSVSM 15

/* Set 0 (GHCB spec) */
#define TERM_GHCB_GENERAL 0x00
#define TERM_GHCB_PROTOCOL_RANGE 0x01 /* hypervisor's version range lacks version 2 */
#define TERM_GHCB_SNP_FEATURES 0x02   /* a required hypervisor feature is missing */

/* Set 15 (csvsm) */
#define TERM_PANIC 0x01		  /* unexpected CPU exception in the SVSM */
#define TERM_CBIT_SELFCHECK 0x02  /* CPUID page C-bit differs from the image's */
#define TERM_LOAD_ADDRESS 0x03	  /* image not running at the GPA it was built for */
#define TERM_NOT_VMPL0 0x04	  /* RMPADJUST proves we are not at VMPL0 */
#define TERM_SEV_FEATURES 0x05	  /* SEV_STATUS lacks a required or has a forbidden feature */
#define TERM_LAYOUT 0x06	  /* image or memory layout invalid */
#define TERM_GHCB_REGISTER 0x07	  /* GHCB GPA registration not echoed */
#define TERM_BAD_HV_RESPONSE 0x08 /* malformed GHCB or MSR-protocol response */
#define TERM_PSC 0x09		  /* page state change failed or broke the progress rules */
#define TERM_PVALIDATE 0x0a	  /* PVALIDATE of SVSM memory failed (e.g. host lied about a PSC) */
#define TERM_NOMEM 0x0b		  /* out of memory while booting */
#define TERM_UNHANDLED_VC 0x0c	  /* #VC the SVSM cannot handle */
#define TERM_FWCFG 0x0d		  /* fw_cfg missing or malformed */
#define TERM_AP_CREATE 0x0e	  /* AP creation refused by the hypervisor */
#define TERM_NO_FIRMWARE 0x0f	  /* no guest firmware to launch */
#define TERM_BAD_FIRMWARE 0x10	  /* guest firmware malformed or overlapping SVSM memory */
#define TERM_BIOS_VMSA 0x11	  /* the host-provided BIOS VMSA is unacceptable */
#define TERM_CBIT_HV 0x12	  /* C-bit position reported by the hypervisor differs */
#define TERM_CPUID_PAGE 0x13	  /* CPUID page malformed */
#define TERM_RMPADJUST 0x14	  /* RMPADJUST of an SVSM-owned page failed */
#define TERM_DOUBLE_FAULT 0x15	  /* #DF: stack overflow or fault while handling a fault */
#define TERM_MAIN_RETURNED 0x16	  /* svsm_main returned (cannot happen) */
#define TERM_GUEST_LAUNCH 0x17	  /* launching the guest firmware failed */
#define TERM_VMPL_RUN 0x18	  /* the hypervisor refused to run the guest VMPL */
#define TERM_GHCB_SHARE 0x19	  /* making a GHCB page shared failed */

#endif
