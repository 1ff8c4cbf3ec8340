#!/bin/bash
# The very first page state change fails: start.S's MSR-protocol request to make the early
# GHCB shared. start.S checks the response and terminates with (15, 0x19) before any C runs:
# no GHCB negotiation follows.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault psc-fail-at=1
expect_termination 15 0x19
expect_no_later_steps 0
[ "$(stat_msr 0x014)" -eq 1 ] || fail "expected exactly one MSR-protocol page state change"
[ "$(stat_msr 0x002)" -eq 0 ] || fail "GHCB negotiation after the failed early conversion"
