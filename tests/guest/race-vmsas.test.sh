#!/bin/bash
# Races (issue 7), the VMSA-count race: two vCPUs ask for another vCPU's last VMSA slot at once
# (test_race.c, race_vmsas): one gets it, the other INVALID_REQUEST, and the SVSM never
# terminates (two calls both past the limit would overfill its registry).
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh

e2e_race vmsas 3 3000 1 2 3 4 5 6
expect_out '\[guest\] ok - 10 rounds: of two CREATE_VCPU for the last VMSA slot \(limit 4\)'
