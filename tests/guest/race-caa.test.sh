#!/bin/bash
# Races (issue 7), the calling-area race: CREATE_VCPU gives vCPU X a new VMSA and calling area
# while X is in a call, and X's old calling area is offered as another vCPU's VMSA (test_race.c,
# race_caa). While X's call runs the SVSM still writes that page (call_pending, `next`), so it
# must stay claimed (BUSY) and never be written once it is a VMSA.
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh

e2e_race caa 3 3000 1 2 3 4 5 6
caught=$(race_sum '^seed [0-9]+: ([0-9]+) of')
busy=$(race_sum 'BUSY answers ([0-9]+)')
echo "rounds with X caught in its call: $caught, BUSY answers: $busy"
[ "$caught" -gt 0 ] || fail "the schedule never caught X in its call"
[ "$busy" -gt 0 ] || fail "X's old calling area was never BUSY"
