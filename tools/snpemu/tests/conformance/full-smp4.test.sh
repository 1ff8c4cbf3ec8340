#!/bin/bash
# snpemu conformance: every non-fatal check passes with four vCPUs (three APs started).
. tests/tlib/tlib.sh
. tools/snpemu/tests/conformance/conf-lib.sh

conf_run_full 4 201
