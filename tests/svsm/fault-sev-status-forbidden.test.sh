#!/bin/bash
# SEV_STATUS with a feature forbidden at VMPL0 (SecureTSC, bit 11) next to the required
# ones: (15, 0x05) before any exchange with the hypervisor.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault sev-status=0x827
expect_sev_status_refused
