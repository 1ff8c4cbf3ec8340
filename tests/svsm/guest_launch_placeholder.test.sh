#!/bin/bash
# With guest firmware named in fw_cfg, the boot gets past the firmware lookup and stops at
# the guest launch, which does not exist yet: (15, 0x17). Issue 4 replaces this test with
# real launches (tests/guest).
. tests/lib.sh
. tests/svsm/svsm_lib.sh

python3 -c 'import struct,sys; open(sys.argv[1],"wb").write(struct.pack("<Q", 0xffc00000))' \
	"$TEST_TMP/gpa"
python3 -c 'import struct,sys; open(sys.argv[1],"wb").write(struct.pack("<Q", 0x400000))' \
	"$TEST_TMP/size"
boot_svsm --fw-cfg "etc/bios_gpa=$TEST_TMP/gpa" --fw-cfg "etc/bios_size=$TEST_TMP/size"
expect_termination 15 0x17
expect_out '^\[cpu0\] boot summary:'
expect_out '^\[cpu0\] guest firmware at 0xffc00000, 4096 KiB$'
