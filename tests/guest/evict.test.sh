#!/bin/bash
# CVE-2025-38560 (src/sev/evict.c): with CPUID 0x8000001f EBX[31] (COHERENCY_SFW_NO) clear,
# which is snpemu's default, every page csvsm validates has the first and last byte of each
# of its 4 KiB pages read before any other access: in mem_init (SVSM memory), at the launch
# (the firmware's sections) and in the guest's PVALIDATE calls. snpemu's eviction books
# (--evict-check) must count no page missed in any of the three.
. tests/tlib/tlib.sh
. tests/guest/evict-lib.sh

evict_run
expect_out '^\[cpu0\] evict: CPUID 0x8000001f EBX\[31\] \(COHERENCY_SFW_NO\) clear'
while read -r name expr; do
	read -r validated evicted missed < <(evict_phase "$expr")
	echo "$name: validated $validated, evicted $evicted, missed $missed"
	[ "$validated" -gt 0 ] || fail "$name: no page validated"
	[ "$missed" -eq 0 ] || fail "$name: $missed of $validated validated pages not evicted in time"
	[ "$evicted" -eq "$validated" ] || fail "$name: books do not add up"
done < <(evict_phases)
# mem_init validates all dynamic memory: 127 pages of 2 MiB (the build's SVSM_MEM).
[ "$(stat_get "s['boot']['evict']['svsm']['validated']")" -ge $((127 * 512)) ] ||
	fail "mem_init validated less than dynamic memory"
echo PASS
