/* SPDX-License-Identifier: MIT */
/*
 * The #VC handler (vector 29). Handled: CPUID (answered from the SNP CPUID page, never from
 * the hypervisor), IN/OUT/INS/OUTS (IOIO NAE) and RDMSR/WRMSR (MSR NAE), and #VC 0x404
 * (access to a page that is not validated) inside a range of the exception fixup table
 * (arch/extable.h: guest-memory copies). Anything else — including any other #VC 0x404 — is
 * fatal: (15, TERM_UNHANDLED_VC), with the exit code printed.
 *
 * The SVSM itself avoids #VC (the console and fw_cfg do their own IOIO NAEs), so this is
 * the safety net for instructions that need the hypervisor. With Restricted Injection the
 * hypervisor cannot inject a #VC.
 */
#ifndef CSVSM_SEV_VC_H
#define CSVSM_SEV_VC_H

struct trap_frame;

void vc_handle(struct trap_frame *f);

#endif
