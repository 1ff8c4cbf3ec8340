#!/bin/bash
# --fault ghcb-version=MIN:MAX: the SEV information response carries that range.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh
probe pass
expect_out '^sev-info min=1 max=2 cbit=51$'
probe pass --fault ghcb-version=1:1
expect_rc 0
expect_out '^sev-info min=1 max=1 cbit=51$'
probe pass --fault ghcb-version=3:7
expect_out '^sev-info min=3 max=7 cbit=51$'
run_snpemu --fault ghcb-version=4:2 "$PROBE"
expect_rc 4
expect_out "bad option 'ghcb-version=4:2'"
echo PASS
