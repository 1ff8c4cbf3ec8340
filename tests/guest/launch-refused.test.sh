#!/bin/bash
# The guest launch refuses what it must not run (src/guest/launch.c, README "Termination
# reasons"): firmware the host places where there is no memory, over SVSM memory, in pieces,
# without measuring it, or with malformed or misplaced metadata; and a host that will not run
# VMPL1. Each run must end in the documented termination, with the reason on the console.
. tests/tlib/tlib.sh
. tests/svsm/svsm-lib.sh

u64file() {
	python3 -c 'import struct,sys; open(sys.argv[1],"wb").write(struct.pack("<Q", int(sys.argv[2], 0)))' "$1" "$2"
}

# fw_cfg etc/bios_gpa and etc/bios_size as given, no --bios: run, expect set 15 code $3.
location() {
	u64file "$TEST_TMP/gpa" "$1"
	u64file "$TEST_TMP/size" "$2"
	boot_svsm --fw-cfg "etc/bios_gpa=$TEST_TMP/gpa" --fw-cfg "etc/bios_size=$TEST_TMP/size"
	expect_termination 15 "$3"
	expect_out "^\[cpu0\] guest: firmware at $(printf '%#x' "$1"), $(($2 / 1024)) KiB$"
}

# The host names memory that is not there: its page state change fails (15, 0x09).
location 0xffc00000 0x400000 0x09
expect_out 'page state change of the firmware \[0xffc00000, 0x100000000\) to private failed'
# Over SVSM memory (15, 0x10), before anything is touched.
location 0x8000000000 0x400000 0x10
expect_out 'overlaps SVSM memory'
expect_no_out 'page state change'
location 0x7ffff00000 0x200000 0x10
expect_out 'overlaps SVSM memory'
# Not whole pages.
location 0xfffff800 0x800 0x10
expect_out 'is not whole pages below 4 GiB'
# Empty.
location 0xfffc0000 0 0x10
expect_out 'is empty or wraps'
# Guest RAM the host never measured: PVALIDATE changes it, so it is not the launch-measured
# firmware (15, 0x10).
location 0x100000 0x10000 0x10
expect_out 'was not launch-measured'

# Images: a malformed footer, and metadata sections the launch must refuse.
python3 - "$TEST_TMP" <<'PY'
import struct, sys
d = sys.argv[1]
fd = bytearray(open("build/guest.fd", "rb").read())
open(d + "/zeros.fd", "wb").write(bytes(0x10000))
asev = fd.rfind(b"ASEV")
def patched(name, index, gpa=None, size=None, typ=None):
    img = bytearray(fd)
    off = asev + 16 + 12 * index
    g, s, t = struct.unpack_from("<III", img, off)
    struct.pack_into("<III", img, off, g if gpa is None else gpa, s if size is None else size,
                     t if typ is None else typ)
    open(d + "/" + name, "wb").write(img)
patched("mmio-section.fd", 0, gpa=0xfec00000, size=0x1000)     # not guest RAM
patched("fw-section.fd", 1, gpa=0xfffc0000)                    # inside the firmware image
patched("unknown-type.fd", 0, typ=7)                           # a type csvsm does not know
patched("no-caa.fd", 3, typ=1)                                 # no calling area
PY
bad_image() {
	boot_svsm --bios "$TEST_TMP/$1"
	expect_termination 15 0x10
	expect_out "$2"
	expect_no_out '^\[guest\]'
}
bad_image zeros.fd 'footer GUID table unusable'
bad_image mmio-section.fd 'pre-validated range \[0xfec00000, 0xfec01000\) is not guest RAM'
bad_image fw-section.fd 'SEV metadata \(ASEV\) unusable'
bad_image unknown-type.fd 'SEV metadata \(ASEV\) unusable'
bad_image no-caa.fd 'SEV metadata \(ASEV\) unusable'

# The host reports the sections' page state change done without doing it: their PVALIDATE fails
# (15, 0x17). psc-lie counts entries: start.S's one, mem_init's one per 2 MiB of dynamic memory
# (SVSM_MEM - 2 MiB), then the firmware's (private already: the lie changes nothing there).
boot_svsm --bios build/guest.fd --fault psc-lie=$((1 + 0x10000000 / 0x200000 - 1 + 1))
expect_termination 15 0x17
expect_out 'PVALIDATE of the pre-validated range at 0x800000 failed'
expect_no_out '^\[guest\]'

# The host refuses to run VMPL1 at all (15, 0x18).
boot_svsm --bios build/guest.fd --fault vmpl-run-fail
expect_termination 15 0x18
expect_out 'the hypervisor refused to run the guest firmware'
expect_no_out '^\[guest\]'
echo "every refused launch ended as documented"
