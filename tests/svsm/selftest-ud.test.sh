#!/bin/bash
# Self-test image, case ud: ud2 (snpemu reflects the #UD it intercepts, as it is no SNP
# instruction): reported as #UD at the instruction, then (15, 0x01).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh
. tests/svsm/selftest-lib.sh

boot_selftest ud
expect_panic 15 0x01 6 '#UD invalid opcode' 0
rip=$(reg rip)
[ "$(func_at "$rip")" = selftest_fault_ud ] || fail "RIP is not in selftest_fault_ud"
objdump -d --start-address="$rip" --stop-address=$((rip + 2)) "$ELF" | grep -qE '\sud2' ||
	fail "the instruction at RIP $rip is not ud2"
expect_frame 0 selftest_fault_ud
expect_frame 1 selftest_run
expect_trace_has guest_launch
