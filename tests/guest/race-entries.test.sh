#!/bin/bash
# Races (issue 7), a request's entries are claimed while it runs: vCPU 0's PVALIDATE requests
# rescind page P first and validate it again last, while vCPU 1 moves its calling area to P
# (test_race.c, race_entries). REMAP_CA to P must be SUCCESS or BUSY, never INVALID_ADDRESS (P
# is unvalidated only while a request holds it), and BUSY must really be seen.
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh

e2e_race entries 2 3000 1 2 3 4 5 6
busy=$(race_sum 'BUSY answers ([0-9]+)')
moved=$(race_sum 'REMAP_CA to P ([0-9]+)')
echo "BUSY answers: $busy, REMAP_CA to P: $moved"
[ "$busy" -gt 0 ] || fail "REMAP_CA to P was never BUSY: the calls never overlapped"
[ "$moved" -gt 0 ] || fail "REMAP_CA to P never succeeded"
