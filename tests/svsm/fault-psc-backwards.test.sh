#!/bin/bash
# A hypervisor that moves the PSC descriptor's cur_entry backwards: the progress rules are
# broken, (15, 0x09), and no memory is validated.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault psc-backwards
expect_termination 15 0x09
expect_no_later_steps 0
[ "$(stat_get "s['pvalidate']['2m']")" -eq 0 ] || fail "PVALIDATE after the broken PSC"
