#!/bin/bash
# A GHCB termination request from VMPL0: snpemu exits 2 and prints the reason set and code.
. tests/tlib/tlib.sh
. tools/snpemu/tests/conformance/conf-lib.sh

conf_run_terminate terminate c7
