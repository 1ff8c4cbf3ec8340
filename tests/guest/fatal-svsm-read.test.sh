#!/bin/bash
# VMPL1 reading SVSM memory must stop the guest: the SVSM never grants VMPL1 access to its
# own memory, so SNP hardware (snpemu) raises an RMP violation (exit 4).
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh

e2e_fatal svsm-read 1 read
