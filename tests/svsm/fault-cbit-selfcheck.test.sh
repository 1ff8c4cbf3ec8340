#!/bin/bash
# start.S's C-bit self-check: the launch-validated CPUID page names a C-bit position other than
# the one the image was built for (SVSM_CBIT, 51), or has no leaf 0x8000001f at all. The boot
# ends at the first check with (15, 0x02), before any other instruction that needs the C-bit.
#
# The mismatch is made on the page's side (snpemu --fault cpuid-page-cbit). An image built with
# another SVSM_CBIT cannot be run: its early CR3 and page tables carry that bit, which on a
# C-bit-51 machine is an address bit (47..50: the walk leaves memory before the first
# instruction; snpemu refuses such an image at launch) or reserved (52 and up: VMRUN fails).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault cpuid-page-cbit=47
expect_stopped_in_start 15 0x02

boot_svsm --fault cpuid-page-cbit=50
expect_stopped_in_start 15 0x02

# The 0x8000001f entry is the last of snpemu's 18: a count of 17 leaves it out.
boot_svsm --fault cpuid-page-count=17
expect_stopped_in_start 15 0x02
