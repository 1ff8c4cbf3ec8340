#!/bin/bash
# --fault psc-lie[=N]: page state changes (from the Nth) report success but leave the RMP
# unchanged; PVALIDATE afterwards exposes the lie.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh
probe psc --fault psc-lie=2
expect_rc 0
expect_out '^snpemu: fault psc-lie'
expect_out '^psc n=8 issues=1 cur=8 err=0x0$'
expect_out '^psc-check validated=0 failed=8$'
# from the first one: the probe's own GHCB stays private and the probe notices
probe pass --fault psc-lie
expect_rc 2
expect_out 'SVSM terminated: reason set 15 code 0x19'
echo PASS
