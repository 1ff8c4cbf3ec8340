#!/bin/bash
# Allocator benchmark (make bench): builds tests/bench/alloc_bench.c with the SVSM's own
# buddy, page_alloc and SLAB sources for the host (-O2 and link-time optimisation as svsm.bin
# is built, no sanitizers) and prints ns per operation beside glibc malloc; an object row
# where kmalloc is slower than malloc prints MISSED.
set -eu
cc=${HOSTCC:-gcc}
out=build/bench
mkdir -p "$out"
$cc -std=c11 -O2 -flto -g -Wall -Wextra -Werror -Iinclude -o "$out/alloc_bench" \
	tests/bench/alloc_bench.c src/mm/buddy.c src/mm/page_alloc.c src/mm/slab.c src/mm/kmalloc.c src/mm/kmalloc_slab.c
"$out/alloc_bench"
