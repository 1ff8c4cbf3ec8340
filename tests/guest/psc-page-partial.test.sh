#!/bin/bash
# csvsm against a host that does only part of a 2 MiB PSC entry per exit (--fault
# psc-page-partial=N: cur_page written back, cur_entry left on the entry, as KVM's snp_begin_psc
# allows): the SVSM must re-issue with the host's cur_page (a descriptor re-sent with cur_page 0
# never progresses: csvsm before this test terminated with 15/0x09), then validate the range in
# 4 KiB pages (the host converted it in 4 KiB RMP entries). The suite passes.
. tests/tlib/tlib.sh

run_snpemu --smp 1 --timeout 300 --fault psc-page-partial=100 --bios build/guest.fd svsm.bin
expect_no_out '\[guest\] not ok - '
expect_rc 0
expect_out '\[guest\] PASS$'
# mem_init: 127 2 MiB entries, 6 exits each (512 pages, 100 a time), all validated 4 KiB
expect_out '\[cpu0\] mem_init: 254 MiB private and validated \([0-9]+ PSC exits, 0 PVALIDATE 2M, 65024 PVALIDATE 4K\)'
exits=$(sed -n 's/.*mem_init: .* (\([0-9]*\) PSC exits.*/\1/p' "$OUT")
[ "$exits" -ge $((127 * 5)) ] || fail "expected at least 635 PSC exits in mem_init, got $exits"
echo PASS
