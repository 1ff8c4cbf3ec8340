#!/bin/bash
# snpemu conformance: every non-fatal check passes with four vCPUs (three APs started).
. tests/lib.sh
. tests/snpemu/conformance/conf-lib.sh

run_snpemu --smp 4 --timeout 300 "$CONF_DIR/conformance.bin"
conf_expect_pass 201
expect_out '^# smp: 4 vCPUs'
expect_out '^# started 3 APs'
