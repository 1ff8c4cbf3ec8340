#!/bin/bash
# Host profiles (--host, README "Host profiles"): what each emulated host does with the probe's
# page state changes. psc-2m converts two 2 MiB ranges and validates them as 2 MiB pages;
# psmash: a 4 KiB rescind inside a 2 MiB RMP entry, PSMASH, 4 KiB rescind and validate,
# UNSMASH, a 2 MiB rescind; psc-big: one descriptor of 200 4 KiB entries.
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

# spec (the default): 2 MiB RMP entries, FAIL_SIZEMISMATCH (6) for the 4 KiB op inside one,
# PSMASH and UNSMASH done, 253-entry descriptors
probe "psc-2m psmash psc-big"
expect_rc 0
[ "$(stat_get 's["host"]')" = spec ] || fail "default profile is not spec"
expect_out '^psc-check validated=2 failed=0$'
expect_out '^psmash before=6 err=0x0 4k-rescind=0 4k-validate=0 unsmash-err=0x0 2m-rescind=0$'
expect_out '^psc n=200 issues=1 cur=200 err=0x0$'

# upstream: 2 MiB conversions make 4 KiB RMP entries (the 2 MiB PVALIDATEs fail with
# FAIL_SIZEMISMATCH), PSMASH/UNSMASH are completed without effect (snp_begin_psc)
probe "psc-2m psmash psc-big" --host upstream
expect_rc 0
expect_out '^snpemu: host profile upstream$'
expect_out '^psc-check validated=0 failed=2$'
expect_out '^psmash before=0 err=0x0 4k-rescind=0 4k-validate=0 unsmash-err=0x0 2m-rescind=6$'
expect_out '^psc n=200 issues=1 cur=200 err=0x0$'

# svsm-preview: 2 MiB RMP entries; the 4 KiB rescind inside one succeeds (the host's RMP #NPF
# PSMASH), PSMASH/UNSMASH entries are invalid ((1 << 32) | 2), more than 64 entries an invalid
# header ((1 << 32) | 1, nothing done)
probe "psc-2m psmash psc-big" --host svsm-preview
expect_rc 0
expect_out '^psc-check validated=2 failed=0$'
expect_out '^psmash before=0 err=0x100000002 4k-rescind=0 4k-validate=0 unsmash-err=0x100000002 2m-rescind=6$'
expect_out '^psc n=200 issues=1 cur=0 err=0x100000001$'
expect_out '^psc-check validated=0 failed=200$'
[ "$(stat_get 's["host_psmash"]')" = 1 ] || fail "expected one PSMASH by the host"

probe pass --host nosuchhost
expect_rc 4
expect_out '^snpemu: --host wants spec, upstream or svsm-preview$'
echo PASS
