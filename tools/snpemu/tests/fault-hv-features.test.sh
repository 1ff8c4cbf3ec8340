#!/bin/bash
# --fault hv-features=MASK: the MSR protocol (0x080) and NAE 0x8000fffd report MASK.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh
probe pass
expect_out '^hv-features 0x33$'
probe pass --fault hv-features=0x1
expect_rc 0
expect_out '^hv-features 0x1$'
echo PASS
