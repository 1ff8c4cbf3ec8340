/*
 * Probe entry, page tables, IDT stubs and the GUID footer. The probe is linked at its GPA.
 *   VA P + x          -> GPA P + x, private (C-bit set): 4 KiB pages in the first 4 MiB
 *   VA P + 1 GiB + x  -> GPA P + x, shared  (C-bit clear): the same layout
 * for x < PROBE_MEM (16 MiB), P = 0x8000000000.
 */
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
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rbx
	pushq	%rbp
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	movq	%rsp, %rdi
	call	vc_handler
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rbp
	popq	%rbx
	popq	%rdx
	popq	%rcx
	popq	%rax
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
	.quad	0x00af9a000000ffff	/* 0x08 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10 data */
gdt_end:

	.balign 4096
	.skip	0x4000
stack_top:

/* ---- the GUID footer (README "svsm.bin image format") ---- */
	.section .guidtable, "aw"
	.balign 16
svsm_meta:
	.long	0x4d535653		/* "SVSM" */
	.long	svsm_meta_end - svsm_meta
	.long	1
	.long	3
	.quad	meta_secrets
	.long	4096, 2
	.quad	meta_cpuid
	.long	4096, 3
	.quad	meta_bios_vmsa
	.long	4096, 5
svsm_meta_end:
table_start:
info_data:
	.quad	P			/* load GPA */
	.quad	PROBE_MEM		/* memory size */
	.quad	pml4 + CBIT		/* CR3 */
	.quad	gdt
	.word	gdt_end - gdt - 1
	.quad	0			/* IDT */
	.word	0
	.word	0x08
	.quad	0x00af9a000000ffff
	.quad	probe_entry
	.quad	0x1d00
	.quad	0x80010033
	.quad	0x668
	.word	86 + 18
	/* a789a612-0597-4c4b-a49f-cbb1fe9d1ddd */
	.byte	0x12, 0xa6, 0x89, 0xa7, 0x97, 0x05, 0x4b, 0x4c
	.byte	0xa4, 0x9f, 0xcb, 0xb1, 0xfe, 0x9d, 0x1d, 0xdd
	.long	file_end - svsm_meta	/* offset from the end of the file */
	.word	4 + 18
	/* be30189b-ab44-4a97-82dd-ea813941047e */
	.byte	0x9b, 0x18, 0x30, 0xbe, 0x44, 0xab, 0x97, 0x4a
	.byte	0x82, 0xdd, 0xea, 0x81, 0x39, 0x41, 0x04, 0x7e
	.word	file_end - table_start
	/* 81384fea-ad48-4eb6-af4f-6ac49316df2b */
	.byte	0xea, 0x4f, 0x38, 0x81, 0x48, 0xad, 0xb6, 0x4e
	.byte	0xaf, 0x4f, 0x6a, 0xc4, 0x93, 0x16, 0xdf, 0x2b
file_end:
