#!/bin/bash
# Debian's Linux 6.12 at VMPL1 through Debian's OVMF under csvsm, four vCPUs, 4 GiB: as smp1,
# and Linux started its three APs through the SVSM (CREATE_VCPU, then the AP creation NAE),
# took CPU 3 offline and brought it back with a new VMSA (CREATE_VCPU, then DELETE_VCPU of
# the old one: wakeup_cpu_via_vmgexit creates before it deletes).
. tests/tlib/tlib.sh
. tests/linux/linux-lib.sh

linux_run 4 "$LINUX_MIB" "$LINUX_UNACC"
for c in 0 1 2 3; do
	expect_out "csvsm-init: ok: a task ran on CPU $c$"
done
expect_out 'csvsm-init: ok: CPU 3 taken offline$'
expect_out 'csvsm-init: ok: CPU 3 is offline \(3 online\)$'
expect_out 'csvsm-init: ok: CPU 3 brought online again$'
expect_out 'csvsm-init: ok: CPU 3 is online \(4 online\)$'
expect_out 'csvsm-init: ok: a task ran on CPU 3 after it came back$'
expect_out 'smpboot: CPU 3 is now offline'

# The calls in order: the last two are Linux's hotplug of CPU 3 (create, then delete), and
# before them its three CREATE_VCPU for the APs at boot, after OVMF's (PEI and DXE: at least 6)
order=$(stat_get '"".join("CD"[int(c["rax"], 16) - 2] for c in s["calls"] if int(c["rax"], 16) in (2, 3))')
echo "CREATE_VCPU (C) and DELETE_VCPU (D) in order: $order"
[[ "$order" == *CD ]] || fail "the hotplug did not end with CREATE_VCPU then DELETE_VCPU"
creates=$(echo "$order" | tr -cd C | wc -c)
[ "$creates" -ge 10 ] || fail "$creates CREATE_VCPU calls: OVMF's 6, Linux's 3 APs and 1 hotplug"
nae=$(stat_get 's["vmgexit"].get("0x80000013", 0)')
[ "$nae" -ge $((4 + creates)) ] || fail "$nae AP creation NAEs, want at least $((4 + creates))"
echo "Linux at VMPL1 with four vCPUs, an AP offline and online again: pass"
