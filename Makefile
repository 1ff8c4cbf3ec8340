# csvsm: the one entry point.
#
#   make            svsm.bin (top level), build/guest.fd, the snpemu emulator
#   make run        boot svsm.bin under snpemu with the test guest, serial console on stdout
#   make test       install dependencies, then unit, emulator, end-to-end, fault and fuzz-smoke tests
#   make bench      benchmarks (deterministic counts from snpemu --stats, allocator timings)
#   make fuzz       longer libFuzzer runs (FUZZ_SECONDS per target)
#   make format     clang-format the tree in place; make format-check fails on a difference
#   make clean
#
# Make variables: SVSM_GPA (load address, 2 MiB aligned), SVSM_MEM (SVSM memory size),
# SMP and MEM (vCPUs and guest RAM for make run), T (filter for make test), DEBIAN_FETCH
# (Debian 13 files make deps fetches: rows of scripts/debian-pins.txt, default ovmf).

SVSM_GPA ?= 0x8000000000
SVSM_MEM ?= 0x10000000
SMP ?= 4
MEM ?= 512M
T ?=
DEBIAN_FETCH ?= ovmf

BUILD := build
SHELL := /bin/bash
CC := gcc
HOSTCC := gcc

.DEFAULT_GOAL := all
.PHONY: all run test bench fuzz format format-check clean deps

# Every fragment adds its outputs to ALL_TARGETS (and may add to BENCH_DEPS etc.).
ALL_TARGETS :=

include src/svsm.mk
include tests/svsm/selftest/selftest.mk
include tests/lib/lib.mk
include tests/unit/unit.mk
include tests/snpemu/snpemu.mk
include tests/guest/guest.mk
include tests/fuzz/fuzz.mk
include tests/bench/bench.mk
include tests/efi/efi.mk

all: $(ALL_TARGETS)

deps:
	scripts/setup-deps.sh $(DEBIAN_FETCH)

run: all
	scripts/snpemu --smp $(SMP) --mem $(MEM) --bios $(BUILD)/guest.fd svsm.bin

test: deps
	$(MAKE) all
	scripts/run-tests.sh $(T)

FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@bad=$$(for f in $(FORMAT_FILES); do clang-format --dry-run -Werror "$$f" >/dev/null 2>&1 || echo "$$f"; done); \
	if [ -n "$$bad" ]; then echo "not clang-formatted:"; echo "$$bad"; exit 1; fi

clean:
	rm -rf $(BUILD) svsm.bin
