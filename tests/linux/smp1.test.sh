#!/bin/bash
# Debian's Linux 6.12 at VMPL1 through Debian's OVMF under csvsm, one vCPU, 4 GiB (1 GiB of it
# above 4 GiB, which OVMF leaves unaccepted: linux-lib.sh): /init's checks pass
# (tests/linux/README.md), the kernel accepted memory through the SVSM, and every SVSM call
# succeeded.
. tests/tlib/tlib.sh
. tests/linux/linux-lib.sh

linux_run 1 "$LINUX_MIB" "$LINUX_UNACC"
expect_out 'csvsm-init: one vCPU: no AP to take offline'
echo "Linux at VMPL1 with one vCPU: pass"
