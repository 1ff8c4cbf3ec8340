# shellcheck shell=bash
# Shared by the linux.* cases (source it after tests/tlib/tlib.sh): Debian 13's Linux 6.12, unmodified,
# boots through Debian's OVMF at VMPL1 under csvsm in snpemu, runs build/linux/initramfs.cpio's
# /init (tests/linux/initramfs/init.c) and must report pass (tests/linux/README.md).
#
#   linux_cmdline SMP MIB [UNACC]  the kernel command line the cases, the benchmark and make run
#                           use (UNACC: the least unaccepted memory /init expects, MiB)
#   linux_mib SIZE          SIZE (snpemu --mem: bytes or K/M/G) in MiB
#   linux_run SMP MIB [UNACC] boot and check the common outcome; the caller checks the rest in
#                           $STATS (UNACC > 0: the unaccepted-memory checks, at least UNACC MiB)
#                           (a case may set after sourcing this: LINUX_INITRD, the initramfs;
#                           LINUX_APPEND, more of the command line; LINUX_SNPEMU_ARGS, an
#                           array of more snpemu options)
#
# LINUX_MIB and LINUX_UNACC are the cases' guest RAM and the unaccepted memory they expect at
# /init's start. 4 GiB is the smallest size that leaves the kernel a real unaccepted region:
# snpemu puts 3 GiB below 4 GiB and 1 GiB above (tools/snpemu/README.md "Memory and the RMP");
# OVMF validates all RAM below 4 GiB itself and leaves RAM above 4 GiB unaccepted (the EFI
# stub asks it to); the kernel accepts about 600 MiB of that while it boots (measured; where
# each part goes was not traced: early allocations from the top of RAM are likely), and /init
# finds 330 to 400 MiB still unaccepted, which its memory test has the kernel accept through
# the SVSM. At 3.5 GiB none is left by then; 5 GiB leaves 1.3 GiB but costs each case another
# 1.1 GB of host memory and a longer memory test (tests/linux/README.md "Unaccepted memory").
# shellcheck disable=SC2034 # the cases that source this file use them
LINUX_MIB=4096 LINUX_UNACC=256
LINUX_INITRD=build/linux/initramfs.cpio
LINUX_APPEND=
LINUX_SNPEMU_ARGS=()

# The kernel command line. Each option is one a user could give a VM like this one:
#   console=ttyS0         the serial console (COM1: snpemu's stdout)
#   tsc_early_khz=1000000 the TSC frequency: snpemu's TSC counts exactly one tick per guest
#                         nanosecond (QEMU -icount shift=0), and Linux has no way to measure it
#                         here (no PIT channel 2 or port 0x61 for the guest, no kvmclock, no
#                         Secure TSC)
#   printk.devkmsg=on     /init's lines in the kernel log are not rate limited
#   csvsm.cpus, csvsm.mem, csvsm.unaccepted
#                         what /init expects (unknown to the kernel: left for /init to read)
linux_cmdline() {
	local more=${LINUX_APPEND:+ $LINUX_APPEND}
	echo "console=ttyS0 tsc_early_khz=1000000 printk.devkmsg=on csvsm.cpus=$1 csvsm.mem=$2" \
		"csvsm.unaccepted=${3:-0}$more"
}

linux_mib() {
	case $1 in
	*[gG]) echo $((${1%?} * 1024)) ;;
	*[mM]) echo "${1%?}" ;;
	*[kK]) echo $((${1%?} / 1024)) ;;
	*) echo $(($1 / 1048576)) ;;
	esac
}

linux_run() {
	local smp=$1 mib=$2 unacc=${3:-0} kernel ovmf start

	ovmf=$(scripts/fetch-debian.sh ovmf) || fail "no Debian OVMF (scripts/fetch-debian.sh ovmf)"
	kernel=$(scripts/fetch-debian.sh kernel) ||
		fail "no Debian kernel (scripts/fetch-debian.sh kernel)"
	[ -f "$LINUX_INITRD" ] || fail "$LINUX_INITRD not built"
	start=$(date +%s%N)
	run_snpemu --seed 1 --smp "$smp" --mem "${mib}M" --bios "$ovmf" --kernel "$kernel" \
		--initrd "$LINUX_INITRD" --append "$(linux_cmdline "$smp" "$mib" "$unacc")" \
		--timeout 500 "${LINUX_SNPEMU_ARGS[@]}" svsm.bin
	echo "+ wall time $((($(date +%s%N) - start) / 1000000)) ms"
	sed -i -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g' "$OUT"
	expect_out '^\[cpu0\] guest: running the firmware at VMPL1'
	expect_no_out 'requested termination|SVSM terminated|RULE:|crashed'
	# the kernel booted to /init, which checked each thing from inside
	expect_out 'EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path'
	expect_out 'Linux version 6\.12\.'
	# OVMF handed the kernel unaccepted memory: the EFI configuration table of it
	[ "$unacc" = 0 ] || expect_out '\] efi: .* Unaccepted=0x'
	expect_out 'csvsm-init: started: expecting '"$smp"' vCPUs'
	expect_out 'csvsm-init: ok: the kernel runs as an SEV-SNP guest$'
	expect_out 'csvsm-init: ok: the kernel runs at VMPL1 through the SVSM it found$'
	expect_out 'csvsm-init: ok: the kernel uses the SNP CPUID table$'
	expect_out "csvsm-init: ok: $smp of $smp vCPUs online"
	expect_out 'csvsm-init: ok: the kernel has most of RAM'
	expect_out 'csvsm-init: ok: [0-9]+ MiB written and read back'
	if [ "$unacc" != 0 ]; then
		expect_out "csvsm-init: ok: [0-9]+ MiB of RAM unaccepted at the start \\(at least $unacc\\)"
		expect_out "csvsm-init: ok: [0-9]+ MiB of unaccepted memory accepted for it \\(at least $unacc\\)"
	fi
	expect_no_out 'csvsm-init: FAIL'
	expect_out '^snpemu: VMPL1 reported pass$'
	expect_rc 0

	# Every SVSM call OVMF and Linux made succeeded: csvsm refused nothing (a refusal that the
	# kernel shrugs off would still fail here).
	local refused
	refused=$(stat_get '[(c["rax"], c["result"]) for c in s["calls"] if int(c["result"], 16)]')
	echo "SVSM calls: $(stat_get 's["calls_total"]'); refused: $refused"
	[ "$refused" = "[]" ] || fail "csvsm refused calls (RAX, result): $refused"
	[ "$(stat_get 's["calls_total"]')" -le 4096 ] || fail "more calls than --stats lists"
	# Linux's own calls: it moves its calling area into its own memory (REMAP_CA, after OVMF's
	# one) and then goes on validating and rescinding through it (PVALIDATE calls)
	local remap after
	remap=$(stat_get 'sum(1 for c in s["calls"] if int(c["rax"], 16) == 0)')
	after=$(stat_get 'sum(1 for c in s["calls"][max([-1] + [i for i, c in enumerate(s["calls"]) if int(c["rax"], 16) == 0]) + 1:] if int(c["rax"], 16) == 1)')
	echo "REMAP_CA calls: $remap; PVALIDATE calls after the last one: $after"
	[ "$remap" -ge 2 ] || fail "$remap REMAP_CA calls: Linux did not take its own calling area"
	[ "$after" -ge 1 ] || fail "no PVALIDATE call through the kernel's own calling area"
	[ "$unacc" = 0 ] || linux_check_accepted
	# the guest's APIC timer and interrupts (snpemu's vlapic) ran the kernel's clock
	[ "$(stat_get 's["guest_apic"]["injected"]')" -ge 100 ] || fail "fewer than 100 interrupts"
}

# The memory unaccepted at /init's start was accepted by the kernel, which at VMPL1 can only
# have the SVSM validate it: Linux's own PVALIDATE calls (after its REMAP_CA) validated at least
# that much (and what it accepted while it booted).
linux_check_accepted() {
	local unacc_start validated
	unacc_start=$(sed -n 's/.*csvsm-init: ok: \([0-9]*\) MiB of RAM unaccepted at the start.*/\1/p' \
		"$OUT")
	validated=$(stat_get 'sum(c["validated_pages"] for c in s["calls"][max([-1] + [i for i, c in enumerate(s["calls"]) if int(c["rax"], 16) == 0]) + 1:] if int(c["rax"], 16) == 1) // 256')
	echo "unaccepted at /init's start: $unacc_start MiB;" \
		"validated by Linux's PVALIDATE calls: $validated MiB"
	[ -n "$unacc_start" ] && [ "$validated" -ge "$unacc_start" ] ||
		fail "Linux's PVALIDATE calls validated $validated MiB, less than $unacc_start MiB"
}
