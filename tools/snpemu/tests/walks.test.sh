#!/bin/bash
# Page-table walks and instruction fetches are private on SNP whatever the C-bit says (APM
# vol. 2, 15.34.5), and a VMPL may walk page tables it may only read when their Accessed and
# Dirty bits are set. snpemu's model of both under QEMU's nested paging: l1/ptw.c, README
# "Walks and fetches".
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

# CR3 and table pointers without the C-bit (as OVMF's reset vector loads CR3 in 32-bit code)
probe walk-cbit0
expect_rc 0
expect_out '^walk-cbit0 sum=14112$'
# code run through a C=0 mapping of a private page
probe fetch-cbit0
expect_rc 0
expect_out '^fetch-cbit0 result=43$'
# ... but a fetch from a shared page is a private access to a hypervisor-owned page
probe fetch-shared
expect_rc 4
expect_out '^snpemu: RULE: instruction fetch through C=0 \(private on SNP all the same\) of hypervisor-owned \(shared\) page 0x800020a000 at VMPL0'
expect_no_out '^fetch-shared result'
# a C=0 data access to a private page stays a rule violation
probe shared-read-private
expect_rc 4
expect_out '^snpemu: RULE: shared \(C=0\) read of private page 0x8000000000 at VMPL0'

# VMPL1 on page tables it may only read, A and D preset: the walks write nothing
probe vmpl1-ro-tables
expect_rc 0
expect_out '^vmpl1-done calls=4$'
# ... a store to them is still a violation (seen at VMPL1's next exit)
probe vmpl1-ro-tables-write
expect_rc 4
expect_out '^snpemu: RULE: VMPL1 changed page 0x[0-9a-f]+, which it may only read \(RMP VMPL1 mask 0x1\)'
expect_no_out 'vmpl1-done'
# ... and so is a walk that has to set an Accessed bit there
probe vmpl1-ro-tables-noa
expect_rc 4
expect_out '^snpemu: RULE: VMPL1 page-table walk must set the Accessed bit of the entry at GPA 0x[0-9a-f]+008, in a page it may only read'
expect_no_out 'vmpl1-call'
echo PASS
