#!/bin/bash
# Debian's OVMF at VMPL1 under csvsm, to its UEFI Shell, as `make run GUEST=ovmf` boots it: with
# no boot device the boot manager starts the built-in shell. Its 5 s "Press ESC" countdown
# polls the ACPI PM timer (forwarded port I/O, costly under TCG): the test ends it with a key.
# At the "Shell>" prompt the test types, through the guest's COM1, a command that writes 0x10 to
# port 0xf4 with a 32-bit OUT (the shell's `mm ADDRESS VALUE -IO -w 4`): snpemu then reports
# pass. OVMF's terminal driver reads keys from a periodic timer event, so the command runs
# only if the guest APIC timer's interrupts are delivered (shown: without injection the run
# times out at the prompt). Before it, two writes to reset ports snpemu denies the guest
# (the keyboard controller's 0xfe to port 0x64, a full reset to 0xcf9): forwarded, QEMU would
# reset the whole emulator (shown for 0xcf9: the run ends "the L1 hypervisor crashed"; with
# 0x64 forwarded too, OVMF's PS/2 driver meets a half-forwarded keyboard controller and never
# reaches the shell). Then it sets Bus Master in the IDE function's PCI command register and
# reads it back clear: a QEMU device must not DMA into the L1's memory (shown: 0x0007 reads
# back when snpemu does not mask it). Fails too if csvsm refuses a call OVMF makes.
. tests/tlib/tlib.sh

ovmf=$(scripts/fetch-debian.sh ovmf) || fail "no Debian OVMF (scripts/fetch-debian.sh ovmf)"
keys="$TEST_TMP/keys"
mkfifo "$keys"
echo "+ scripts/snpemu --smp 1 --mem 512M --bios $ovmf --interactive --timeout 300 svsm.bin"
start=$(date +%s%N)
# its own session, so that the whole run (script, timeout, QEMU) can be ended by its id
setsid scripts/snpemu --smp 1 --mem 512M --bios "$ovmf" --interactive --timeout 300 \
	--stats "$STATS" svsm.bin <"$keys" >"$TEST_TMP/raw.txt" 2>&1 &
pid=$!
exec 3>"$keys" # hold the writing end: QEMU sees no end of input
# wait_for REGEX SECONDS: until the console (escapes removed) has REGEX, or the run ended
wait_for() {
	for _ in $(seq 1 $(($2 * 10))); do
		sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g' "$TEST_TMP/raw.txt" | grep -q "$1" && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
prompt=0
# a key ends the countdown at its next second (it polls the PM timer: costly under TCG)
if wait_for 'Press ESC in 5 seconds' 200; then
	printf ' ' >&3
	if wait_for 'Shell> *$' 100; then
		prompt=1
		echo "+ prompt after $((($(date +%s%N) - start) / 1000000)) ms; typing the commands"
		printf 'mm 0x64 0xfe -IO -w 1\rmm 0xcf9 0x0e -IO -w 1\r' >&3
		# PCI 00:01.1 (PIIX IDE): command = I/O, memory, Bus Master; read it back
		printf 'mm 0x0000000000010104 0x0007 -PCI -w 2\r' >&3
		printf 'mm 0x0000000000010104 -PCI -w 2 -n\rmm 0xf4 0x10 -IO -w 4\r' >&3
	fi
fi
wait_s=0
while kill -0 "$pid" 2>/dev/null && [ $wait_s -lt 600 ]; do
	sleep 0.1
	wait_s=$((wait_s + 1))
done
kill -- -"$pid" 2>/dev/null
wait "$pid"
RC=$?
exec 3>&-
sed -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g' "$TEST_TMP/raw.txt" >"$OUT"
cat "$OUT"
echo "+ exit status $RC after $((($(date +%s%N) - start) / 1000000)) ms"
[ $prompt -eq 1 ] || fail "no Shell> prompt"
expect_out 'UEFI Interactive Shell'
expect_out 'Press ESC in 5 seconds'
expect_out '^Shell> mm 0xcf9 0x0e -IO -w 1$'
# Bus Master (bit 2) did not stick: snpemu masks it in forwarded PCI configuration writes
expect_out '^PCI +0x0000000000010104 : 0x000[0-3]$'
expect_no_out 'requested termination|SVSM terminated|RULE:|crashed'
expect_out '^snpemu: VMPL1 reported pass$'
expect_rc 0
echo "guest APIC: $(stat_get 's["guest_apic"]'); instructions: $(stat_get 's["instructions"]');" \
	"exits: $(stat_get 's["exits"]')"
# at least one tick per countdown second (the total depends on when the keys arrive)
[ "$(stat_get 's["guest_apic"]["injected"]')" -ge 5 ] || fail "fewer than 5 timer interrupts"
# waiting at the prompt, the shell halts: each HLT skips to the next tick instead of parking
[ "$(stat_get 's["guest_apic"]["hlt_skipped_ticks"]')" -ge 1 ] || fail "no HLT skipped to a tick"
echo "shell reached; the reset writes were denied; the typed command reported pass"
