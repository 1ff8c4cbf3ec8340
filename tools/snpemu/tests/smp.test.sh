#!/bin/bash
# --smp 4: AP creation starts VMPL0 on each AP (APIC IDs 1..3), fw_cfg reports 4 CPUs.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

probe "smp ap-checks" --smp 4
expect_rc 0
expect_out '^ap-create wrong-features info1=0x2$'   # RAX must equal the VMSA's features
expect_out '^ap-create unaligned info1=0x2$'
expect_out '^ap-create no-such-apic info1=0x2$'
expect_out '^ap-create shared-page info1=0x2$'      # not a VMSA page
expect_out '^ap-destroy info1=0x0$'
# AP creation per VMPL: VMSA and RAX must carry that VMPL's launch features (VMPL0: the launch
# VMSA's 0x9, VMPL1: the BIOS VMSA's 0x1, VMPL2: the VM's 0x9), even when both agree
expect_out '^ap-create vmpl0-other-features info1=0x2$'
expect_out '^ap-create vmpl1-vmpl0-features info1=0x2$'
expect_out '^ap-create vmpl1-bios-features info1=0x0$'
expect_out '^ap-create vmpl2-vm-features info1=0x0$'
expect_out '^cpus 4$'
for i in 1 2 3; do
	expect_out "^ap-create apic=$i info1=0x0 info2=0x0$"
	expect_out "^ap $i alive$"
done
[ "$(stat_get 's["vcpus"]')" = 4 ] || fail "stats do not show 4 vCPUs"
echo PASS
