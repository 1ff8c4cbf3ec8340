#!/bin/bash
# The EFI plumbing with the real firmware, no SEV-SNP: Debian 13's OVMF (fetched and checked
# by scripts/fetch-debian.sh) under plain QEMU TCG boots build/efi/svsmtest.efi from a FAT
# image, and the application, finding no confidential-computing blob, reports "no SEV-SNP"
# (0x13) through isa-debug-exit. QEMU then exits with (0x13 << 1) | 1 = 39.
#
# Two boots: disk.img, which the boot manager starts through EFI/BOOT/BOOTX64.EFI at once,
# and disk-shell.img, which has no EFI/BOOT, so the boot manager falls back to the UEFI Shell
# and the shell runs startup.nsh after its 5 s countdown.
. tests/tlib/tlib.sh

EXPECT_RC=$(((0x13 << 1) | 1))

ovmf=$(scripts/fetch-debian.sh ovmf) || fail "no Debian OVMF (scripts/fetch-debian.sh ovmf)"
for img in build/efi/disk.img build/efi/disk-shell.img; do
	[ -f "$img" ] || fail "$img not built"
done

# boot IMAGE SECONDS: QEMU's serial console into $OUT (escape sequences removed), status in $RC.
boot() {
	local start
	start=$(date +%s%N)
	echo "+ qemu-system-x86_64 ... -bios $ovmf -drive file=$1 (limit $2 s)"
	timeout --kill-after=5 "$2" qemu-system-x86_64 -machine q35 -accel tcg -m 256M \
		-bios "$ovmf" -drive "file=$1,format=raw,if=virtio,snapshot=on" \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -net none -display none \
		-monitor none -serial stdio -no-reboot </dev/null >"$TEST_TMP/raw.txt" 2>&1
	RC=$?
	sed -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g' "$TEST_TMP/raw.txt" >"$OUT"
	cat "$OUT"
	echo "+ exit status $RC after $((($(date +%s%N) - start) / 1000000)) ms"
	[ "$RC" -ne 124 ] || fail "$1: no verdict within $2 s"
}

boot build/efi/disk.img 60
expect_rc "$EXPECT_RC"
expect_out '^BdsDxe: starting .*UEFI Misc Device'
expect_out '^svsmtest: no SEV-SNP: the EFI configuration table has no confidential-computing blob'
expect_out '^svsmtest: reporting 0x13 to port 0xF4'
expect_no_out 'UEFI Interactive Shell'

boot build/efi/disk-shell.img 90
expect_rc "$EXPECT_RC"
expect_out 'UEFI Interactive Shell'
expect_out 'to skip startup.nsh'
expect_out '^svsmtest: no SEV-SNP: the EFI configuration table has no confidential-computing blob'
expect_out '^svsmtest: reporting 0x13 to port 0xF4'
echo "both boots reported no SEV-SNP (0x13)"
