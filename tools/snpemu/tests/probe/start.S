/*
 * Probe entry, page tables, IDT stubs and the GUID footer. The probe is linked at its GPA.
 *   VA P + x          -> GPA P + x, private (C-bit set): 4 KiB pages in the first 4 MiB
 *   VA P + 1 GiB + x  -> GPA P + x, shared  (C-bit clear): the same layout
 * for x < PROBE_MEM (16 MiB), P = 0x8000000000.
 */
#include "tlib/asm.inc"

#define P 0x8000000000
#define CBIT (1 << 51)
#define PROBE_MEM 0x1000000

	.section .text.entry, "ax"
	.code64
	.globl probe_entry
probe_entry:
	cli
	lea	stack_top(%rip), %rsp
	xorl	%eax, %eax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	call	probe_main
1:	hlt
	jmp	1b

	/* VMPL1 entry: stack given in the VMSA */
	.globl vmpl1_entry
vmpl1_entry:
	call	vmpl1_main
2:	hlt
	jmp	2b

	.globl vmpl1_call
vmpl1_call:
	movl	$0xc0010130, %ecx
	movl	$0x016, %eax		/* run VMPL0 */
	xorl	%edx, %edx
	wrmsr
	movq	%rdi, %rax
	rep; vmmcall
	ret

	/* VMPL1 exception stubs (vmpl1-insns): report the vector to VMPL0, then finish */
	.globl vmpl1_gp_stub, vmpl1_ud_stub
vmpl1_gp_stub:
	movq	$0xe00d, %rdi
	jmp	1f
vmpl1_ud_stub:
	movq	$0xe006, %rdi
1:	andq	$~0xf, %rsp
	call	vmpl1_call
	movq	$0xd0e, %rdi
	call	vmpl1_call
2:	hlt
	jmp	2b

	/* AP entry (VMPL0 of another vCPU): RSP given in the VMSA */
	.globl ap_entry
ap_entry:
	call	ap_main
3:	hlt
	jmp	3b

	/* #VC stub: vector 29 pushes an error code */
	.globl vc_stub
vc_stub:
	SAVE_GPRS_TO_R11
	movq	%rsp, %rdi
	call	vc_handler
	RESTORE_GPRS_TO_R11
	addq	$8, %rsp
	iretq

	.globl exc_stub
exc_stub:
	movq	%rsp, %rdi
	call	exc_handler

	.data
	.balign 4096
	.globl pml4
pml4:
	.quad	pdpt_low + CBIT + 3
	.quad	pdpt + CBIT + 3
	.fill	510, 8, 0
pdpt:
	.quad	pd_priv + CBIT + 3
	.quad	pd_shared + CBIT + 3
	.fill	510, 8, 0
pdpt_low:				/* the VMPL1 firmware: 0xffe00000-0xffffffff */
	.fill	3, 8, 0
	.quad	pd_low + CBIT + 3
	.fill	508, 8, 0
pd_low:
	.fill	511, 8, 0
	.quad	0xffe00000 + CBIT + 0x83
pd_priv:
	.quad	pt_priv + CBIT + 3
	.quad	pt_priv + 4096 + CBIT + 3
	i = 2
	.rept	6
	.quad	P + i * 0x200000 + CBIT + 0x83
	i = i + 1
	.endr
	.fill	504, 8, 0
pd_shared:
	.quad	pt_shared + CBIT + 3
	.quad	pt_shared + 4096 + CBIT + 3
	i = 2
	.rept	6
	.quad	P + i * 0x200000 + 0x83
	i = i + 1
	.endr
	.fill	504, 8, 0
	.globl pt_priv, pt_shared
pt_priv:
	i = 0
	.rept	1024
	.quad	P + i * 0x1000 + CBIT + 3
	i = i + 1
	.endr
pt_shared:
	i = 0
	.rept	1024
	.quad	P + i * 0x1000 + 3
	i = i + 1
	.endr

	.balign 16
	.globl gdt
gdt:
	.quad	0
	.quad	GDT_CODE64		/* 0x08 */
	.quad	GDT_DATA		/* 0x10 */
gdt_end:

	.balign 4096
	.skip	0x4000
stack_top:

/* ---- the svsm.bin footer: metadata, GUID table with the SVSM INFO launch state ---- */
	.section .guidtable, "aw"
	.balign 16
	SVSM_FOOTER gpa=P, mem=PROBE_MEM, cr3=(pml4 + CBIT), gdt=gdt, gdt_limit=(gdt_end - gdt - 1), \
		idt=0, idt_limit=0, cs=0x08, cs_desc=GDT_CODE64, rip=probe_entry, efer=0x1d00, \
		cr0=0x80010033, cr4=0x668, secrets=meta_secrets, cpuid=meta_cpuid, \
		bios_vmsa=meta_bios_vmsa
