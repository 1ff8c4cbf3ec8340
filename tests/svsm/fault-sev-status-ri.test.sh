#!/bin/bash
# SEV_STATUS without RestrictedInjection (SEV, SEV-ES, SNP only): (15, 0x05) before
# any exchange with the hypervisor.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

boot_svsm --fault sev-status=0x7
expect_sev_status_refused
