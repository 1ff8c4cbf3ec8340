/* SPDX-License-Identifier: MIT */
/*
 * The VMSA page (AMD APM vol 2 #24593, appendix B, table B-4 (VMSA layout): offsets as in Linux's
 * struct sev_es_save_area; segment attributes in the compressed VMCB format). Only the fields csvsm
 * writes or reads are named; the rest is reserved space. Pure C: host-tested.
 */
#ifndef CSVSM_SEV_VMSA_H
#define CSVSM_SEV_VMSA_H

#include "lib/types.h"

struct vmsa_seg {
	u16 selector;
	u16 attrib; /* [3:0] type, 4 S, [6:5] DPL, 7 P, 8 AVL, 9 L, 10 D/B, 11 G */
	u32 limit;
	u64 base;
} __packed;

struct vmsa {
	struct vmsa_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x000 */
	u8 reserved_0a0[0x0ca - 0x0a0];
	u8 vmpl; /* 0x0ca */
	u8 cpl;	 /* 0x0cb */
	u8 reserved_0cc[0x0d0 - 0x0cc];
	u64 efer; /* 0x0d0 */
	u8 reserved_0d8[0x140 - 0x0d8];
	u64 xss;    /* 0x140 */
	u64 cr4;    /* 0x148 */
	u64 cr3;    /* 0x150 */
	u64 cr0;    /* 0x158 */
	u64 dr7;    /* 0x160 */
	u64 dr6;    /* 0x168 */
	u64 rflags; /* 0x170 */
	u64 rip;    /* 0x178 */
	u8 reserved_180[0x1d8 - 0x180];
	u64 rsp; /* 0x1d8 */
	u8 reserved_1e0[0x1f8 - 0x1e0];
	u64 rax; /* 0x1f8 */
	u8 reserved_200[0x268 - 0x200];
	u64 g_pat; /* 0x268 */
	u8 reserved_270[0x308 - 0x270];
	u64 rcx; /* 0x308 */
	u64 rdx; /* 0x310 */
	u64 rbx; /* 0x318 */
	u64 reserved_320;
	u64 rbp;				  /* 0x328 */
	u64 rsi;				  /* 0x330 */
	u64 rdi;				  /* 0x338 */
	u64 r8, r9, r10, r11, r12, r13, r14, r15; /* 0x340 */
	u8 reserved_380[0x390 - 0x380];
	u64 guest_exit_info_1;	 /* 0x390 */
	u64 guest_exit_info_2;	 /* 0x398 */
	u64 guest_exit_int_info; /* 0x3a0 */
	u64 guest_nrip;		 /* 0x3a8 */
	u64 sev_features;	 /* 0x3b0 */
	u64 vintr_ctrl;		 /* 0x3b8 */
	u64 guest_exit_code;	 /* 0x3c0 */
	u64 virtual_tom;	 /* 0x3c8 */
	u64 tlb_id;		 /* 0x3d0 */
	u64 pcpu_id;		 /* 0x3d8 */
	u64 event_inj;		 /* 0x3e0 */
	u64 xcr0;		 /* 0x3e8 */
	u8 reserved_3f0[0x400 - 0x3f0];
	u64 x87_dp;  /* 0x400 */
	u32 mxcsr;   /* 0x408 */
	u16 x87_ftw; /* 0x40c */
	u16 x87_fsw; /* 0x40e */
	u16 x87_fcw; /* 0x410 */
	u8 reserved_412[0x1000 - 0x412];
} __packed;

_Static_assert(sizeof(struct vmsa) == 4096, "VMSA is one page");
_Static_assert(offsetof(struct vmsa, tr) == 0x090, "VMSA tr");
_Static_assert(offsetof(struct vmsa, vmpl) == 0x0ca, "VMSA vmpl");
_Static_assert(offsetof(struct vmsa, efer) == 0x0d0, "VMSA efer");
_Static_assert(offsetof(struct vmsa, cr4) == 0x148, "VMSA cr4");
_Static_assert(offsetof(struct vmsa, rip) == 0x178, "VMSA rip");
_Static_assert(offsetof(struct vmsa, rsp) == 0x1d8, "VMSA rsp");
_Static_assert(offsetof(struct vmsa, rax) == 0x1f8, "VMSA rax");
_Static_assert(offsetof(struct vmsa, g_pat) == 0x268, "VMSA g_pat");
_Static_assert(offsetof(struct vmsa, rcx) == 0x308, "VMSA rcx");
_Static_assert(offsetof(struct vmsa, r8) == 0x340, "VMSA r8");
_Static_assert(offsetof(struct vmsa, sev_features) == 0x3b0, "VMSA sev_features");
_Static_assert(offsetof(struct vmsa, guest_exit_code) == 0x3c0, "VMSA guest_exit_code");
_Static_assert(offsetof(struct vmsa, xcr0) == 0x3e8, "VMSA xcr0");
_Static_assert(offsetof(struct vmsa, mxcsr) == 0x408, "VMSA mxcsr");
_Static_assert(offsetof(struct vmsa, x87_fcw) == 0x410, "VMSA x87_fcw");

/* Values for a VMPL0 AP ([L] smp.rs; edk2's AP reset values for the FPU/debug). */
#define VMSA_RFLAGS_RESET 0x2
#define VMSA_DR6_RESET 0xffff0ff0
#define VMSA_DR7_RESET 0x400
#define VMSA_G_PAT_RESET 0x0007040600070406ULL
#define VMSA_XCR0_RESET 1
#define VMSA_MXCSR_RESET 0x1f80
#define VMSA_X87_FTW_RESET 0x5555
#define VMSA_X87_FCW_RESET 0x40
#define VMSA_TR_ATTRIB 0x0089 /* present, 64-bit available TSS */

/* A VMSA segment attribute from a GDT descriptor: access byte and the flags nibble. */
static inline u16 vmsa_attrib_from_desc(u64 desc)
{
	return (u16)(((desc >> 40) & 0xff) | (((desc >> 52) & 0xf) << 8));
}

struct vmsa_ap_params {
	u64 rip, rsp, gs_base, cr3;
	u64 gdt_base, idt_base, tss_base;
	u16 gdt_limit, idt_limit;
	u16 cs_sel, tr_sel;
	u64 cs_desc; /* the GDT descriptor CS is loaded from */
	u64 efer, cr0, cr4;
	u64 sev_features;
};

/* Fill @v (zeroed first) as the VMPL0, CPL0, 64-bit start state of an AP. */
void vmsa_init_ap(struct vmsa *v, const struct vmsa_ap_params *p);

#endif
