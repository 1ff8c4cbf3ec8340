#!/bin/bash
# Self-test image, case ap-early: vCPU 1 is started again through the SVSM's own AP entry
# (svsm_ap_start, ap_main) with its TSS descriptor still busy from its first start, so the LTR
# in ap_main raises #GP(0x10, the TSS selector). That fault comes early in an AP's life: its
# report must still reach the console through a registered GHCB and end the run with
# (15, 0x01). (Before ap_main registered the GHCB first, the report went through the
# unregistered GHCB, and snpemu, like KVM, stopped the machine: exit status 4.)
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh
. tests/svsm/selftest-lib.sh

PANIC_CPU=1
boot_selftest ap-early
expect_panic 15 0x01 13 '#GP general protection' 0x10
expect_frame 0 ltr
expect_frame 1 ap_main
expect_no_out '^\[cpu0\] error:'
