#!/bin/bash
# The GHCB form of termination (NAE 0x8000fffe) from VMPL0: snpemu exits 2 with set and code.
. tests/tlib/tlib.sh
. tools/snpemu/tests/conformance/conf-lib.sh

conf_run_terminate terminate-nae c8
