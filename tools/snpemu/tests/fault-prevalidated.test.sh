#!/bin/bash
# --fault prevalidated=N[:K]: the 2 MiB page N of SVSM memory (or only its 4 KiB page K) is
# private and validated from the launch on, holding the host's content. After the page state
# change to private PVALIDATE reports CF = 1 there (and only there), and the page reads the
# host's pattern ("HOSTHOST").
. tests/tlib/tlib.sh
. tools/snpemu/tests/probe-lib.sh

probe prevalidated
expect_rc 0
expect_out '^prevalidated 2m page=2 rc=0 cf=0 '
expect_out '^prevalidated 2m page=3 rc=0 cf=0 '
probe prevalidated --fault prevalidated=2
expect_rc 0
expect_out '^snpemu: fault prevalidated: 2 MiB page 0x8000400000 of SVSM memory '
expect_out '^prevalidated 2m page=2 rc=0 cf=1 word=0x54534f4854534f48$'
expect_out '^prevalidated 2m page=3 rc=0 cf=0 '
probe prevalidated --fault prevalidated=3:5
expect_rc 0
expect_out '^snpemu: fault prevalidated: 4 KiB page 0x8000605000 of SVSM memory '
expect_out '^prevalidated 2m page=2 rc=0 cf=0 '
expect_out '^prevalidated 4k page=3 unchanged=1 first=5 failed=0 word=0x54534f4854534f48$'
# Refused: a page of the image (the probe's first 2 MiB), outside SVSM memory, K > 511.
for f in prevalidated=0 prevalidated=8 prevalidated=1:512; do
	probe pass --fault "$f"
	expect_rc 4
done
echo PASS
