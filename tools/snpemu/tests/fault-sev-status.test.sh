#!/bin/bash
# --fault sev-status=VALUE: SEV_STATUS reads VALUE and the VMPL0 VMSA gets VALUE >> 2.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh
probe pass
expect_out '^sev-status 0x27$'
probe smp --smp 2 --fault sev-status=0x7
expect_rc 0
expect_out '^sev-status 0x7$'
expect_out '^ap 1 alive$'   # the AP VMSA carries SEV_STATUS >> 2 = 0x1 and is accepted
echo PASS
