# shellcheck shell=bash
# Shared by the ovmf.* cases (source it after tests/tlib/tlib.sh): Debian 13's OVMF 2025.02, unmodified,
# at VMPL1 under csvsm in snpemu, runs build/efi/svsmtest.efi and must report pass.
#
# The application reaches OVMF as QEMU's -kernel would give it (snpemu --kernel: fw_cfg items
# 0x08/0x11): OVMF's boot manager loads and starts it before any boot option, so no disk and
# no shell countdown are in the path. A disk cannot be used here: a QEMU disk controller
# would DMA to L1 physical addresses, not into guest memory (tests/ovmf/README.md).
#
#   ovmf_run SMP    boot and check the common outcome; the caller checks the rest in $STATS

ovmf_run() {
	local smp=$1 ovmf start

	ovmf=$(scripts/fetch-debian.sh ovmf) || fail "no Debian OVMF (scripts/fetch-debian.sh ovmf)"
	[ -f build/efi/svsmtest.efi ] || fail "build/efi/svsmtest.efi not built"
	start=$(date +%s%N)
	run_snpemu --smp "$smp" --mem 512M --bios "$ovmf" --kernel build/efi/svsmtest.efi \
		--timeout 150 svsm.bin
	echo "+ wall time $((($(date +%s%N) - start) / 1000000)) ms"
	# OVMF's console: CRLF line ends and terminal escapes
	sed -i -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\r//g' "$OUT"
	expect_out '^\[cpu0\] guest: running the firmware at VMPL1'
	expect_no_out 'requested termination|SVSM terminated|RULE:'
	# the application found the SVSM as an OS does, and each check passed
	expect_out '^svsmtest: secrets page v[0-9]+: .*svsm_caa 0x[0-9A-F]+ max_version 1 guest_vmpl 1$'
	expect_out '^svsmtest: ok: QUERY_PROTOCOL core v1: 0x0$'
	expect_out '^svsmtest: ok: a call of an undefined protocol: 0x80000001$'
	expect_out '^svsmtest: ok: PVALIDATE rescind: 0x0$'
	expect_out '^svsmtest: ok: PVALIDATE rescind of the rescinded page: 0x80001010$'
	expect_out '^svsmtest: ok: PVALIDATE validate: 0x0$'
	expect_out '^svsmtest: ok: the validated page reads as zeros$'
	expect_out '^svsmtest: ok: PVALIDATE validate of the validated page: 0x80001010$'
	expect_out '^svsmtest: ok: the page keeps what is written to it$'
	expect_no_out '^svsmtest: FAIL'
	expect_out '^svsmtest: PASS$'
	expect_out '^snpemu: VMPL1 reported pass$'
	expect_rc 0

	# OVMF validated its memory through the SVSM, not itself (PVALIDATE faults at VMPL1):
	# calls of protocol 0 call 1 (PVALIDATE), hundreds of 2 MiB pages validated
	local pval
	pval=$(stat_get 'sum(1 for c in s["calls"] if int(c["rax"], 16) == 1)')
	echo "SVSM PVALIDATE calls: $pval; PVALIDATE executed: $(stat_get 's["pvalidate"]')"
	[ "$pval" -ge 20 ] || fail "only $pval PVALIDATE calls: OVMF did not validate through the SVSM"
	[ "$(stat_get 's["pvalidate"]["2m"]')" -ge 200 ] || fail "fewer than 200 2 MiB pages validated"
	# the timer OVMF's boot manager needs (snpemu's guest APIC) ticked
	[ "$(stat_get 's["guest_apic"]["injected"]')" -ge 1 ] || fail "no timer interrupt was injected"
}
