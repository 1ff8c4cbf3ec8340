#!/bin/bash
# snpemu conformance: every non-fatal check of the payload passes with one vCPU.
. tests/lib.sh
. tests/snpemu/conformance/conf-lib.sh

run_snpemu --smp 1 --timeout 300 "$CONF_DIR/conformance.bin"
conf_expect_pass 192
expect_out '^# smp: 1 vCPUs'
expect_out '^# started 0 APs'
