#!/bin/bash
# Guest RAM above 4 GiB (README "Memory and the RMP"): --mem 5G is 3 GiB below 4 GiB and 2 GiB
# from 4 GiB, in the guest's etc/e820 (around the firmware, reserved) and in --stats. The probe's
# highmem word shows the high range is guest memory: the host converts its first and last 2 MiB
# to private, PVALIDATE validates them, data written there reads back and stays apart; the
# 2 MiB past its end and the hole from 3 GiB are no memory (conversion refused, FAIL_INPUT).
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

probe highmem --mem 5G --bios "$PROBE_BIOS"
expect_rc 0
expect_out '^highmem e820 0x0-0xc0000000 type 1$'
expect_out '^highmem e820 0xffff0000-0x100000000 type 2$'
expect_out '^highmem e820 0x100000000-0x180000000 type 1$'
expect_out '^highmem first gpa=0x100000000 psc=0x0 pvalidate=0 readback=ok$'
expect_out '^highmem last gpa=0x17fe00000 psc=0x0 pvalidate=0 readback=ok$'
expect_out '^highmem past-end gpa=0x180000000 psc=0x[1-9a-f][0-9a-f]* pvalidate=1 readback=-$'
expect_out '^highmem hole gpa=0xc0000000 psc=0x[1-9a-f][0-9a-f]* pvalidate=1 readback=-$'
expect_out '^highmem first-kept=ok$'
[ "$(stat_get 's["guest_ram"]')" = "[['0x0', '0xc0000000'], ['0x100000000', '0x180000000']]" ] ||
	fail "--stats guest_ram"
[ "$(stat_get 's["psc_pages"]["private_2m"]')" -ge 2 ] || fail "psc_pages private_2m"

# below 3 GiB every byte stays below 4 GiB: no high range
probe highmem --mem 2G
expect_rc 0
expect_out '^highmem e820 0x0-0x80000000 type 1$'
expect_out '^highmem none$'
[ "$(stat_get 's["guest_ram"]')" = "[['0x0', '0x80000000']]" ] || fail "--stats guest_ram"

# the largest guest: 3 GiB below 4 GiB, 13 GiB from 4 GiB
probe highmem --mem 16G
expect_rc 0
expect_out '^highmem e820 0x100000000-0x440000000 type 1$'
expect_out '^highmem last gpa=0x43fe00000 psc=0x0 pvalidate=0 readback=ok$'
expect_out '^highmem first-kept=ok$'
echo PASS
