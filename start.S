/* SPDX-License-Identifier: MIT */
/*
 * start.S: the first instructions of svsm.bin, for the BSP and for every AP.
 *
 * The launcher starts the BSP from the SVSM INFO block (src/arch/footer.S): 64-bit mode,
 * CR3 = early_pml4 below (SVSM memory mapped at SVSM_GVA with 2 MiB pages and the C-bit),
 * CS from the boot GDT, RSP 0, interrupts off. Before any C runs, the BSP
 *   1. checks that the CPUID page's C-bit position is the one this image was built for,
 *   2. checks that CR3 is the GPA the image was built for (so it runs where it was linked),
 *   3. proves it runs at VMPL0 (RMPADJUST), before its first PVALIDATE: only VMPL0 may
 *      execute PVALIDATE, anywhere else it faults, and there is no IDT yet to say why,
 *   4. makes the early GHCB page shared: PVALIDATE rescind, MSR-protocol page state change
 *      to shared, the first 2 MiB mapping split so that only that page loses the C-bit,
 *      TLB flush, page zeroed,
 *   5. clears .bss, takes the boot stack, points GS at the BSP's per-CPU data,
 *   6. calls svsm_main (src/main.c).
 * APs start at svsm_ap_start from a VMSA the BSP built (src/arch/smp.c): RIP, RSP, GS base
 * and the final page tables already set; they go straight to ap_main.
 *
 * Anything wrong terminates with the raw GHCB MSR protocol termination request (GHCB spec #56421,
 * MSR protocol): GHCB MSR = 0x100 | set << 12 | code << 16, VMGEXIT, then hlt forever. Codes:
 * sev/term.h.
 */
#include "arch/layout.h"
#include "arch/x86.h"
#include "sev/cpuid.h"
#include "sev/ghcb.h"
#include "sev/term.h"

#define CBIT (1 << SVSM_CBIT)
#define GPA(sym) ((sym) - SVSM_GVA + SVSM_GPA)

/* The early tables assume SVSM_GVA = PML4[511], PDPT[510], PD[0]. */
.if SVSM_GVA != 0xffffffff80000000
.error "start.S builds its early page tables for SVSM_GVA = 0xffffffff80000000"
.endif

.macro VMGEXIT
	.byte 0xf3, 0x0f, 0x01, 0xd9
.endm

/* Terminate with csvsm reason set 15, code \code. */
.macro TERMINATE code
	movl	$(GHCB_MSR_TERM_REQ | (SVSM_TERM_SET_CSVSM << 12) | ((\code) << 16)), %eax
	jmp	early_terminate
.endm

	.section .text.entry, "ax"
	.code64

	.globl svsm_start
svsm_start:
	cli
	cld

	/* 1. C-bit self-check against the launch-validated CPUID page. */
	leaq	__cpuid_page(%rip), %rsi
	movl	(%rsi), %ecx
	testl	%ecx, %ecx
	jz	.Lbad_cpuid_page
	cmpl	$SNP_CPUID_MAX_ENTRIES, %ecx
	ja	.Lbad_cpuid_page
	leaq	SNP_CPUID_FN_OFFSET(%rsi), %rdi
1:	cmpl	$SNP_CPUID_LEAF_SEV, (%rdi)
	je	2f
	addq	$SNP_CPUID_FN_SIZE, %rdi
	decl	%ecx
	jnz	1b
	jmp	.Lbad_cbit			/* no 0x8000001f entry: no C-bit to check */
2:	movl	SNP_CPUID_FN_EBX(%rdi), %eax
	andl	$0x3f, %eax
	cmpl	$SVSM_CBIT, %eax
	jne	.Lbad_cbit

	/* 2. Load address: CR3 must be this image's early PML4 at SVSM_GPA, with the C-bit. */
	movq	%cr3, %rax
	andq	$~0xfff, %rax
	movabsq	$(GPA(early_pml4) + CBIT), %rdx
	cmpq	%rdx, %rax
	jne	.Lbad_load_address

	/* 3. VMPL0: RMPADJUST may only target a VMPL less privileged than the caller's (AMD
	 * APM vol 3 #24594, RMPADJUST), so granting VMPL1 nothing on an own page succeeds only
	 * at VMPL0; FAIL_PERMISSION (2) means a more privileged VMPL exists that is not us. A host that launched the
	 * image at a lower VMPL (snpemu --fault launch-vmpl) is stopped here. */
	leaq	__image_start(%rip), %rax
	xorl	%ecx, %ecx			/* 4 KiB */
	movl	$1, %edx			/* target VMPL1, attributes 0 */
	.byte	0xf3, 0x0f, 0x01, 0xfe		/* RMPADJUST */
	cmpl	$2, %eax
	je	.Lnot_vmpl0
	testl	%eax, %eax
	jnz	.Lrmpadjust_failed

	/* 4. Early GHCB. To make a page shared: rescind its validation first, then the PSC
	 * (GHCB spec #56421, page state change; AMD APM vol 2 #24593 section 15.36). CF = 1
	 * (nothing changed) is a failure too: the launcher validated the whole image. */
	leaq	early_ghcb(%rip), %rax
	xorl	%ecx, %ecx			/* 4 KiB */
	xorl	%edx, %edx			/* rescind */
	.byte	0xf2, 0x0f, 0x01, 0xff		/* PVALIDATE */
	jc	.Lghcb_share_failed
	testl	%eax, %eax
	jnz	.Lghcb_share_failed

	/* MSR-protocol PSC: [51:12] GFN, [55:52] operation; the response must be exactly
	 * 0x015 (error code [63:32] zero, reserved bits zero). */
	movabsq	$((PSC_OP_SHARED << 52) | GHCB_MSR_PSC_REQ), %rax
	movabsq	$GPA(early_ghcb), %rdx
	orq	%rdx, %rax
	movq	%rax, %rdx
	shrq	$32, %rdx
	movl	$MSR_GHCB, %ecx
	wrmsr
	VMGEXIT
	movl	$MSR_GHCB, %ecx
	rdmsr
	shlq	$32, %rdx
	orq	%rdx, %rax
	cmpq	$GHCB_MSR_PSC_RESP, %rax
	jne	.Lghcb_share_failed

	/* Split the first 2 MiB: early_pt maps it page by page with the C-bit; the GHCB's
	 * entry loses it, then PD[0] points at early_pt instead of the 2 MiB page. */
	leaq	early_ghcb(%rip), %rax
	leaq	__image_start(%rip), %rdx
	subq	%rdx, %rax
	shrq	$12, %rax
	leaq	early_pt(%rip), %rdx
	movabsq	$~CBIT, %rcx
	andq	%rcx, (%rdx, %rax, 8)
	movabsq	$(GPA(early_pt) + CBIT + X86_PTE_W + X86_PTE_P), %rax
	movq	%rax, early_pd(%rip)
	movq	%cr3, %rax
	movq	%rax, %cr3			/* flush: no global mappings exist */

	/* The page's contents are ciphertext now: zero it through the shared mapping. */
	leaq	early_ghcb(%rip), %rdi
	movl	$(4096 / 8), %ecx
	xorl	%eax, %eax
	rep stosq

	/* 5. .bss is launch-measured zeros already; clear it anyway, so nothing depends on
	 * what the launcher wrote there. */
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_end(%rip), %rcx
	subq	%rdi, %rcx
	shrq	$3, %rcx
	xorl	%eax, %eax
	rep stosq

	leaq	boot_stack_top(%rip), %rsp
	xorl	%ebp, %ebp			/* ends stack traces */
	leaq	bsp_percpu(%rip), %rax
	movq	%rax, %rdx
	shrq	$32, %rdx
	movl	$MSR_GS_BASE, %ecx
	wrmsr

	/* 6. The boot story continues in C. */
	call	svsm_main
	TERMINATE TERM_MAIN_RETURNED

/*
 * APs: RIP, RSP (top of the AP's own stack), GS base (its struct percpu), CR3 (the final page
 * tables), GDTR, IDTR and TR come from the VMSA built in src/arch/smp.c.
 */
	.globl svsm_ap_start
svsm_ap_start:
	cli
	cld
	xorl	%ebp, %ebp
	call	ap_main
	TERMINATE TERM_MAIN_RETURNED

.Lbad_cpuid_page:
	TERMINATE TERM_CPUID_PAGE
.Lbad_cbit:
	TERMINATE TERM_CBIT_SELFCHECK
.Lbad_load_address:
	TERMINATE TERM_LOAD_ADDRESS
.Lghcb_share_failed:
	TERMINATE TERM_GHCB_SHARE
.Lnot_vmpl0:
	TERMINATE TERM_NOT_VMPL0
.Lrmpadjust_failed:
	TERMINATE TERM_RMPADJUST

/* eax = the termination request. Never returns. */
early_terminate:
	xorl	%edx, %edx
	movl	$MSR_GHCB, %ecx
	wrmsr
	VMGEXIT
1:	hlt
	jmp	1b

/*
 * Early page tables, built at assembly time (static data, launch-measured): SVSM memory at
 * SVSM_GVA in 2 MiB pages with the C-bit, read-write-execute (mm/paging replaces them with
 * tables that give every part its own permissions). Table pointers carry the C-bit too: the
 * tables themselves are private memory.
 */
	.section .data.page_aligned, "aw"
	.balign 4096
	.globl early_pml4
early_pml4:
	.fill	511, 8, 0
	.quad	GPA(early_pdpt) + CBIT + X86_PTE_W + X86_PTE_P

	.globl early_pdpt
early_pdpt:
	.fill	510, 8, 0
	.quad	GPA(early_pd) + CBIT + X86_PTE_W + X86_PTE_P
	.quad	0

	.globl early_pd
early_pd:
	.set	.Li, 0
	.rept	SVSM_MEM / 0x200000
	.quad	(SVSM_GPA + .Li * 0x200000) + CBIT + X86_PTE_PS + X86_PTE_W + X86_PTE_P
	.set	.Li, .Li + 1
	.endr
	.fill	512 - SVSM_MEM / 0x200000, 8, 0

	/* The first 2 MiB in 4 KiB pages, used once the early GHCB needs its own entry. */
	.globl early_pt
early_pt:
	.set	.Li, 0
	.rept	512
	.quad	(SVSM_GPA + .Li * 0x1000) + CBIT + X86_PTE_W + X86_PTE_P
	.set	.Li, .Li + 1
	.endr

	/* The BSP's GHCB from the first #VC on (shared after step 3 above). */
	.globl early_ghcb
early_ghcb:
	.fill	4096, 1, 0

/* The boot GDT named by the SVSM INFO block: null, 64-bit code (GDT_SEL_CODE). Writable:
 * the CPU sets the descriptor's accessed bit when it loads CS. */
	.section .data, "aw"
	.balign 16
	.globl boot_gdt
boot_gdt:
	.quad	0
	.quad	GDT_CODE64_DESC

/* The BSP's main stack, with a guard page below it (unmapped by mm/paging). */
	.section .bss.page_aligned, "aw", @nobits
	.balign 4096
	.globl boot_stack_guard
boot_stack_guard:
	.skip	4096
	.globl boot_stack_bottom
boot_stack_bottom:
	.skip	BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
