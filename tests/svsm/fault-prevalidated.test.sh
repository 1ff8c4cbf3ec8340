#!/bin/bash
# A host that hands the SVSM a page of dynamic memory that is private and validated already
# (--fault prevalidated: a replayed or unmeasured page with content the host chose): the page
# state change to private leaves it as it is, so only PVALIDATE's CF = 1 tells. mem_init must
# refuse it, (15, 0x0a), at that very PVALIDATE, whether it is a whole 2 MiB page or one 4 KiB
# page inside one (then the 2 MiB PVALIDATE fails with FAIL_SIZEMISMATCH, and the 4 KiB ones
# find it).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

# 2 MiB page N of SVSM memory is dynamic memory's page N - 1: the first, and the last.
for n in 1 127; do
	boot_svsm --fault "prevalidated=$n"
	expect_out "^snpemu: fault prevalidated: 2 MiB page $(printf '0x%x' $((0x8000000000 + n * 0x200000))) "
	expect_termination 15 0x0a
	expect_no_later_steps 2
	[ "$(stat_get "s['pvalidate']['2m']")" -eq "$n" ] || fail "mem_init did not stop at page $n"
	[ "$(stat_get "s['pvalidate']['failed']")" -eq 0 ] || fail "a PVALIDATE failed"
done

# 4 KiB page 7 of 2 MiB page 5: pages 1-4 in 2 MiB, then 5 page by page up to page 7.
boot_svsm --fault prevalidated=5:7
expect_out '^snpemu: fault prevalidated: 4 KiB page 0x8000a07000 '
expect_termination 15 0x0a
expect_no_later_steps 2
[ "$(stat_get "s['pvalidate']['2m']")" -eq 4 ] || fail "expected 4 PVALIDATE 2M before page 5"
[ "$(stat_get "s['pvalidate']['failed']")" -eq 1 ] || fail "expected one FAIL_SIZEMISMATCH"
# 4 KiB: start.S's rescind of its GHCB page, pages 0-6 and the replayed page 7.
[ "$(stat_get "s['pvalidate']['4k']")" -eq 9 ] || fail "mem_init did not stop at 4 KiB page 7"
