#!/bin/bash
# Debian's OVMF at VMPL1 under csvsm, four vCPUs: as smp1, and OVMF created its three APs
# through the SVSM: CREATE_VCPU (protocol 0 call 2) for each, then the AP creation NAE.
. tests/tlib/tlib.sh
. tests/ovmf/ovmf-lib.sh

ovmf_run 4
create=$(stat_get 'sum(1 for c in s["calls"] if int(c["rax"], 16) == 2)')
nae=$(stat_get 's["vmgexit"].get("0x80000013", 0)')
echo "CREATE_VCPU calls: $create; AP creation NAEs: $nae"
# MpInitLib starts the APs in PEI and again in DXE: at least one CREATE_VCPU per AP each time
[ "$create" -ge 6 ] || fail "$create CREATE_VCPU calls for 3 APs, want at least 6"
# csvsm's own 4 (its 3 APs and the boot VMSA) and OVMF's create for each CREATE_VCPU
[ "$nae" -ge $((4 + create)) ] || fail "$nae AP creation NAEs, want at least $((4 + create))"
echo "OVMF at VMPL1 with 4 vCPUs created its APs through the SVSM and ran svsmtest.efi: pass"
