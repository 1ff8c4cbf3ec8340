#!/bin/bash
# End to end (issue 4): svsm.bin under snpemu, the VMPL1 test firmware driving the SVSM
# protocol with one vCPU (tests/guest/README.md). The multi-vCPU checks must say they skip.
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh

# 262 checks with one vCPU (102 of them attestation); 8 fewer if the host backs the 2 MiB test ranges with 4 KiB RMP
# entries (FAIL_SIZEMISMATCH is then the correct answer and the 2 MiB effects are skipped).
e2e_suite 1 254
expect_out '\[guest\] skip - RMP around CREATE_VCPU/DELETE_VCPU'
expect_out '\[guest\] skip - CREATE_VCPU refusals'
expect_out '\[guest\] skip - CREATE_VCPU runs a second vCPU'
expect_out '\[guest\] skip - PVALIDATE from several vCPUs at once'
expect_out '\[guest\] skip - attestation from several vCPUs at once'
# snpemu's test instrument answered: RMP state and the request read watch (test_rmp.c,
# test_fetch.c).
expect_out '\[guest\] ok - rescinded page 0: not validated, VMPL1-3 access revoked'
expect_out '\[guest\] ok - validate of 4 pages: the SVSM read no word of the request twice'
