#!/bin/bash
# End to end (issue 4): the VMPL1 test firmware with four vCPUs: a VMSA created through
# CREATE_VCPU runs, and four vCPUs validate and rescind pages through the SVSM at once.
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh

# 362 checks with four vCPUs; 8 fewer with 4 KiB RMP entries for the 2 MiB ranges (smp1).
e2e_suite 4 354
expect_no_out '\[guest\] skip - .*vCPU'
expect_out '\[guest\] ok - the created VMSA runs'
for cpu in 0 1 2 3; do
	expect_out "\[guest\] ok - vCPU $cpu: 12 rounds of validate/rescind"
	expect_out "\[guest\] ok - vCPU $cpu: 3 reports alongside the other vCPUs, each complete"
done
# The RMP checks (test_rmp.c) ran with CREATE_VCPU available.
expect_out '\[guest\] ok - rescinded page 0: not validated, VMPL1-3 access revoked'
expect_out '\[guest\] ok - a registered VMSA page: VMSA bit, VMPL1 read-only'
expect_out '\[guest\] ok - after DELETE_VCPU the VMSA page is VMPL1 RWX again'
expect_out '\[guest\] ok - CREATE_VCPU of a valid VMSA: the SVSM read the VMSA only once VMPL1 could not write it'
