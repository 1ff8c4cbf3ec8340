#!/bin/bash
# A verdict other than 0x10 on port 0xf4 is a failure: snpemu exits 1.
. tests/tlib/tlib.sh
. tools/snpemu/tests/conformance/conf-lib.sh

run_snpemu --smp 1 --timeout 120 "$CONF_DIR/conformance-fail-verdict.bin"
expect_rc 1
expect_out '^# reporting failure code 0x21 on purpose'
