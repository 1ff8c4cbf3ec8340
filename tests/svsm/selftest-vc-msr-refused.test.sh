#!/bin/bash
# Self-test image, case vc-msr-refused: RDMSR of IA32_FEATURE_CONTROL (0x3a), which snpemu's
# host refuses as KVM does an MSR it does not know (the MSR NAE answers with a #GP): the #VC
# cannot be completed, the report names the MSR exit code 0x7c, then (15, 0x0c).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh
. tests/svsm/selftest-lib.sh

boot_selftest vc-msr-refused
expect_panic 15 0x0c 29 '#VC VMM communication' 0x7c
expect_out '^\[cpu0\] error: fatal: the hypervisor refused RDMSR: '
[ "$(reg rcx)" = 0x000000000000003a ] || fail "RCX is $(reg rcx), expected the MSR 0x3a"
expect_frame 0 st_rdmsr
expect_frame 1 selftest_fault_vc_msr_refused
expect_frame 2 selftest_run
expect_no_out 'selftest: rdmsr 0x3a gave'
