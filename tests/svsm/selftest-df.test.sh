#!/bin/bash
# Self-test image, case df: unbounded recursion runs the BSP's boot stack into its guard page.
# The #PF cannot be delivered on the exhausted stack, so the CPU raises #DF, which only works
# on its own IST stack: the report comes from there (RSP of the frame inside the guard page,
# CR2 the faulting address in it), then (15, 0x15).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh
. tests/svsm/selftest-lib.sh

boot_selftest df
expect_panic 15 0x15 8 '#DF double fault' 0
bounds=$(grep -aoE 'recursing down the stack \[0x[0-9a-f]+, 0x[0-9a-f]+\)' "$OUT") ||
	fail "no stack bounds line"
lo=$(echo "$bounds" | grep -oE '0x[0-9a-f]+' | head -1)
guard=$((lo - 4096))
for r in cr2 rsp; do
	v=$(reg $r)
	# unsigned comparison of kernel addresses: both sides are negative as bash integers
	((v >= guard && v < lo)) || fail "$r $v is not in the guard page below $lo"
done
expect_frame 0 selftest_recurse
expect_frame 1 selftest_recurse
