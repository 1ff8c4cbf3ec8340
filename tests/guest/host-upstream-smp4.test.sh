#!/bin/bash
# csvsm and the test firmware under snpemu --host upstream, 4 vCPUs: upstream KVM with
# guest_memfd gives 4 KiB RMP entries only, so every 2 MiB PVALIDATE of csvsm's memory is
# FAIL_SIZEMISMATCH and mem_init's 4 KiB fallback validates it page by page.
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh
. tests/guest/host-lib.sh

host_suite upstream 4 370
expect_out '\[cpu0\] mem_init: 254 MiB private and validated \(1 PSC exits, 0 PVALIDATE 2M, 65024 PVALIDATE 4K\)'
expect_out '\[guest\] ok - PVALIDATE validate of the 2 MiB page: PVALIDATE_FAIL_SIZEMISMATCH'
[ "$(stat_get 's["psc_pages"]["private_2m"] > 0 and s["pvalidate"]["2m"] == 0')" = True ] ||
	fail "expected 2 MiB conversions and no successful 2 MiB PVALIDATE"
echo PASS
