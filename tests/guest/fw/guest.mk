# SPDX-License-Identifier: MIT
# tests/guest/fw: the VMPL1 test firmware (tests/guest/README.md).
#
#   build/guest.fd              the test suite (the default --bios of `make run`)
#   build/guest-<mode>.fd       one fatal check each (GUEST_FATAL_MODES)
#   build/guest-bench.fd        SVSM calls in a fixed order for tests/bench/protocol.bench.sh
#   build/guest-race-<case>.fd  one two-vCPU race each (test_race.c, GUEST_RACE_CASES), for
#                               tests/guest/race-<case>.test.sh under snpemu --sched
#
# The C code is built for the guest only, plus pure modules of the SVSM: the GHCB helpers of
# src/sev/ghcb.c, the CPUID-table lookup of src/sev/cpuid.c, formatting and the string
# functions; and the test programs' shared library (tests/tlib/README.md). The nasm sources include build/guest/layout.inc, generated
# from layout.h.

GUEST_DIR := tests/guest/fw
GUEST_BUILD := $(BUILD)/guest
GUEST_FATAL_MODES := svsm-read vmsa-write
# GUEST_MODE values of main.c
GUEST_MODE_normal := 0
GUEST_MODE_svsm-read := 1
GUEST_MODE_vmsa-write := 2
GUEST_MODE_bench := 3
# 4 + enum race_case of tests.h
GUEST_RACE_CASES := busy pvalidate caa vmsas entries attest
GUEST_MODE_race-busy := 4
GUEST_MODE_race-pvalidate := 5
GUEST_MODE_race-caa := 6
GUEST_MODE_race-vmsas := 7
GUEST_MODE_race-entries := 8
GUEST_MODE_race-attest := 9
GUEST_MODES := $(GUEST_FATAL_MODES) bench $(patsubst %,race-%,$(GUEST_RACE_CASES))

GUEST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-pic -fno-pie \
	-mcmodel=small -mno-red-zone -mgeneral-regs-only -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -fno-tree-loop-distribute-patterns \
	-fno-jump-tables -I$(GUEST_DIR) -Iinclude -I$(TLIB_INCLUDE) -Itools/snpemu/include -MMD -MP
GUEST_NASMFLAGS := -f elf64 -w+all -Werror -I$(GUEST_BUILD)/
GUEST_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack --build-id=none \
	--no-warn-rwx-segments

GUEST_C_SRCS := $(filter-out $(GUEST_DIR)/main.c,$(wildcard $(GUEST_DIR)/*.c))
GUEST_OBJS := $(patsubst $(GUEST_DIR)/%.c,$(GUEST_BUILD)/%.o,$(GUEST_C_SRCS)) \
	$(GUEST_BUILD)/src/sev/ghcb.o $(GUEST_BUILD)/src/sev/cpuid.o $(GUEST_BUILD)/src/lib/format.o \
	$(GUEST_BUILD)/src/lib/string.o $(GUEST_BUILD)/tlib/console.o $(GUEST_BUILD)/tlib/io_insn.o \
	$(GUEST_BUILD)/tlib/report.o $(GUEST_BUILD)/entry.o $(GUEST_BUILD)/reset.o
GUEST_FW_SIZE := $(shell sed -n 's/^\#define FW_SIZE //p' $(GUEST_DIR)/layout.h)

ALL_TARGETS += $(BUILD)/guest.fd $(patsubst %,$(BUILD)/guest-%.fd,$(GUEST_MODES))

$(GUEST_BUILD)/layout.inc: $(GUEST_DIR)/layout.h
	@mkdir -p $(@D)
	$(call msg,GEN,$@)sed -n 's/^#define \([A-Z0-9_]*\) \(.*\)$$/%define \1 \2/p' $< >$@

$(GUEST_BUILD)/guest.lds: $(GUEST_DIR)/guest.ld $(GUEST_DIR)/layout.h
	@mkdir -p $(@D)
	$(call msg,CPP,$@)$(CC) -E -P -x c -I$(GUEST_DIR) -o $@ $<

$(GUEST_BUILD)/%.o: $(GUEST_DIR)/%.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(eval $(call tlib_rules,$(GUEST_BUILD),GUEST_CFLAGS))

$(GUEST_BUILD)/%.o: $(GUEST_DIR)/%.asm $(GUEST_BUILD)/layout.inc
	@mkdir -p $(@D)
	$(call msg,NASM,$@)nasm $(GUEST_NASMFLAGS) -MD $(@:.o=.d) -o $@ $<

$(GUEST_BUILD)/main-%.o: $(GUEST_DIR)/main.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(GUEST_CFLAGS) -DGUEST_MODE=$(GUEST_MODE_$*) -c -o $@ $<

$(GUEST_BUILD)/guest-%.elf: $(GUEST_BUILD)/main-%.o $(GUEST_OBJS) $(GUEST_BUILD)/guest.lds
	$(call msg,LD,$@)ld $(GUEST_LDFLAGS) -T $(GUEST_BUILD)/guest.lds -Map=$(@:.elf=.map) -o $@ \
		$(GUEST_BUILD)/main-$*.o $(GUEST_OBJS)

# The image runs from FW_BASE to 4 GiB; objcopy fills the gap between payload and tail.
define guest_fd
	$(call msg,OBJCOPY,$@)objcopy -O binary --gap-fill 0 $< $@
	@size=$$(stat -c %s $@); if [ $$size -ne $$(($(GUEST_FW_SIZE))) ]; then \
		echo "$@ is $$size bytes, not FW_SIZE ($(GUEST_FW_SIZE))"; rm -f $@; exit 1; fi
endef

$(BUILD)/guest.fd: $(GUEST_BUILD)/guest-normal.elf
	$(guest_fd)

$(BUILD)/guest-%.fd: $(GUEST_BUILD)/guest-%.elf
	$(guest_fd)

.SECONDARY: $(GUEST_OBJS) $(foreach m,normal $(GUEST_MODES),$(GUEST_BUILD)/main-$(m).o \
	$(GUEST_BUILD)/guest-$(m).elf)

# Dependency files are made by the compilers, never by a rule (main-%.o would match them).
$(GUEST_BUILD)/%.d: ;
-include $(wildcard $(GUEST_BUILD)/*.d)
