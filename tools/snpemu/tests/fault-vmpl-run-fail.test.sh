#!/bin/bash
# --fault vmpl-run-fail: the host refuses every run-VMPL request for a lower VMPL.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh
probe vmpl1 --fault vmpl-run-fail
expect_rc 0
expect_out '^snpemu: fault vmpl-run-fail: refusing to run VMPL1$'
expect_out '^run-vmpl1 refused resp=0x100000017$'
echo PASS
