#!/bin/bash
# What each AP costs csvsm's boot, from snpemu --stats (deterministic under -icount): svsm.bin
# alone (no firmware: the boot ends in the (15, 0x0f) termination once every vCPU is ready) at
# --smp 1 and --smp 64.
#   - VMPL0 instructions per AP beyond the wait loops: each AP's own VMPL0 instructions, from
#     its VMSA's first instruction until it parks in HLT with no VMPL1 to run (the run is made
#     with --sched, so each vCPU's count is its own: tools/snpemu/README.md "vCPU scheduling");
#     the BSP's spin while it waits for an AP's "ready" is not in them. The BSP's own extra
#     instructions per AP are printed too, but they include that wait.
#   - #VMEXITs per AP: (exits at 64 - exits at 1) / 63 (a run without --sched, whose slice
#     timer would add exits), and the GHCB events among them per AP (AP creation, the AP's
#     GHCB registration, its "ready" line, page state changes for PSMASH of VMSA pages).
# AP-creation exits per AP: the BSP's exits to create one (NAE, RMPADJUST, PSMASH NAEs).
# Target: one AP-creation NAE per AP (anything else is a retry or a refusal).
set -u
cd "$(dirname "$0")/../.."

[ -f svsm.bin ] || { echo "smp.bench: run make first"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/smp-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=64

run() { # NAME ARGS...
	local name=$1 rc
	shift
	scripts/snpemu --seed 1 --timeout 600 --stats "$tmp/$name.json" "$@" svsm.bin \
		>"$tmp/$name.log" 2>&1
	rc=$?
	if [ $rc -ne 2 ] || ! grep -q 'boot summary:' "$tmp/$name.log"; then
		echo "smp.bench: $name did not boot (snpemu exit $rc); last lines:"
		tail -n 20 "$tmp/$name.log"
		exit 1
	fi
}
start=$(date +%s%N)
run smp1 --smp 1
run smpn --smp $n
t_n=$((($(date +%s%N) - start) / 1000000))
run sched1 --smp 1 --sched 1 --preempt 2000
run schedn --smp $n --sched 1 --preempt 2000

python3 - "$tmp" $n $t_n <<'PY'
import json, sys

tmp, n, ms = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
load = lambda name: json.load(open('%s/%s.json' % (tmp, name)))
one, many, s1, sn = load('smp1'), load('smpn'), load('sched1'), load('schedn')
aps = n - 1
ap_insns = sn['vcpu_vmpl0_instructions'][1:]
bsp = (sn['vcpu_vmpl0_instructions'][0] - s1['vcpu_vmpl0_instructions'][0]) / aps
print('--smp %d: csvsm booted %d APs (%d ms wall for --smp 1 and --smp %d, without --sched)'
      % (n, aps, ms, n))
print('  VMPL0 instructions per AP, its own:  mean %.0f, min %d, max %d'
      % (sum(ap_insns) / aps, min(ap_insns), max(ap_insns)))
print('  BSP VMPL0 instructions per AP:       %.0f (with its wait for the AP; --sched '
      '--preempt 2000)' % bsp)
print('  #VMEXITs per AP:                     %.1f' % ((many['exits'] - one['exits']) / aps))
per = lambda d, k: (many[d].get(k, 0) - one[d].get(k, 0)) / aps
ap_create = per('vmgexit', '0x80000013')
print('  per AP: AP creation NAE %.2f, GHCB registration (MSR 0x012) %.2f, IOIO NAE %.2f, '
      'PSC NAE %.2f, RMPADJUST %.2f'
      % (ap_create, per('msr_protocol', '0x012'), per('vmgexit', '0x7b'),
         per('vmgexit', '0x80000010'),
         (sum(many['rmpadjust'].values()) - sum(one['rmpadjust'].values())) / aps))
radj = (sum(many['rmpadjust'].values()) - sum(one['rmpadjust'].values())) / aps
print('  AP-creation exits per AP: %.2f (the BSP\'s NAE 0x80000013, its RMPADJUST of the VMSA '
      'page, the PSMASH NAEs that needed)' % (ap_create + radj + per('vmgexit', '0x80000010')))
print('  AP creation NAEs per AP: %.2f (target 1: %s)'
      % (ap_create, 'met' if ap_create == 1 else 'MISSED'))
PY
