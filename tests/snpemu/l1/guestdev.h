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

/* ---- the guest's local APIC (vlapic.c) ---- */
#define VLAPIC_GPA 0xfee00000ULL
/* MMIO NAE on the APIC page by a guest VMPL: false when this vCPU's context has none. */
bool vlapic_mmio(struct vcpu *v, u64 gpa, bool write, u64 *val, unsigned int len);
/* Before VMRUN (emu_lock held): inject a deliverable interrupt, arm the L1's own timer. */
void vlapic_enter(struct vcpu *v);
/* HLT of a guest VMPL (emu_lock held): true if an interrupt will wake it (the clock then
 * jumps to the timer's deadline), false if it must park. */
bool vlapic_hlt(struct vcpu *v);
/* The guests' TSC offset: the time HLTs skipped. */
u64 vlapic_tsc_offset(void);
/* --stats: interrupts injected, guest clock ticks skipped by HLT */
void vlapic_stats(void);

#endif
