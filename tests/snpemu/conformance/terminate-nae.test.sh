#!/bin/bash
# The GHCB form of termination (NAE 0x8000fffe) from VMPL0: snpemu exits 2 with set and code.
. tests/lib.sh
. tests/snpemu/conformance/conf-lib.sh

run_snpemu --smp 1 --timeout 120 "$CONF_DIR/conformance-terminate-nae.bin"
expect_rc 2
expect_out 'set 15.*code (0x)?c8'
[ "$(stat_get 's["termination"]["set"], s["termination"]["code"]')" = "(15, 200)" ] ||
	fail "expected termination (15, 200) in the statistics"
