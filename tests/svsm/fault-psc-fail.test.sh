#!/bin/bash
# A page state change the hypervisor fails (the 5th: start.S's early GHCB is the 1st, then
# mem_init's 2 MiB entries): (15, 0x09), and no memory is validated after it.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault psc-fail-at=5
expect_termination 15 0x09
expect_no_later_steps 0
# start.S's rescind of the early GHCB is the only PVALIDATE (a 4 KiB one).
[ "$(stat_get "s['pvalidate']['2m']")" -eq 0 ] || fail "PVALIDATE after the failed page state change"
