#!/bin/bash
# VMPL switching: VMPL0 registers a VMPL1 VMSA (AP creation), runs it with run-VMPL(1); VMPL1
# calls VMPL0 (run-VMPL(0)); the VMSA page carries RAX both ways; the VMPL1 firmware starts
# from the host-provided BIOS VMSA in real mode at 4 GiB - 16.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

probe vmpl1
expect_rc 0
expect_out '^vmpl1-call rax=0x1000 exit=0x403$'
expect_out '^vmpl1-call rax=0x1002 exit=0x403$'
expect_out '^vmpl1-done calls=4$'
[ "$(stat_get 'len(s["calls"])')" = 4 ] || fail "expected 4 calls in the stats"
[ "$(stat_get 's["calls"][1]["rax"]')" = 0x1001 ] || fail "call rax not recorded"
[ "$(stat_get 's["vmpl_switches"]')" = 8 ] || fail "expected 8 VMPL switches"
[ "$(stat_get 's["instructions"]["vmpl1"] > 0')" = True ] || fail "no VMPL1 instructions"

# the NAE form of run-VMPL (0x80000018) from VMPL0
probe vmpl1-nae
expect_rc 0
expect_out '^vmpl1-done calls=4$'
[ "$(stat_get 's["vmgexit"]["0x80000018"]')" = 4 ] || fail "NAE run-VMPL not counted"

# VMPL1's own instructions: RMPADJUST only for lower VMPLs and never more than it has;
# PVALIDATE at VMPL1 raises #GP
probe vmpl1-insns
expect_rc 0
expect_out '^vmpl1-call rax=0xa002 exit=0x403$'   # VMPL2 RW on a page VMPL1 may only read
expect_out '^vmpl1-call rax=0xa100 exit=0x403$'   # VMPL2 R: allowed
expect_out '^vmpl1-call rax=0xa202 exit=0x403$'   # target VMPL1 itself: FAIL_PERMISSION
expect_out '^vmpl1-call rax=0xe00d exit=0x403$'   # PVALIDATE: #GP

# SEV_STATUS reflects the running context: VMPL1's VMSA has sev_features 0x1 -> 0x7, while
# VMPL0 (launch VMSA, 0x9) reads 0x27
probe vmpl1-sev-status
expect_rc 0
expect_out '^sev-status 0x27$'
expect_out '^vmpl1-call rax=0x7 exit=0x403$'

probe bios --bios "$PROBE_BIOS"
expect_rc 0
expect_out '^bios gpa=0xffff0000 size=0x10000 vmsa-vmpl=1 rip=0xfff0 cs-base=0xffff0000 features=0x1$'
expect_out '^bios-call rax=0xb105$'
expect_out '^bios-call rax=0x2001$'
expect_out '^bios-call rax=0x32072$'   # #VC 0x72 delivered in 32-bit protected mode
# Instruction counting is exact: probe/bios.S executes 28 instructions at VMPL1 (reset jmp +
# 3 + mov, then 1 + 3 + lea, then 12 up to CPUID, 4 + 2 in the #VC handler); intercepted
# instructions (WRMSR, VMGEXIT, CPUID) do not complete in the guest and are not counted.
[ "$(stat_get 's["instructions"]["vmpl1"]')" = 28 ] || fail "VMPL1 instruction count is not exact"
echo PASS
