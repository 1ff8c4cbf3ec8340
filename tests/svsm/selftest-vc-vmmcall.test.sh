#!/bin/bash
# Self-test image, case vc-vmmcall: VMMCALL raises a #VC with exit code 0x81, which the SVSM does
# not handle: the report names the exit code (vector 29, error code 0x81), then (15, 0x0c).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh
. tests/svsm/selftest-lib.sh

boot_selftest vc-vmmcall
expect_panic 15 0x0c 29 '#VC VMM communication' 0x81
expect_out '^\[cpu0\] error: fatal: #VC with exit code 0x81, which the SVSM does not handle: '
expect_frame 0 st_vmmcall
expect_frame 1 selftest_fault_vc_vmmcall
expect_frame 2 selftest_run
expect_trace_has guest_launch
expect_no_out 'selftest: vmmcall done'
