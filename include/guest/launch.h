/* SPDX-License-Identifier: MIT */
/*
 * The guest launch ([L] start_bios), the last step of svsm_main:
 *
 *  1. the firmware's location from fw_cfg etc/bios_gpa and etc/bios_size (none: 15,
 *     TERM_NO_FIRMWARE; unusable files: 15, TERM_FWCFG); it must not overlap SVSM memory and
 *     must end at or below 4 GiB (15, TERM_BAD_FIRMWARE);
 *  2. the firmware made private and validated (page state change + PVALIDATE): it is
 *     launch-measured, so PVALIDATE must report "unchanged" (else 15, TERM_BAD_FIRMWARE:
 *     the host did not measure what it calls the firmware);
 *  3. its metadata parsed (guest/fwmeta.h; malformed: 15, TERM_BAD_FIRMWARE); every section
 *     must be guest RAM outside SVSM memory (15, TERM_BAD_FIRMWARE);
 *  4. the sections made private and validated; pages the host provided (not launch-measured)
 *     zeroed; VMPL1 granted RWX on pre-validated memory and the firmware, RW on the secrets,
 *     CPUID and calling-area pages;
 *  5. the guest's secrets page: a copy of the SVSM's with VMPCK0 cleared and svsm_base,
 *     svsm_size, svsm_caa, svsm_max_version = 1, svsm_guest_vmpl = 1 (SVSM spec #58019); its CPUID
 *     page: a copy of the SVSM's; its calling area zeroed;
 *  6. the host's BIOS BSP VMSA (SVSM metadata type 5) checked (guest/vmsa_check.h; else 15,
 *     TERM_BIOS_VMSA), copied to an SVSM page that is not 2 MiB aligned, its VMSA bit set,
 *     registered with the AP creation NAE (VMPL1, the BSP's APIC ID; refused: 15,
 *     TERM_AP_CREATE);
 *  7. a self-test of the guest-memory fault path (a copy from a page that is not validated
 *     must come back -EFAULT, not fault: else 15, TERM_GUEST_LAUNCH);
 * Then svsm_main enters the request loop (protocol/loop.h), whose first run-VMPL starts the
 * firmware.
 * Page state change failures are (15, TERM_PSC), a failing PVALIDATE of guest memory
 * (15, TERM_GUEST_LAUNCH), a failing RMPADJUST (15, TERM_RMPADJUST).
 */
#ifndef CSVSM_GUEST_LAUNCH_H
#define CSVSM_GUEST_LAUNCH_H

void guest_launch(void);

#endif
