#!/bin/bash
# The test instrument (README "The test instrument") is test equipment no real host has: the
# image's own VMPL (the SVSM's) must never use it, so snpemu stops a run whose image touches
# one of its ports. (The VMPL1 test firmware uses it: tests/guest/fw/test_rmp.c, test_fetch.c.)
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

probe instrument
expect_rc 4
expect_out '^instrument rmp-port$'
expect_no_out '^instrument answered$'
expect_out "^snpemu: RULE: VMPL0 \(the image\) used port 0x5d8: snpemu's test instrument"
echo PASS
