#!/bin/bash
# --fault psc-page-partial=N: the host converts at most N pages of a 2 MiB PSC entry per exit,
# as 4 KiB pages, writes the entry's cur_page back and leaves cur_entry on it (KVM's
# snp_begin_psc reads cur_page on the re-issue and converts only the rest, as 4 KiB pages).
# The probe re-issues the descriptor as the host left it; the 2 MiB range ends up private in
# 4 KiB RMP entries, so a 2 MiB PVALIDATE there is FAIL_SIZEMISMATCH.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh
probe psc-2m --fault psc-page-partial=200
expect_rc 0
expect_out '^psc-2m n=2 issues=5 cur=2 err=0x0$'   # 200, 200, 112 + 200, 200, 112 pages
expect_out '^psc-check validated=0 failed=2$'
[ "$(stat_get 's["psc_pages"]["private_4k"], s["psc_pages"]["private_2m"]')" = "(1024, 0)" ] ||
	fail "expected 1024 4 KiB conversions and no 2 MiB one"
echo PASS
