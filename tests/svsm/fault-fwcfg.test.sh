#!/bin/bash
# A malformed fw_cfg directory (etc/e820 listed twice, once as 7 bytes): (15, 0x0d) in step 8,
# before any AP is started.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

printf '1234567' >"$TEST_TMP/e820"
boot_svsm --smp 2 --fw-cfg "etc/e820=$TEST_TMP/e820"
expect_termination 15 0x0d
expect_out '^\[cpu0\] console: COM1'
expect_no_later_steps 6
[ "$(stat_nae 0x80000013)" -eq 0 ] || fail "an AP was created after the fw_cfg failure"
