#!/bin/bash
# The host may take a page's validated state away at any time (RMPUPDATE). snpemu's fault
# unvalidate=1 does it right after the first PVALIDATE the SVSM makes for a VMPL1 call. The
# next access to the page raises #VC 0x404, and it must fail that call with INVALID_ADDRESS,
# never terminate the SVSM: both accesses that can come first are in the exception table,
# the eviction reads (src/sev/evict_touch.S, COHERENCY_SFW_NO clear) and the zeroing
# (src/guest/gmem_zero.S, COHERENCY_SFW_NO set: no eviction reads).
. tests/tlib/tlib.sh

for coherency in "" --coherency-sfw-no; do
	echo "# run with '${coherency:-COHERENCY_SFW_NO clear}'"
	run_snpemu --smp 1 --timeout 300 --bios build/guest.fd --fault unvalidate=1 $coherency \
		svsm.bin
	expect_out 'snpemu: fault unvalidate: page 0x[0-9a-f]* is no longer validated'
	expect_out '\[guest\] not ok - PVALIDATE validate of 3 pages \(next 0\): got INVALID_ADDRESS \(0x80000003\), want SUCCESS'
	# The firmware goes on to its verdict (its own checks of that page fail): exit 1, not 2.
	expect_out '\[guest\] FAIL$'
	expect_rc 1
done
