#!/bin/bash
# Races (issue 7): two vCPUs validate and rescind overlapping pages at once (test_race.c,
# race_pvalidate) under snpemu's seeded schedule: every answer SUCCESS, BUSY at the first
# shared page or FAIL_NO_CHANGE, the RMP as the answers say, the SVSM never stopped. Both
# BUSY and FAIL_NO_CHANGE must really be seen.
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh

e2e_race pvalidate 2 3000 1 2 3 4 5 6
busy=$(race_sum 'BUSY answers ([0-9]+)')
nochange=$(race_sum 'FAIL_NO_CHANGE answers ([0-9]+)')
echo "BUSY answers: $busy, FAIL_NO_CHANGE answers: $nochange"
[ "$busy" -gt 0 ] || fail "no request was ever BUSY: the requests never overlapped"
[ "$nochange" -gt 0 ] || fail "no FAIL_NO_CHANGE answer"
