#!/bin/bash
# --fault ap-create-fail: AP creation is refused (exit_info_1 = 2, exit_info_2 = 5).
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh
probe smp --smp 2 --fault ap-create-fail
expect_rc 0
expect_out '^ap-create apic=1 info1=0x2 info2=0x5$'
expect_no_out 'alive'
echo PASS
