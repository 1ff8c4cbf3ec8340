#!/bin/bash
# csvsm and the test firmware under snpemu --host svsm-preview, 4 vCPUs: PSC descriptors of
# at most 64 entries (csvsm's first, of 127 entries, is refused and built again with 64), no
# PSMASH through the PSC (the RMP #NPF PSMASH instead), and the AP creation of the BSP's
# VMPL1 VMSA runs the firmware at once, before csvsm's launch is over.
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh
. tests/guest/host-lib.sh

host_suite svsm-preview 4 370
expect_out '\[cpu0\] mem_init: 254 MiB private and validated \(3 PSC exits, 127 PVALIDATE 2M'
expect_out '^snpemu: host svsm-preview: vCPU 0 runs its new VMPL1 VMSA at once'
# the firmware's first line comes before csvsm's last launch line
first=$(grep -n -m1 '^\[guest\]' "$OUT" | cut -d: -f1)
launched=$(grep -n -m1 'guest: running the firmware at VMPL1' "$OUT" | cut -d: -f1)
[ -n "$first" ] && [ -n "$launched" ] && [ "$first" -lt "$launched" ] ||
	fail "the firmware did not start at the AP creation (line $first, launch line $launched)"
[ "$(stat_get 's["host_psmash"] > 0')" = True ] || fail "no RMP #NPF PSMASH by the host"
echo PASS
