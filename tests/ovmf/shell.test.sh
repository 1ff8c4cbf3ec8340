#!/bin/bash
# Debian's OVMF at VMPL1 under csvsm, to its UEFI Shell, as `make run GUEST=ovmf` boots it: with
# no boot device the boot manager starts the built-in shell. Its 5 s "Press ESC" countdown
# polls the ACPI PM timer (forwarded port I/O; about 40 s of CPU under TCG). Only at the
# "Shell>" prompt does the test type, through the guest's COM1, a command that writes 0x10 to
# port 0xf4 with a 32-bit OUT (the shell's `mm ADDRESS VALUE -IO -w 4`): snpemu then reports
# pass. OVMF's terminal driver reads keys from a periodic timer event, so the command runs
# only if the guest APIC timer's interrupts are delivered (shown: without injection the run
# times out at the prompt). Fails too if csvsm refuses a call OVMF makes.
. tests/lib.sh

ovmf=$(scripts/fetch-debian.sh ovmf) || fail "no Debian OVMF (scripts/fetch-debian.sh ovmf)"
keys="$TEST_TMP/keys"
mkfifo "$keys"
echo "+ scripts/snpemu --smp 1 --mem 512M --bios $ovmf --interactive --timeout 150 svsm.bin"
start=$(date +%s%N)
# its own session, so that the whole run (script, timeout, QEMU) can be ended by its id
setsid scripts/snpemu --smp 1 --mem 512M --bios "$ovmf" --interactive --timeout 150 \
	--stats "$STATS" svsm.bin <"$keys" >"$TEST_TMP/raw.txt" 2>&1 &
pid=$!
exec 3>"$keys" # hold the writing end: QEMU sees no end of input
prompt=0
for _ in $(seq 1 1400); do
	if sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g' "$TEST_TMP/raw.txt" | grep -q 'Shell> *$'; then
		prompt=1
		break
	fi
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
if [ $prompt -eq 1 ]; then
	echo "+ prompt after $((($(date +%s%N) - start) / 1000000)) ms; typing the command"
	printf 'mm 0xf4 0x10 -IO -w 4\r' >&3
fi
wait_s=0
while kill -0 "$pid" 2>/dev/null && [ $wait_s -lt 300 ]; do
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
expect_out 'Press ESC in [0-9] seconds'
expect_no_out 'requested termination|SVSM terminated|RULE:'
expect_out '^snpemu: VMPL1 reported pass$'
expect_rc 0
echo "guest APIC: $(stat_get 's["guest_apic"]'); instructions: $(stat_get 's["instructions"]');" \
	"exits: $(stat_get 's["exits"]')"
# at least one tick per countdown second (the total depends on when the keys arrive)
[ "$(stat_get 's["guest_apic"]["injected"]')" -ge 5 ] || fail "fewer than 5 timer interrupts"
echo "shell reached after the countdown; the typed command reported pass"
