#!/bin/bash
# A host that leaves a launch page out of the launch (--fault launch-unvalidated: assigned to
# the guest, neither measured nor validated).
#   - The early GHCB page: start.S rescinds it before sharing it; CF = 1 (it was not validated)
#     must stop the boot with (15, 0x19) before the page state change is asked for.
#   - A page of the guest firmware: its PVALIDATE changes it, so it was not launch-measured
#     (15, 0x10).
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

gva=$(nm build/svsm/svsm.elf | awk '$3 == "early_ghcb" { print $1 }')
[ -n "$gva" ] || fail "no early_ghcb in build/svsm/svsm.elf"
gpa=$(printf '0x%x' $((0x$gva - 0xffffffff80000000 + 0x8000000000)))
boot_svsm --fault "launch-unvalidated=$gpa"
expect_out "^snpemu: fault launch-unvalidated: launch page $gpa is assigned but not validated$"
expect_termination 15 0x19
expect_no_later_steps 0
[ "$(stat_get "s['pvalidate']['4k']")" -eq 1 ] || fail "expected exactly the one rescind"
[ "$(stat_msr 0x014)" -eq 0 ] || fail "the page state change was asked for"

size=$(stat -c %s build/guest.fd)
fw=$(printf '0x%x' $((0x100000000 - size)))
boot_svsm --bios build/guest.fd --fault "launch-unvalidated=$fw"
expect_termination 15 0x10
expect_out "the firmware at $fw was not launch-measured"

# The BIOS VMSA page (SVSM metadata, read once at the launch): a #VC 0x404 outside the
# guest-memory copy routines is fatal (15, 0x0c), never resumed (the access would fault again).
gva=$(nm build/svsm/svsm.elf | awk '$3 == "__bios_vmsa_page" { print $1 }')
[ -n "$gva" ] || fail "no __bios_vmsa_page in build/svsm/svsm.elf"
gpa=$(printf '0x%x' $((0x$gva - 0xffffffff80000000 + 0x8000000000)))
boot_svsm --bios build/guest.fd --fault "launch-unvalidated=$gpa"
expect_termination 15 0x0c
expect_out '#VC 0x404: access to a page that is not validated'
