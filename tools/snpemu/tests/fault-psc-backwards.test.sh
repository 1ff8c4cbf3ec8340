#!/bin/bash
# --fault psc-backwards: the host does the work but reports cur_entry 0 (no progress).
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh
probe psc --fault psc-backwards
expect_rc 0
expect_out '^psc progress-violation cur=0$'
echo PASS
