#!/bin/bash
# A GHCB termination request from VMPL0: snpemu exits 2 and prints the reason set and code.
. tests/lib.sh
. tests/snpemu/conformance/conf-lib.sh

run_snpemu --smp 1 --timeout 120 "$CONF_DIR/conformance-terminate.bin"
expect_rc 2
expect_out 'set 15.*code (0x)?c7'
[ "$(stat_get 's["termination"]["set"], s["termination"]["code"]')" = "(15, 199)" ] ||
	fail "expected termination (15, 199) in the statistics"
