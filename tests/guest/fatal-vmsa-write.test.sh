#!/bin/bash
# VMPL1 writing a VMSA it registered with CREATE_VCPU must stop the guest: the SVSM leaves
# VMPL1 read access at most, so a vCPU's state cannot change behind the SVSM's checks.
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh

e2e_fatal vmsa-write 2 write
