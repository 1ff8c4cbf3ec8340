/* SPDX-License-Identifier: MIT */
/*
 * x86-64 architectural constants used by both start.S and C (no C types here).
 */
#ifndef CSVSM_ARCH_X86_H
#define CSVSM_ARCH_X86_H

/* MSRs (AMD APM vol 2 #24593; GHCB spec #56421, MSR protocol). */
#define MSR_EFER 0xc0000080
#define MSR_GS_BASE 0xc0000101

/* Control-register values the SVSM runs with (README "SVSM INFO"; [L] smp.rs). */
#define SVSM_EFER 0x1d00    /* SVME | NXE | LMA | LME */
#define SVSM_CR0 0x80010033 /* PG | WP | NE | ET | MP | PE */
#define SVSM_CR4 0x668	    /* OSXMMEXCPT | OSFXSR | MCE | PAE | DE */

/* Page-table entry bits (APM vol. 2, 5.3), as plain numbers for the assembler. */
#define X86_PTE_P 0x1
#define X86_PTE_W 0x2
#define X86_PTE_PS 0x80

/* Exception vectors. */
#define X86_TRAP_DE 0
#define X86_TRAP_DB 1
#define X86_TRAP_NMI 2
#define X86_TRAP_BP 3
#define X86_TRAP_OF 4
#define X86_TRAP_BR 5
#define X86_TRAP_UD 6
#define X86_TRAP_NM 7
#define X86_TRAP_DF 8
#define X86_TRAP_OLD_MF 9
#define X86_TRAP_TS 10
#define X86_TRAP_NP 11
#define X86_TRAP_SS 12
#define X86_TRAP_GP 13
#define X86_TRAP_PF 14
#define X86_TRAP_SPURIOUS 15
#define X86_TRAP_MF 16
#define X86_TRAP_AC 17
#define X86_TRAP_MC 18
#define X86_TRAP_XF 19
#define X86_TRAP_CP 21
#define X86_TRAP_VC 29
#define X86_NR_VECTORS 32 /* the IDT covers the exception vectors only: interrupts stay off */

#define X86_RFLAGS_DF 0x400
#define X86_RFLAGS_IF 0x200

#endif
