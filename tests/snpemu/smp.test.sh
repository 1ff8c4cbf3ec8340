#!/bin/bash
# --smp 4: AP creation starts VMPL0 on each AP (APIC IDs 1..3), fw_cfg reports 4 CPUs.
. tests/lib.sh
. tests/snpemu/probe-lib.sh

probe smp --smp 4
expect_rc 0
expect_out '^cpus 4$'
for i in 1 2 3; do
	expect_out "^ap-create apic=$i info1=0x0 info2=0x0$"
	expect_out "^ap $i alive$"
done
[ "$(stat_get 's["vcpus"]')" = 4 ] || fail "stats do not show 4 vCPUs"
echo PASS
