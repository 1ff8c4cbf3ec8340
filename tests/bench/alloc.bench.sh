#!/bin/bash
# Allocator benchmark (make bench): builds tests/bench/alloc_bench.c with the SVSM's own
# buddy, page_alloc and SLAB sources for the host (-O2, no sanitizers) and prints ns per
# operation beside glibc malloc. Wall time: figures, not a pass/fail test.
set -eu
cc=${HOSTCC:-gcc}
out=build/bench
mkdir -p "$out"
$cc -std=c11 -O2 -g -Wall -Wextra -Werror -Iinclude -o "$out/alloc_bench" \
	tests/bench/alloc_bench.c src/mm/buddy.c src/mm/page_alloc.c src/mm/slab.c
"$out/alloc_bench"
