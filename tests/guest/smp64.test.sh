#!/bin/bash
# 64 vCPUs (snpemu's maximum, MAX_CPUS): csvsm creates and starts 63 APs (each registers its
# GHCB and reports ready), then the test firmware's suite runs. The firmware itself uses 8 of
# the vCPUs (tests/guest/fw/layout.h MAX_CPUS: its stacks, VMSAs, GHCBs and concurrency ranges
# are laid out for 8): CREATE_VCPU, the concurrent validate/rescind rounds and the attestation
# calls run on 8 vCPUs, the other 56 stay parked at VMPL0 with no VMPL1.
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh

e2e_suite 64 400
expect_out '^\[cpu0\] smp: 64 vCPUs ready$'
expect_out '^\[cpu63\] vCPU 63 ready \(APIC ID 63\)$'
expect_out '\[guest\] # 8 vCPUs, BSP APIC ID 0'
for cpu in 0 7; do
	expect_out "\[guest\] ok - vCPU $cpu: 12 rounds of validate/rescind"
done
[ "$(stat_get 's["vcpus"]')" = 64 ] || fail "stats do not show 64 vCPUs"
[ "$(stat_get 's["boot"]["vmgexit"]["0x80000013"]')" -ge 63 ] || fail "fewer than 63 AP creations"
echo PASS
