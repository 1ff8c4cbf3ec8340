#!/bin/bash
# A hypervisor whose GHCB protocol range lacks version 2: (0, 0x01), nothing after the
# SEV information request (no feature request, no GHCB registration, no NAE).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault ghcb-version=1:1
expect_termination 0 0x01
expect_no_later_steps 0
[ "$(stat_msr 0x002)" -eq 1 ] || fail "expected one SEV information request"
[ "$(stat_msr 0x080)" -eq 0 ] || fail "hypervisor features requested after the version check"
[ "$(stat_msr 0x012)" -eq 0 ] || fail "GHCB registered after the version check"
[ "$(stat_get "len(s['vmgexit'])")" -eq 0 ] || fail "NAE exits after the version check"

# A range above version 2 lacks it just as well (GHCB spec #56421 "SEV Information").
boot_svsm --fault ghcb-version=3:4
expect_termination 0 0x01
[ "$(stat_msr 0x080)" -eq 0 ] || fail "hypervisor features requested after the version check"
