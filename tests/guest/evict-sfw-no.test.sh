#!/bin/bash
# With CPUID 0x8000001f EBX[31] (COHERENCY_SFW_NO) set in the CPUID page (snpemu
# --coherency-sfw-no) the processor needs no eviction: csvsm reads no validated page before
# using it, in mem_init, at the launch and in the guest's PVALIDATE calls (the books count no
# page evicted), and the guest still passes.
. tests/tlib/tlib.sh
. tests/guest/evict-lib.sh

evict_run --coherency-sfw-no
expect_out '^\[cpu0\] evict: CPUID 0x8000001f EBX\[31\] \(COHERENCY_SFW_NO\) set'
while read -r name expr; do
	read -r validated evicted missed < <(evict_phase "$expr")
	echo "$name: validated $validated, evicted $evicted, missed $missed"
	[ "$validated" -gt 0 ] || fail "$name: no page validated"
	[ "$evicted" -eq 0 ] || fail "$name: $evicted validated pages read first and last byte first"
done < <(evict_phases)
echo PASS
