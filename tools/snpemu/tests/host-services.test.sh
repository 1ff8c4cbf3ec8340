#!/bin/bash
# Host side: page state changes through the NAE (4K, 2M, 200 entries), the guest's fw_cfg
# (etc/e820, etc/bios_gpa), MMIO on QEMU's real HPET.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

probe "psc psc-big psc-2m psmash fwcfg mmio nae-misc fwcfg-dma" --mem 64M --bios "$PROBE_BIOS" --smp 3
expect_rc 0
expect_out '^psc n=8 issues=1 cur=8 err=0x0$'
expect_out '^psc n=200 issues=1 cur=200 err=0x0$'
expect_out '^psc-2m n=2 issues=1 cur=2 err=0x0$'
expect_no_out 'psc-check validated=[0-9]+ failed=[1-9]'
# 4K PVALIDATE inside a 2M RMP entry: size mismatch; after PSMASH it works; UNSMASH restores 2M
expect_out '^psmash before=6 err=0x0 4k-rescind=0 4k-validate=0 unsmash-err=0x0 2m-rescind=0$'
expect_out '^fwcfg bios_gpa=0xffff0000$'
expect_out '^fwcfg e820 ram=0x4000000$'
expect_out '^hpet cap=0x[0-9a-f]*8086a2'   # QEMU's HPET vendor/revision
expect_out '^hv-features-nae info1=0x0 features=0x33$'
expect_out '^apic-ids pages=0x1$'
expect_out '^apic-ids info1=0x0 count=3 last=2$'
expect_out '^fwcfg-dma private control=0x1$'      # the host cannot write a private page
expect_out '^fwcfg-dma shared control=0x0 count=[1-9]'
[ "$(stat_get 's["psc_pages"]["private_4k"]')" = 208 ] || fail "psc_pages private_4k"
[ "$(stat_get 's["psc_pages"]["private_2m"]')" = 2 ] || fail "psc_pages private_2m"

# the largest guest RAM below 4 GiB (3 GiB, up to the hole; more goes above 4 GiB:
# highmem.test.sh) fits the L1 machine
probe fwcfg --mem 3G
expect_rc 0
expect_out '^fwcfg e820 ram=0xc0000000$'
echo PASS
