#!/bin/bash
# A hypervisor without multi-VMPL support (feature bit 5): (0, 0x02), no GHCB
# registration and no NAE.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault hv-features=0x1f
expect_termination 0 0x02
expect_no_later_steps 0
[ "$(stat_msr 0x080)" -eq 1 ] || fail "expected one hypervisor feature request"
[ "$(stat_msr 0x012)" -eq 0 ] || fail "GHCB registered without the required features"
[ "$(stat_get "len(s['vmgexit'])")" -eq 0 ] || fail "NAE exits after the feature check"
