/*
 * The devices a real guest firmware (Debian's OVMF at VMPL1) needs from its host beyond the
 * SNP model: port I/O forwarded to QEMU's own chipset (passthru.c) and a local APIC for the
 * guest's VMPLs (vlapic.c). The image's VMPL (the SVSM) sees neither.
 */
#ifndef SNPEMU_GUESTDEV_H
#define SNPEMU_GUESTDEV_H

#include "l1.h"

/* ---- port I/O of the guest's VMPLs to QEMU's devices (passthru.c) ---- */
/* true when @port was forwarded (IN: *val set) */
bool passthru_in(struct vcpu *v, u16 port, int size, u64 *val);
bool passthru_out(struct vcpu *v, u16 port, int size, u64 val);

/* ---- QEMU's fw_cfg items passed through to the guest's fw_cfg (fwcfg_pass.c) ---- */
void fwcfg_pass_init(void);
/* QEMU has a Linux kernel (scripts/snpemu --kernel bzImage): its boot items pass through */
bool fwcfg_pass_linux(void);
bool fwcfg_pass_item(u16 sel);		/* a fixed item (below 0x20) that passes through */
bool fwcfg_pass_file(const char *name); /* a file of QEMU's that the guest sees too */
u32 fwcfg_pass_read(u16 sel, u32 off, u8 *buf, u32 len);

/* ---- MSRs a guest kernel uses, answered as KVM does (guestmsr.c) ---- */
/* true when @msr exists (*val read or written), false: #GP */
bool guest_msr(struct vcpu *v, u32 msr, bool write, u64 *val);

/* ---- the guest's local APIC (vlapic.c) ---- */
#define VLAPIC_GPA 0xfee00000ULL
/* MMIO NAE on the APIC page by a guest VMPL: false when this vCPU's context has none. */
bool vlapic_mmio(struct vcpu *v, u64 gpa, bool write, u64 *val, unsigned int len);
/* Before VMRUN (emu_lock held): inject a deliverable interrupt, arm the L1's own timer. */
void vlapic_enter(struct vcpu *v);
/* HLT of a guest VMPL (emu_lock held): true if it resumes at once (an interrupt is
 * deliverable), false if it must park (then an interrupt resumes it if IF was set). */
bool vlapic_hlt(struct vcpu *v);
/* The L1 CPU of idle vCPU @v woke (emu_lock held): true if an interrupt resumed its halted
 * VMPL (vcpu_unpark); else its L1 timer is armed for the VMPL's deadline, if any. */
bool vlapic_wake(struct vcpu *v);
/* Every vCPU is idle (emu_lock held): true if a halted vCPU's timer will wake it (its L1 CPU
 * sleeps until then), false if nothing can wake anyone. */
bool vlapic_all_idle(void);
/* MSR 0x6e0 (IA32_TSC_DEADLINE) of @v: true (it exists), *val read or written. */
bool vlapic_tsc_deadline(struct vcpu *v, bool write, u64 *val);
/* --stats: interrupts injected, guest clock ticks skipped by HLT */
void vlapic_stats(void);

#endif
