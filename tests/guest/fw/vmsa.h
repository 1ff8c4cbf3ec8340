/*
 * The VMSA page (facts §6, Linux struct sev_es_save_area): the fields a VMPL1 AP needs. Every
 * other byte of the page is reserved or state we leave zero. Written from the facts, not from
 * the SVSM's include/sev/vmsa.h: the SVSM checks the VMSAs this firmware hands it.
 */
#ifndef CSVSM_GUEST_VMSA_H
#define CSVSM_GUEST_VMSA_H

#include <stddef.h>
#include "lib/types.h"

/* EFER.SVME: a VMSA is runnable only with it set (facts §6). */
#define EFER_SVME BIT_ULL(12)

struct vmsa_seg {
	u16 selector;
	u16 attrib; /* VMCB format: [3:0] type, 4 S, [6:5] DPL, 7 P, 8 AVL, 9 L, 10 D/B, 11 G */
	u32 limit;
	u64 base;
} __packed;

struct vmsa {
	struct vmsa_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x000 */
	u8 reserved_0a0[0x2a];
	u8 vmpl; /* 0x0ca */
	u8 cpl;
	u8 reserved_0cc[4];
	u64 efer; /* 0x0d0 */
	u8 reserved_0d8[0x68];
	u64 xss; /* 0x140 */
	u64 cr4;
	u64 cr3;
	u64 cr0;
	u64 dr7;
	u64 dr6;
	u64 rflags;
	u64 rip; /* 0x178 */
	u8 reserved_180[0x58];
	u64 rsp; /* 0x1d8 */
	u8 reserved_1e0[0x18];
	u64 rax; /* 0x1f8 */
	u8 reserved_200[0x68];
	u64 g_pat; /* 0x268 */
	u8 reserved_270[0x98];
	u64 rcx; /* 0x308 */
	u64 rdx;
	u64 rbx;
	u64 reserved_320;
	u64 rbp;
	u64 rsi;
	u64 rdi; /* 0x338 */
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u8 reserved_380[0x30];
	u64 sev_features; /* 0x3b0 */
	u64 vintr_ctrl;
	u64 guest_exit_code;
	u64 virtual_tom;
	u8 reserved_3d0[0x18];
	u64 xcr0; /* 0x3e8 */
	u8 reserved_3f0[0x10];
	u64 x87_dp; /* 0x400 */
	u32 mxcsr;
	u16 x87_ftw;
	u16 x87_fsw;
	u16 x87_fcw; /* 0x410 */
	u8 reserved_412[0x1000 - 0x412];
} __packed;

_Static_assert(sizeof(struct vmsa) == 4096, "VMSA is one page");
_Static_assert(offsetof(struct vmsa, vmpl) == 0x0ca, "vmpl");
_Static_assert(offsetof(struct vmsa, efer) == 0x0d0, "efer");
_Static_assert(offsetof(struct vmsa, cr4) == 0x148, "cr4");
_Static_assert(offsetof(struct vmsa, rip) == 0x178, "rip");
_Static_assert(offsetof(struct vmsa, rsp) == 0x1d8, "rsp");
_Static_assert(offsetof(struct vmsa, rax) == 0x1f8, "rax");
_Static_assert(offsetof(struct vmsa, g_pat) == 0x268, "g_pat");
_Static_assert(offsetof(struct vmsa, rcx) == 0x308, "rcx");
_Static_assert(offsetof(struct vmsa, rdi) == 0x338, "rdi");
_Static_assert(offsetof(struct vmsa, r8) == 0x340, "r8");
_Static_assert(offsetof(struct vmsa, sev_features) == 0x3b0, "sev_features");
_Static_assert(offsetof(struct vmsa, guest_exit_code) == 0x3c0, "guest_exit_code");
_Static_assert(offsetof(struct vmsa, xcr0) == 0x3e8, "xcr0");
_Static_assert(offsetof(struct vmsa, mxcsr) == 0x408, "mxcsr");
_Static_assert(offsetof(struct vmsa, x87_fcw) == 0x410, "x87_fcw");

#endif
