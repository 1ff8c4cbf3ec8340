#!/bin/bash
# A CPUID page whose entry count is 0 or more than the page holds (64): start.S refuses it
# before it looks for the C-bit there, with (15, 0x13).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault cpuid-page-count=0
expect_stopped_in_start 15 0x13

boot_svsm --fault cpuid-page-count=65
expect_stopped_in_start 15 0x13

boot_svsm --fault cpuid-page-count=0xffffffff
expect_stopped_in_start 15 0x13
