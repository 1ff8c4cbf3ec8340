#!/bin/bash
# A hypervisor that answers the GHCB registration with another GFN: (15, 0x07), and
# the GHCB is never used for a NAE.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault register-ghcb-gfn=0x1234
expect_termination 15 0x07
expect_no_later_steps 0
[ "$(stat_get "len(s['vmgexit'])")" -eq 0 ] || fail "NAE exits through an unregistered GHCB"
