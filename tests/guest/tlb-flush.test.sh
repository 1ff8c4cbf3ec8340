#!/bin/bash
# TLB flushes (README "Core protocol": PVALIDATE rescind, CREATE_VCPU): SNP's RMPADJUST and
# PVALIDATE leave other vCPUs' cached translations alone, so every call in which the SVSM
# took access away from a guest page (a PVALIDATE rescind, or an RMPADJUST that removed a
# permission) must end with INVLPGB of every address and TLBSYNC after the last such change.
# snpemu flushes on every world switch, so the guest cannot see a missing flush: the check
# reads snpemu's per-call books (--stats "calls" and "tlb", tools/snpemu/README.md).
. tests/tlib/tlib.sh
. tests/guest/e2e-lib.sh

# 232 checks with two vCPUs; 8 fewer with 4 KiB RMP entries for the 2 MiB ranges (smp1).
e2e_suite 2 224
python3 - "$STATS" <<'PY' || fail "a call took access away without a TLB flush after it"
import json, sys
s = json.load(open(sys.argv[1]))
t, calls = s["tlb"], s["calls"]
assert len(calls) == s["calls_total"], "more calls than the stats keep"
PVALIDATE, CREATE_VCPU = "0x1", "0x2"
resc = [c for c in calls if c["rax"] == PVALIDATE and c["rescinds"]]
revoking_creates = [c for c in calls if c["rax"] == CREATE_VCPU and c["revokes"]]
print("calls %d; PVALIDATE calls that rescinded %d (%d pages); CREATE_VCPU calls that revoked "
      "VMPL1 %d; INVLPGB %d, TLBSYNC %d; calls left stale %d"
      % (len(calls), len(resc), sum(c["rescinds"] for c in resc), len(revoking_creates),
         t["invlpgb"], t["tlbsync"], t["calls_left_stale"]))
# The suite rescinds in many calls and creates vCPUs (so the check cannot pass vacuously).
assert len(resc) >= 20, "too few rescinding PVALIDATE calls: %d" % len(resc)
assert len(revoking_creates) >= 3, "too few CREATE_VCPU calls: %d" % len(revoking_creates)
bad = [c for c in calls if c["stale"]]
for c in bad:
    print("stale: call rax %s: %d rescinds, %d revokes, INVLPGB %d, TLBSYNC %d"
          % (c["rax"], c["rescinds"], c["revokes"], c["invlpgb"], c["tlbsync"]))
assert not bad, "%d calls left stale translations" % len(bad)
assert t["calls_left_stale"] == 0
for c in resc + revoking_creates:
    assert c["invlpgb"] >= 1 and c["tlbsync"] >= 1, c
PY
echo PASS
