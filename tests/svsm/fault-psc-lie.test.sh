#!/bin/bash
# A hypervisor that claims page state changes it did not do, from the 2nd on (a lie about
# start.S's conversion to shared, the 1st, cannot be seen by a guest: its own access then
# faults in the host): the first PVALIDATE of dynamic memory fails, (15, 0x0a), and nothing
# of it is used.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault psc-lie=2
expect_termination 15 0x0a
expect_no_later_steps 0
[ "$(stat_get "s['pvalidate']['failed']")" -eq 1 ] || fail "expected exactly one failed PVALIDATE"
