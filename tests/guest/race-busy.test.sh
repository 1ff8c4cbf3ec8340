#!/bin/bash
# Races (issue 7): three vCPUs claim one page at once through PVALIDATE, REMAP_CA and
# CREATE_VCPU (test_race.c, race_busy) under snpemu's seeded schedule. Every answer must be
# SUCCESS, BUSY (another vCPU's call holds the page) or INVALID_ADDRESS (the page is
# registered), the page must end as it started, and BUSY must really be seen.
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh

e2e_race busy 4 3000 1 2 3 4 5 6
busy=$(race_sum 'BUSY answers ([0-9]+)')
remap=$(race_sum 'REMAP_CA ([0-9]+)')
create=$(race_sum 'CREATE_VCPU ([0-9]+)')
echo "BUSY answers: $busy (REMAP_CA $remap, CREATE_VCPU $create)"
[ "$remap" -gt 0 ] || fail "REMAP_CA never answered BUSY"
[ "$create" -gt 0 ] || fail "CREATE_VCPU never answered BUSY"
