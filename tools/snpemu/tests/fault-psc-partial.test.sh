#!/bin/bash
# --fault psc-partial=N: at most N entries per PSC exit (honest); the guest must re-issue.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh
probe psc-big --fault psc-partial=16
expect_rc 0
expect_out '^psc n=200 issues=13 cur=200 err=0x0$'
expect_out '^psc-check validated=200 failed=0$'
echo PASS
