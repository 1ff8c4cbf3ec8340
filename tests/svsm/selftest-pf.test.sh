#!/bin/bash
# Self-test image, case pf: a read of an unmapped address (PF_ADDR in the module) after the
# boot. The SVSM's #PF handler prints the report — vector, error code 0 (a read of a page that
# is not present), every register, CR2 = the address, a stack trace through the module's
# functions — and terminates with (15, 0x01).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh
. tests/svsm/selftest-lib.sh

boot_selftest pf
expect_panic 15 0x01 14 '#PF page fault' 0
expect_out '^\[cpu0\] selftest: reading 0xffffffffc0de1238 \(not mapped\)$'
[ "$(reg cr2)" = 0xffffffffc0de1238 ] || fail "CR2 is $(reg cr2), expected 0xffffffffc0de1238"
[ "$(func_at "$(reg rip)")" = selftest_fault_pf ] || fail "RIP is not in selftest_fault_pf"
expect_frame 0 selftest_fault_pf
expect_frame 1 selftest_run
expect_trace_has guest_launch
expect_no_out 'selftest: (read 0x|the read did not fault)'
