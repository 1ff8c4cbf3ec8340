#!/bin/bash
# --fault launch-vmpl=N: the host launches the image at VMPL N (keeping VMPL0 for itself) with
# full VMPL N access to the image and metadata pages. The probe's first check, RMPADJUST of its
# own page for VMPL1, then fails with FAIL_PERMISSION (2) and it stops with (15, 0x04), as the
# SVSM must; RMPADJUST for the VMPLs above tells the probe which VMPL it really runs at.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

probe pass
expect_rc 0
expect_out '^vmpl-check rmpadjust-vmpl1 rc=0 vmpl=0$'
for n in 1 2 3; do
	probe pass --fault launch-vmpl=$n
	expect_rc 2
	expect_out "^snpemu: launched .* at VMPL$n,"
	expect_out "^vmpl-check rmpadjust-vmpl1 rc=2 vmpl=$n\$"
	expect_out '^snpemu: SVSM terminated: reason set 15 code 0x04$'
	[ "$(stat_get 's["termination"]["vmpl"]')" = $n ] || fail "termination not from VMPL$n"
done
run_snpemu --fault launch-vmpl=4 "$PROBE"
expect_rc 4
expect_out "bad option 'launch-vmpl=4'"
echo PASS
