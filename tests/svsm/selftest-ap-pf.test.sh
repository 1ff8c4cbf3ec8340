#!/bin/bash
# Self-test image, case ap-pf: vCPU 1, parked after the boot, is started again at VMPL0 (a new
# VMSA with its own per-CPU data, stack and TSS) and reads the unmapped address there. The
# report comes from vCPU 1 — its registers, CR2, a stack trace on its own stack — and the run
# ends with (15, 0x01).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh
. tests/svsm/selftest-lib.sh

PANIC_CPU=1
boot_selftest ap-pf
expect_out '^\[cpu1\] selftest: vCPU 1 at VMPL0 again, in the self-test$'
expect_panic 15 0x01 14 '#PF page fault' 0
[ "$(reg cr2)" = 0xffffffffc0de1238 ] || fail "CR2 is $(reg cr2), expected 0xffffffffc0de1238"
expect_frame 0 selftest_fault_pf
expect_frame 1 selftest_ap_main
expect_no_out '^\[cpu0\] error:'
