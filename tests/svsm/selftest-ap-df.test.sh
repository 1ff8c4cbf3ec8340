#!/bin/bash
# Self-test image, case ap-df: vCPU 1, started again at VMPL0, recurses into the guard page of
# its own stack: #DF on its own IST stack (its TSS, not the BSP's), the report from vCPU 1,
# then (15, 0x15).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh
. tests/svsm/selftest-lib.sh

PANIC_CPU=1
boot_selftest ap-df
expect_panic 15 0x15 8 '#DF double fault' 0
bounds=$(grep -aoE '^\[cpu1\] selftest: recursing down the stack \[0x[0-9a-f]+, 0x[0-9a-f]+\)' \
	"$OUT") || fail "no stack bounds line from vCPU 1"
lo=$(echo "$bounds" | grep -oE '0x[0-9a-f]+' | head -1)
guard=$((lo - 4096))
for r in cr2 rsp; do
	v=$(reg $r)
	((v >= guard && v < lo)) || fail "$r $v is not in the guard page below $lo"
done
expect_frame 0 selftest_recurse
expect_frame 1 selftest_recurse
expect_no_out '^\[cpu0\] error:'
