/*
 * Guest-physical memory layout of the VMPL1 test firmware.
 *
 * One source of truth for the C code, the linker script (run through cpp) and the nasm reset
 * code (build/guest/layout.inc is generated from this file). So: only "#define NAME number"
 * lines with plain hexadecimal literals, no expressions, no casts.
 *
 * Every address is identity-mapped (virtual == guest-physical) below 4 GiB.
 *
 *   0x00800000  pre-validated RAM (ASEV section type 1), filled by the SVSM before we run:
 *     0x00800000  page-table pool: PML4, PDPT, 4 PDs for 0-4 GiB, spare tables
 *     0x00820000  stacks, one per vCPU; struct cpu sits at the bottom of each stack
 *     0x00840000  payload: C code, data and bss (copied here from the image by reset.asm)
 *     0x008c0000  vCPU pages: for vCPU i a VMSA at +i*0x2000 and its calling area after it
 *     0x008d0000  scratch pages the tests use (request pages, hostile VMSAs, CAA targets)
 *   0x008e0000  secrets page (type 2), CPUID page (type 3), boot calling area (type 4)
 *   0x00a00000  GHCB pages, one per vCPU, and the APIC-ID list page: never validated, so they
 *               stay hypervisor-owned (shared) and are mapped without the C-bit
 *   0x01000000  test pages: start shared; tests convert them to private and ask the SVSM to
 *               validate them. 4 KiB tests at 0x01000000, the 2 MiB test at 0x01200000, one
 *               range per vCPU for the concurrency test from 0x01400000, the RMP checks'
 *               2 MiB page at 0x01600000; a VMSA candidate on a 2 MiB boundary at 0x01800000;
 *               the race images' pages at 0x01a00000 (1 MiB)
 *   0xfffc0000  the firmware image (FW_SIZE), launch-measured; its last page (FW_TAIL_BASE)
 *               holds the reset vector, the SEV metadata and the footer GUID table
 */
#ifndef CSVSM_GUEST_LAYOUT_H
#define CSVSM_GUEST_LAYOUT_H

/* The image: loaded by the host at 4 GiB - FW_SIZE. */
#define FW_SIZE 0x40000
#define FW_BASE 0xfffc0000
#define FW_TAIL_BASE 0xfffff000

#define MAX_CPUS 8

/* Pre-validated RAM (ASEV type 1). */
#define PREVALIDATED_BASE 0x00800000
#define PREVALIDATED_SIZE 0x000e0000

#define PT_POOL_BASE 0x00800000
#define PT_POOL_PAGES 32
#define PML4_GPA 0x00800000
#define PDPT_GPA 0x00801000
/* Four page directories covering 0-4 GiB with 2 MiB pages: PD_GPA .. PD_GPA + 0x3fff. */
#define PD_GPA 0x00802000
/* First pool page free for page tables made at run time. */
#define PT_POOL_FREE 0x00806000

#define STACK_BASE 0x00820000
#define STACK_SIZE 0x4000

#define PAYLOAD_BASE 0x00840000
#define PAYLOAD_SIZE 0x00080000

#define VCPU_PAGES_BASE 0x008c0000
#define SCRATCH_BASE 0x008d0000
#define SCRATCH_PAGES 16

#define SECRETS_GPA 0x008e0000
#define CPUID_PAGE_GPA 0x008e1000
#define BOOT_CAA_GPA 0x008e2000

/* Shared (never validated) pages. */
#define GHCB_BASE 0x00a00000
#define APIC_ID_PAGE_GPA 0x00a08000

/* Test pages (start shared). */
#define TEST_4K_BASE 0x01000000
#define TEST_4K_PAGES 64
#define TEST_2M_GPA 0x01200000
#define SMP_TEST_BASE 0x01400000
#define SMP_TEST_STRIDE 0x00010000
/* The 2 MiB page of the RMP checks (test_rmp.c). */
#define RMP_TEST_2M_GPA 0x01600000
/* A 4 KiB page on a 2 MiB boundary, offered as a VMSA (test_vcpu.c; erratum 1467). */
#define VMSA_2M_TEST_GPA 0x01800000
/* The race images' pages (test_race.c): 1 MiB, start shared. */
#define RACE_BASE 0x01a00000
#define RACE_PAGES 256

/*
 * Control registers the reset code loads and every AP VMSA copies: CR0 = PG|WP|NE|ET|MP|PE,
 * CR4 = PAE|OSFXSR|OSXMMEXCPT, EFER = SVME|NXE|LMA|LME (SVME must stay set in an SEV-ES
 * guest: it is the VMSA's "runnable" flag, facts §6).
 */
#define GUEST_CR0 0x80010033
#define GUEST_CR4 0x00000620
#define GUEST_EFER 0x00001d00

/* GDT selectors (reset.asm builds the GDT). */
#define SEL_CODE32 0x08
#define SEL_DATA 0x10
#define SEL_CODE64 0x18

/*
 * Termination through the GHCB MSR protocol when the firmware cannot even reach its console:
 * reason set 3 (ours; sets 0 and 1 are the GHCB spec's and Linux's, facts §1).
 */
#define GUEST_TERM_SET 0x3
#define GUEST_TERM_NO_CBIT 0x1
#define GUEST_TERM_GHCB 0x2
#define GUEST_TERM_NESTED_VC 0x3

#endif
