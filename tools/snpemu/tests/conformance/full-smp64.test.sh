#!/bin/bash
# snpemu conformance: every non-fatal check passes with 64 vCPUs, snpemu's maximum (63 APs
# started, each with its own VMSA; the APIC-ID list holds all 64).
. tests/tlib/tlib.sh
. tools/snpemu/tests/conformance/conf-lib.sh

conf_run_full 64 400
