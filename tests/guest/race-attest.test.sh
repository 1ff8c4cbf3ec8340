#!/bin/bash
# Races (issue 7), attestation (test_race.c, race_attest): two vCPUs ask for reports at once
# (one VMPCK0 message sequence: the calls must take turns in it), then vCPU 1 keeps changing
# the report buffer of vCPU 0's request during its calls (the request must be read once and
# only that copy used: SUCCESS with the report where the checked request put it, or
# INVALID_PARAMETER). Both answers must really be seen.
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh

e2e_race attest 2 3000 1 2 3 4 5 6
reports=$(race_sum 'reports ([0-9]+),')
refused=$(race_sum 'INVALID_PARAMETER ([0-9]+)')
echo "with the request changing: $reports reports, $refused INVALID_PARAMETER"
[ "$reports" -gt 0 ] || fail "no report while the request changed"
[ "$refused" -gt 0 ] || fail "never INVALID_PARAMETER: the request never changed in time"
