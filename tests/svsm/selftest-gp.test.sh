#!/bin/bash
# Self-test image, case gp: a read of a non-canonical address: #GP(0), reported with the
# address in RAX, then (15, 0x01).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh
. tests/svsm/selftest-lib.sh

boot_selftest gp
expect_panic 15 0x01 13 '#GP general protection' 0
[ "$(reg rax)" = 0x8000000000000000 ] || fail "RAX is $(reg rax), expected the address"
expect_frame 0 selftest_fault_gp
expect_frame 1 selftest_run
expect_trace_has guest_launch
expect_no_out 'selftest: (read 0x|the read did not fault)'
