#!/bin/bash
# Races (issue 12): four vCPUs ask for attestation reports at once (test_attest.c,
# test_attest_race) under snpemu's seeded schedule, which switches vCPUs inside the SVSM's
# calls. Every report must come complete: one SNP guest message at a time, so no sequence
# number is used twice (the PSP would refuse the second message and the SVSM then disables
# VMPCK0 for good, failing every later call).
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh

e2e_race attest 4 3000 1 2 3
echo PASS
