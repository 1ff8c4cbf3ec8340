#!/bin/bash
# A host that launches the image at VMPL1 (another VMPL0 above it, granting the image's pages
# to VMPL1): start.S's RMPADJUST proves it is not VMPL0 and terminates with (15, 0x04) before
# any PVALIDATE or GHCB use.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault launch-vmpl=1
expect_termination 15 0x04
expect_no_later_steps 0
[ "$(stat_get "s['pvalidate']['4k'] + s['pvalidate']['2m'] + s['pvalidate']['failed']")" -eq 0 ] ||
	fail "PVALIDATE ran before the VMPL check"
[ "$(stat_msr 0x014)" -eq 0 ] || fail "the early GHCB was converted before the VMPL check"
