#!/bin/bash
# Self-test image, case vc-wbinvd: WBINVD raises a #VC with exit code 0x89, which the SVSM does
# not handle: the report names the exit code (vector 29, error code 0x89), then (15, 0x0c).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh
. tests/svsm/selftest-lib.sh

boot_selftest vc-wbinvd
expect_panic 15 0x0c 29 '#VC VMM communication' 0x89
expect_out '^\[cpu0\] error: fatal: #VC with exit code 0x89, which the SVSM does not handle: '
expect_frame 0 st_wbinvd
expect_frame 1 selftest_fault_vc_wbinvd
expect_frame 2 selftest_run
expect_trace_has guest_launch
expect_no_out 'selftest: wbinvd done'
