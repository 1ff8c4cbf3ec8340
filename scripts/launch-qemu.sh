#!/bin/bash
# Run svsm.bin on a real AMD EPYC host (SEV-SNP) with QEMU's SEV-SNP SVSM branch.
#
# UNTESTED HERE: this repository's machines have no SNP hardware (svsm.bin is tested under
# snpemu instead). The script is written from the linux-svsm launch procedure (facts §9
# "Launch script"): an sev-snp-guest object (policy 0x30000), `-machine ...,svsm=svsm.bin`,
# OVMF as the VMPL1 firmware, the C-bit position read from the host CPU (CPUID 0x8000001f
# EBX[5:0]). Host requirements: an SNP-enabled EPYC, AMD's SVSM host kernel
# (svsm-preview-*-v4) and the matching QEMU and OVMF builds (facts §9). Run as root.
set -eu

SVSM=./svsm.bin
QEMU=qemu-system-x86_64
BIOS=
BIOS_VARS=
CPU=EPYC-v4
SMP=4
MEM=4G
POLICY=0x30000
SNP_FLAGS=
CBITPOS=
UPM=1
HDA=
KERNEL=
INITRD=
APPEND="console=ttyS0 earlyprintk=serial"
DRY_RUN=0
# A fixed host-data value, as in the linux-svsm script: opaque to the SVSM, reported in
# attestation reports (32 bytes, base64).
HOST_DATA=b2l3bmNvd3FuY21wbXA

usage() {
	cat <<EOF
usage: $0 --bios OVMF.fd [options]

Boot svsm.bin at VMPL0 and OVMF at VMPL1 in an SEV-SNP guest on an EPYC host.

  --svsm FILE        the SVSM image (default $SVSM)
  --bios FILE        OVMF code with SNP and SVSM support (required)
  --bios-vars FILE   OVMF variable store to use (copied; optional)
  --qemu PATH        QEMU binary of the SEV-SNP SVSM branch (default $QEMU)
  --cpu MODEL        CPU model (default $CPU)
  --smp N            vCPUs (default $SMP)
  --mem SIZE         guest memory, with an M or G suffix (default $MEM)
  --policy P         SNP guest policy (default $POLICY: SMT allowed, bit 17 reserved-1)
  --snp-flags F      KVM SNP init flags (default 0x5 with an SVSM: restricted injection,
                     which svsm.bin requires, plus bit 2 as in linux-svsm; bit meanings
                     beyond bit 0 are UNCONFIRMED)
  --cbitpos N        C-bit position (default: read from the host, CPUID 0x8000001f)
  --no-upm           no memfd-private memory backend (hosts without UPM)
  --hda FILE         a disk image for the guest
  --kernel FILE      boot this kernel through OVMF's direct boot
  --initrd FILE      its initrd
  --append ARGS      its command line (default "$APPEND")
  --dry-run          print the QEMU command line and exit
  -h, --help         this text

svsm.bin's console is the guest's COM1 (stdout here). If it terminates, QEMU reports the
GHCB termination request with its reason set and code: README.md "Termination reasons".
EOF
}

die() {
	echo "launch-qemu: $*" >&2
	exit 1
}

need_arg() {
	[ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value (see --help)"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--svsm) need_arg "$@"; SVSM=$2; shift ;;
	--bios) need_arg "$@"; BIOS=$2; shift ;;
	--bios-vars) need_arg "$@"; BIOS_VARS=$2; shift ;;
	--qemu) need_arg "$@"; QEMU=$2; shift ;;
	--cpu) need_arg "$@"; CPU=$2; shift ;;
	--smp) need_arg "$@"; SMP=$2; shift ;;
	--mem) need_arg "$@"; MEM=$2; shift ;;
	--policy) need_arg "$@"; POLICY=$2; shift ;;
	--snp-flags) need_arg "$@"; SNP_FLAGS=$2; shift ;;
	--cbitpos) need_arg "$@"; CBITPOS=$2; shift ;;
	--no-upm) UPM=0 ;;
	--hda) need_arg "$@"; HDA=$2; shift ;;
	--kernel) need_arg "$@"; KERNEL=$2; shift ;;
	--initrd) need_arg "$@"; INITRD=$2; shift ;;
	--append) need_arg "$@"; APPEND=$2; shift ;;
	--dry-run) DRY_RUN=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown option $1" ;;
	esac
	shift
done

[ -n "$BIOS" ] || die "--bios OVMF.fd is required (see --help)"
[ -f "$SVSM" ] || die "no SVSM image at $SVSM (run make first)"
[ -f "$BIOS" ] || die "no firmware at $BIOS"
[[ "$SMP" =~ ^[1-9][0-9]*$ ]] || die "--smp wants a positive number"
[[ "$MEM" =~ ^[1-9][0-9]*[MG]$ ]] || die "--mem wants a size with an M or G suffix"

# The host's C-bit position: CPUID 0x8000001f EBX[5:0], through the cpuid driver
# (/dev/cpu/N/cpuid: a 16-byte read at offset = leaf gives EAX, EBX, ECX, EDX). EAX bit 4
# says whether the CPU supports SEV-SNP at all.
host_cbitpos() {
	local dev=/dev/cpu/0/cpuid regs eax ebx
	[ -r "$dev" ] || modprobe cpuid 2>/dev/null || true
	[ -r "$dev" ] || die "cannot read $dev (load the cpuid module, or give --cbitpos)"
	regs=$(dd if="$dev" bs=16 count=1 skip=$((0x8000001f)) iflag=skip_bytes status=none |
		od -An -tu4 -N8)
	read -r eax ebx <<<"$regs"
	[ -n "$ebx" ] || die "CPUID 0x8000001f is not readable on this host"
	[ $((eax & 0x10)) -ne 0 ] || die "this CPU does not report SEV-SNP (CPUID 0x8000001f EAX[4])"
	echo $((ebx & 0x3f))
}

[ -n "$CBITPOS" ] || CBITPOS=$(host_cbitpos)
[[ "$CBITPOS" =~ ^[0-9]+$ ]] || die "bad C-bit position '$CBITPOS'"

# svsm.bin is built for one C-bit position (make SVSM_CBIT, default 51) and terminates with
# (15, 0x02) on any other; say so before starting a guest that cannot boot.
BUILD_CBIT=$(sed -n 's/^#define SVSM_CBIT //p' "$(dirname "$SVSM")/build/svsm/config.h" \
	2>/dev/null || true)
if [ -n "$BUILD_CBIT" ] && [ "$BUILD_CBIT" != "$CBITPOS" ]; then
	echo "launch-qemu: warning: svsm.bin was built for C-bit $BUILD_CBIT, the host uses" \
		"$CBITPOS; rebuild with make SVSM_CBIT=$CBITPOS" >&2
fi

# With an SVSM the guest needs restricted injection (SEV_STATUS bit 5, checked at boot).
[ -n "$SNP_FLAGS" ] || SNP_FLAGS=0x5

args=("$QEMU" -enable-kvm -nographic -no-reboot)
args+=(-cpu "$CPU,host-phys-bits=true" -smp "$SMP")
if [ "$UPM" = 1 ]; then
	args+=(-machine "q35,confidential-guest-support=sev0,memory-backend=ram1,kvm-type=protected,vmport=off,svsm=$SVSM")
	args+=(-object "memory-backend-memfd-private,id=ram1,size=$MEM,share=true")
else
	args+=(-m "$MEM" -machine "q35,confidential-guest-support=sev0,vmport=off,svsm=$SVSM")
fi
args+=(-object "sev-snp-guest,id=sev0,policy=$POLICY,cbitpos=$CBITPOS,reduced-phys-bits=1,init-flags=$SNP_FLAGS,host-data=$HOST_DATA")
args+=(-drive "if=pflash,format=raw,unit=0,file=$BIOS,readonly=on")
if [ -n "$BIOS_VARS" ]; then
	[ -f "$BIOS_VARS" ] || die "no variable store at $BIOS_VARS"
	vars_copy="./$(basename "$BIOS_VARS").csvsm"
	[ -e "$vars_copy" ] || [ "$DRY_RUN" = 1 ] || cp "$BIOS_VARS" "$vars_copy"
	args+=(-drive "if=pflash,format=raw,unit=1,file=$vars_copy")
fi
[ -z "$HDA" ] || args+=(-drive "file=$HDA,if=none,id=disk0" -device virtio-scsi-pci,id=scsi0,disable-legacy=on,iommu_platform=true -device scsi-hd,drive=disk0)
if [ -n "$KERNEL" ]; then
	args+=(-kernel "$KERNEL" -append "$APPEND")
	[ -z "$INITRD" ] || args+=(-initrd "$INITRD")
fi

for a in "${args[@]}"; do
	if [[ "$a" =~ [[:space:]] ]]; then printf "'%s' " "$a"; else printf '%s ' "$a"; fi
done
echo
[ "$DRY_RUN" = 1 ] && exit 0
[ "$(id -u)" -eq 0 ] || die "run as root (KVM SEV-SNP needs /dev/sev and the SNP host setup)"
exec "${args[@]}"
