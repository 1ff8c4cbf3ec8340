#!/bin/bash
# SEV_STATUS without RestrictedInjection (SEV, SEV-ES, SNP only): (15, 0x05) before
# any exchange with the hypervisor.
. tests/lib.sh
. tests/svsm/svsm_lib.sh

boot_svsm --fault sev-status=0x7
expect_termination 15 0x05
expect_no_later_steps 0
[ "$(stat_msr 0x002)" -eq 0 ] || fail "GHCB negotiation after a failed SEV_STATUS check"
