#!/bin/bash
# Debian's OVMF at VMPL1 under csvsm, one vCPU: the UEFI application finds the SVSM through
# OVMF's confidential-computing blob and its calls succeed (tests/ovmf/ovmf-lib.sh).
. tests/tlib/tlib.sh
. tests/ovmf/ovmf-lib.sh

ovmf_run 1
[ "$(stat_get 'sum(1 for c in s["calls"] if int(c["rax"], 16) == 2)')" -eq 0 ] ||
	fail "CREATE_VCPU with one vCPU"
echo "OVMF at VMPL1 ran svsmtest.efi: pass"
