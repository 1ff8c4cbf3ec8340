# SPDX-License-Identifier: MIT
# csvsm: the one entry point. `make help` lists the targets and variables.

SVSM_GPA ?= 0x8000000000
SVSM_MEM ?= 0x10000000
SMP ?= 4
MEM ?= 512M
GUEST ?= test
T ?=
DEBIAN_FETCH ?= ovmf kernel

BUILD := build
SHELL := /bin/bash
CC := gcc
HOSTCC := gcc

.DEFAULT_GOAL := all
.PHONY: all run test bench fuzz format format-check clean deps help mutate

# Quiet build: one "  TAG  output" line per command; V=1 shows the commands instead. A recipe
# line is written $(call msg,TAG,$@)command (in an $(eval)'d define, with $$); further
# commands of the same output are $(Q)command.
V ?= 0
ifeq ($(V),1)
msg =
Q =
else
msg = @printf '  %-8s %s\n' '$(1)' '$(2)';
Q = @
endif

# Configuration errors, before anything is compiled (README "Make variables").
check_num = $(if $(shell [[ '$(2)' =~ ^(0x[0-9a-fA-F]+|[0-9]+)$$ ]] && echo ok),,\
	$(error $(1)=$(2) is not a number))
$(call check_num,SVSM_GPA,$(SVSM_GPA))
$(call check_num,SVSM_MEM,$(SVSM_MEM))
ifneq ($(shell echo $$(( ($(SVSM_GPA)) % 0x200000 ))),0)
$(error SVSM_GPA=$(SVSM_GPA) is not 2 MiB aligned)
endif
ifneq ($(shell echo $$(( ($(SVSM_MEM)) % 0x200000 == 0 && ($(SVSM_MEM)) >= 0x400000 && \
	($(SVSM_MEM)) <= 0x40000000 ))),1)
$(error SVSM_MEM=$(SVSM_MEM) must be a multiple of 2 MiB from 4 MiB to 1 GiB)
endif
ifneq ($(shell echo $$(( ($(SVSM_GPA)) + ($(SVSM_MEM)) <= (1 << 48) ))),1)
$(error SVSM_GPA + SVSM_MEM must stay below 256 TiB)
endif

# Every fragment adds its outputs to ALL_TARGETS (and may add to BENCH_DEPS etc.).
ALL_TARGETS :=

include scripts/bearssl.mk
include src/svsm.mk
include tests/svsm/selftest/selftest.mk
include tests/tlib/tlib.mk
include tests/unit/unit.mk
include tools/snpemu/snpemu.mk
include tests/guest/fw/guest.mk
include tests/fuzz/fuzz.mk
include tests/bench/bench.mk
include tests/efi/app/efi.mk
include tests/linux/initramfs/linux.mk

all: $(ALL_TARGETS)

deps:
	scripts/setup-deps.sh $(DEBIAN_FETCH)

# GUEST=ovmf: Debian's OVMF at VMPL1, to its UEFI Shell on the serial console (keys reach it;
# Ctrl-C ends the run). README "Booting Debian's OVMF".
# GUEST=linux: Debian's Linux 6.12 through that OVMF, to tests/linux's /init and its verdict.
# README "Booting Debian's Linux".
run: all
ifeq ($(GUEST),ovmf)
	scripts/snpemu --smp $(SMP) --mem $(MEM) --bios "$$(scripts/fetch-debian.sh ovmf)" \
		--interactive --timeout 86400 svsm.bin
else ifeq ($(GUEST),linux)
	. tests/linux/linux-lib.sh && mib=$$(linux_mib $(MEM)) && \
	scripts/snpemu --smp $(SMP) --mem $(MEM) --bios "$$(scripts/fetch-debian.sh ovmf)" \
		--kernel "$$(scripts/fetch-debian.sh kernel)" --initrd $(BUILD)/linux/initramfs.cpio \
		--append "$$(linux_cmdline $(SMP) $$mib)" --stats $(BUILD)/linux/run-stats.json \
		--timeout 1800 svsm.bin
else
	scripts/snpemu --smp $(SMP) --mem $(MEM) --bios $(BUILD)/guest.fd svsm.bin
endif

test: deps
	$(MAKE) all
	scripts/run-tests.sh $(T)

# The mutation audit (tests/mutation/README.md): not part of `make test`. MUTANTS=a,b runs a
# subset; MUTATE_ARGS passes options (--all-tests, --list, ...).
mutate:
	python3 tests/mutation/mutate.py $(if $(MUTANTS),--mutants '$(MUTANTS)') $(MUTATE_ARGS)

FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@bad=$$(for f in $(FORMAT_FILES); do clang-format --dry-run -Werror "$$f" >/dev/null 2>&1 || echo "$$f"; done); \
	if [ -n "$$bad" ]; then echo "not clang-formatted:"; echo "$$bad"; exit 1; fi

clean:
	rm -rf $(BUILD) svsm.bin

help:
	@echo 'Targets:'
	@echo '  all (default)  svsm.bin, build/guest.fd, snpemu, unit tests, fuzz targets, self-tests'
	@echo '  run            boot svsm.bin under snpemu with the test firmware (serial on stdout);'
	@echo '                 GUEST=ovmf: Debian'"'"'s OVMF to its UEFI Shell, interactively'
	@echo '  test           install dependencies, build, run every test case (T= filters)'
	@echo '  unit           only the cmocka unit tests (build/unit/test_*)'
	@echo '  bench          benchmarks: counts from snpemu --stats, allocator timings'
	@echo '  fuzz           libFuzzer runs of FUZZ_SECONDS each'
	@echo '  deps           scripts/setup-deps.sh (Debian packages)'
	@echo '  mutate         mutation audit of the security rules (tests/mutation; MUTANTS=a,b)'
	@echo '  format         clang-format the tree in place; format-check only checks'
	@echo '  clean          remove build/ and svsm.bin'
	@echo 'Variables:'
	@echo '  SVSM_GPA=$(SVSM_GPA)  load address of svsm.bin (2 MiB aligned)'
	@echo '  SVSM_MEM=$(SVSM_MEM)    SVSM memory (multiple of 2 MiB, 4 MiB..1 GiB)'
	@echo '  SVSM_CBIT=$(SVSM_CBIT)             C-bit position the image is built for'
	@echo '  SMP=$(SMP) MEM=$(MEM)         vCPUs and guest RAM for make run'
	@echo '  GUEST=$(GUEST)             make run: test (build/guest.fd), ovmf (Debian 13 OVMF) or'
	@echo '                         linux (Debian 13 Linux through that OVMF)'
	@echo '  T=FILTER               make test: only cases whose name contains FILTER'
	@echo '  DEBIAN_FETCH="ovmf kernel"  make deps: Debian 13 files to fetch (scripts/debian-pins.txt rows)'
	@echo '  JOBS=2                 make test: cases run in parallel'
	@echo '  FUZZ_SECONDS=$(FUZZ_SECONDS)        make fuzz: seconds per target'
	@echo '  V=1                    show full commands instead of one line per output'
