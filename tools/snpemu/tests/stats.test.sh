#!/bin/bash
# --stats: every key of design 4.3 (plus "boot"), and instruction counts that are identical
# from run to run for the same image and options (also with a different --seed).
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

probe "vmpl1 psc cpuid" --seed 1
expect_rc 0
cp "$STATS" "$TEST_TMP/a.json"
python3 - "$STATS" <<'PY' || fail "stats keys"
import json, sys
s = json.load(open(sys.argv[1]))
for k in ["vmgexit", "msr_protocol", "psc_pages", "pvalidate", "rmpadjust", "vmpl_switches",
          "instructions", "calls", "termination", "boot"]:
    assert k in s, k
assert set(s["psc_pages"]) >= {"private_4k", "private_2m", "shared_4k", "shared_2m"}
assert set(s["pvalidate"]) >= {"4k", "2m", "failed"} and set(s["rmpadjust"]) >= {"4k", "2m", "failed"}
assert set(s["instructions"]) >= {"vmpl0", "vmpl1", "boot_vmpl0"}
assert s["termination"] is None
assert s["vmgexit"]["0x7b"] > 0 and s["vmgexit"]["0x80000010"] == 1
assert s["msr_protocol"]["0x002"] == 1 and s["msr_protocol"]["0x016"] == 8
for c in s["calls"]:
    assert c["rax"].startswith("0x") and c["vmpl0_instructions"] > 0
    assert {"rescinds", "revokes", "invlpgb", "tlbsync", "stale"} <= set(c), c
assert set(s["tlb"]) >= {"invlpgb", "tlbsync", "calls_taking_access", "calls_left_stale"}
b = s["boot"]
for k in ["vmgexit", "msr_protocol", "psc_pages", "pvalidate", "rmpadjust"]:
    assert k in b, k
assert "0x80000010" not in b["vmgexit"], "boot snapshot taken after the PSC"
assert 0 < s["instructions"]["boot_vmpl0"] < s["instructions"]["vmpl0"]
PY

probe "vmpl1 psc cpuid" --seed 2
expect_rc 0
python3 - "$TEST_TMP/a.json" "$STATS" <<'PY' || fail "instruction counts differ between runs"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
assert a["instructions"] == b["instructions"], (a["instructions"], b["instructions"])
assert a["calls"] == b["calls"]
PY

probe smp --smp 4
cp "$STATS" "$TEST_TMP/c.json"
probe smp --smp 4
python3 - "$TEST_TMP/c.json" "$STATS" <<'PY' || fail "SMP instruction counts differ between runs"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
assert a["instructions"] == b["instructions"], (a["instructions"], b["instructions"])
PY
echo PASS
