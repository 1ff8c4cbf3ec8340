#!/bin/bash
# Debian's Linux 6.12 at VMPL1 through Debian's OVMF under csvsm, one vCPU, 512 MiB: /init's
# checks pass (tests/linux/README.md) and every SVSM call succeeded.
. tests/tlib/tlib.sh
. tests/linux/linux-lib.sh

linux_run 1 512
expect_out 'csvsm-init: one vCPU: no AP to take offline'
echo "Linux at VMPL1 with one vCPU: pass"
