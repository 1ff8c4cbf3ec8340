#!/bin/bash
# Self-test image, case de: DIV by zero: #DE, reported with the dividend and divisor registers,
# a stack trace through the assembly function and its C caller, then (15, 0x01).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh
. tests/svsm/selftest-lib.sh

boot_selftest de
expect_panic 15 0x01 0 '#DE divide error' 0
[ "$(reg rax)" = 0x0000000000001234 ] && [ "$(reg rcx)" = 0x0000000000000000 ] ||
	fail "RAX/RCX are $(reg rax)/$(reg rcx), expected the dividend 0x1234 and the divisor 0"
expect_frame 0 st_div0
expect_frame 1 selftest_fault_de
expect_frame 2 selftest_run
expect_trace_has guest_launch
expect_no_out 'selftest: divided by zero'
