#!/bin/bash
# snp-measure against snpemu's PSP model: the launch digest snpemu computes while it launches
# (`--verbose` prints "snpemu: launch digest HEX", tools/snpemu/README.md) must equal
# snp-measure's for the same images: the probe alone, the probe with its firmware, svsm.bin with
# the test firmware on 1 and 4 vCPUs (APs are not launch-measured). Two implementations of one
# definition, in C and in Python, written apart.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

if [ ! -f svsm.bin ] || [ ! -f build/guest.fd ]; then
	fail "svsm.bin and build/guest.fd not built (make)"
fi

# compare IMAGE [--bios FW] [snpemu args...]: snpemu's digest = snp-measure's
compare() {
	local img=$1 bios=() want got
	shift
	if [ "${1:-}" = --bios ]; then
		bios=(--bios "$2")
		shift 2
	fi
	want=$(scripts/snp-measure "$img" "${bios[@]}") || fail "snp-measure $img failed"
	run_snpemu --verbose --timeout 60 "${bios[@]}" "$@" "$img"
	expect_rc 0
	got=$(sed -n 's/^snpemu: launch digest \([0-9a-f]*\)$/\1/p' "$OUT")
	[ -n "$got" ] || fail "snpemu printed no launch digest"
	[ "$got" = "$want" ] || fail "snpemu's digest $got != snp-measure's $want ($img ${bios[*]})"
	echo "match: $img ${bios[*]} $*: $got"
}

compare "$PROBE"
compare "$PROBE" --bios "$PROBE_BIOS"
compare svsm.bin --bios build/guest.fd --smp 1
compare svsm.bin --bios build/guest.fd --smp 4
echo PASS
