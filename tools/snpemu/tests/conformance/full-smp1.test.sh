#!/bin/bash
# snpemu conformance: every non-fatal check of the payload passes with one vCPU.
. tests/tlib/tlib.sh
. tools/snpemu/tests/conformance/conf-lib.sh

conf_run_full 1 192
