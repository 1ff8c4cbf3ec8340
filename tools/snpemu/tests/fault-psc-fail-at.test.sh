#!/bin/bash
# --fault psc-fail-at=N: the Nth page state change fails; earlier ones are done, cur_entry
# stays on the failing entry. (#1 is the probe's GHCB through the MSR protocol.)
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh
probe psc --fault psc-fail-at=5
expect_rc 0
expect_out '^snpemu: fault psc-fail-at: failing page state change #5'
expect_out '^psc n=8 issues=1 cur=3 err=0x10000000000$'
expect_out '^psc-check validated=3 failed=5$'
# N = 1 hits the MSR protocol: the probe terminates like an SVSM would
probe pass --fault psc-fail-at=1
expect_rc 2
expect_out 'SVSM terminated: reason set 15 code 0x19'
echo PASS
