# SPDX-License-Identifier: MIT
# snpemu: the emulated SEV-SNP machine (tools/snpemu/README.md).
#
#   build/snpemu/snpemu.rom   QEMU -bios image: reset stub + the L1 hypervisor
#   build/snpemu/probe.bin    the probe VMPL0 image (svsm.bin format) the snpemu tests use
#                             (sources: tests/probe/; objects: build/snpemu/tests/probe/)
#
# scripts/snpemu runs them. The conformance payload (another owner) hooks in through
# tools/snpemu/tests/conformance/src/conformance.mk.

SNPEMU_DIR := tools/snpemu
SNPEMU_B := $(BUILD)/snpemu
SNPEMU_PROBE_DIR := $(SNPEMU_DIR)/tests/probe

SNPEMU_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-pic -fno-pie \
	-mno-red-zone -mgeneral-regs-only -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-builtin -fno-strict-aliasing -Iinclude -I$(TLIB_INCLUDE) -I$(SNPEMU_DIR)/l1 \
	-I$(SNPEMU_DIR)/include -MMD -MP
SNPEMU_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack --build-id=none \
	--no-warn-rwx-segments

SNPEMU_L1_SRCS := $(wildcard $(SNPEMU_DIR)/l1/*.c) $(wildcard $(SNPEMU_DIR)/l1/*.S)
# Formatting and the string functions (the SVSM's pure modules), the console (tests/tlib).
SNPEMU_L1_LIB := $(SNPEMU_B)/l1lib
SNPEMU_L1_OBJS := $(patsubst $(SNPEMU_DIR)/%,$(SNPEMU_B)/%.o,$(SNPEMU_L1_SRCS)) \
	$(SNPEMU_L1_LIB)/src/lib/format.o $(SNPEMU_L1_LIB)/src/lib/string.o \
	$(SNPEMU_L1_LIB)/tlib/console.o
# The probe is linked at 512 GiB: its C code, and the library it links, use the large model.
SNPEMU_PROBE_CFLAGS = $(SNPEMU_CFLAGS) -mcmodel=large
SNPEMU_PROBE_LIB := $(SNPEMU_B)/probelib
SNPEMU_PROBE_OBJS := $(SNPEMU_B)/tests/probe/start.S.o $(SNPEMU_B)/tests/probe/probe.c.o \
	$(SNPEMU_B)/tests/probe/psp_crypto.c.o \
	$(SNPEMU_PROBE_LIB)/src/lib/format.o $(SNPEMU_PROBE_LIB)/src/lib/string.o \
	$(SNPEMU_PROBE_LIB)/tlib/console.o

ALL_TARGETS += $(SNPEMU_B)/snpemu.rom $(SNPEMU_B)/probe.bin

# BearSSL for the emulated PSP (l1/psp_crypto.c is its glue), with the L1's code generation.
SNPEMU_BEARSSL_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-pic -fno-pie \
	-mno-red-zone -mgeneral-regs-only -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-builtin -fno-strict-aliasing
$(eval $(call bearssl_lib,$(SNPEMU_B)/bearssl,$(SNPEMU_BEARSSL_CFLAGS)))
$(SNPEMU_B)/l1/psp_crypto.c.o: SNPEMU_CFLAGS += -I$(BEARSSL_INC)
$(SNPEMU_B)/l1/psp_crypto.c.o: | $(BEARSSL_STAMP)

$(eval $(call tlib_rules,$(SNPEMU_L1_LIB),SNPEMU_CFLAGS))
$(eval $(call tlib_rules,$(SNPEMU_PROBE_LIB),SNPEMU_PROBE_CFLAGS))

$(SNPEMU_B)/%.c.o: $(SNPEMU_DIR)/%.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(SNPEMU_CFLAGS) -c -o $@ $<

$(SNPEMU_B)/%.S.o: $(SNPEMU_DIR)/%.S
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) -I$(TLIB_INCLUDE) -MMD -MP -c -o $@ $<

$(SNPEMU_B)/l1.elf: $(SNPEMU_L1_OBJS) $(SNPEMU_B)/bearssl/libbearssl.a $(SNPEMU_DIR)/l1/l1.ld
	$(call msg,LD,$@)ld $(SNPEMU_LDFLAGS) -T $(SNPEMU_DIR)/l1/l1.ld -o $@ $(SNPEMU_L1_OBJS) \
		$(SNPEMU_B)/bearssl/libbearssl.a

$(SNPEMU_B)/l1.bin: $(SNPEMU_B)/l1.elf
	$(call msg,OBJCOPY,$@)objcopy -O binary $< $@
	@truncate -s %4 $@

# ROM = [L1 image, padded][64 KiB reset stub]; its size is a multiple of 64 KiB (QEMU -bios).
$(SNPEMU_B)/snpemu.rom: $(SNPEMU_B)/l1.bin $(SNPEMU_DIR)/rom/reset.S $(SNPEMU_DIR)/rom/reset.ld \
		$(TLIB_INCLUDE)/tlib/asm.inc
	$(call msg,GEN,$@)l1=$$(stat -c %s $<); rom=$$(( (l1 + 65535) / 65536 * 65536 + 65536 )); \
	set -e; \
	$(CC) -m32 -c -I$(TLIB_INCLUDE) -DL1_SIZE=$$l1 -DROM_SIZE=$$rom -o $(SNPEMU_B)/reset.o \
		$(SNPEMU_DIR)/rom/reset.S; \
	ld -m elf_i386 -T $(SNPEMU_DIR)/rom/reset.ld -o $(SNPEMU_B)/reset.elf $(SNPEMU_B)/reset.o; \
	objcopy -O binary $(SNPEMU_B)/reset.elf $(SNPEMU_B)/reset.bin; \
	truncate -s 65536 $(SNPEMU_B)/reset.bin; \
	cp $< $@.tmp; truncate -s $$(( rom - 65536 )) $@.tmp; cat $(SNPEMU_B)/reset.bin >> $@.tmp; \
	mv $@.tmp $@

$(SNPEMU_B)/probe.elf: $(SNPEMU_PROBE_OBJS) $(SNPEMU_B)/probelib/bearssl/libbearssl.a \
		$(SNPEMU_PROBE_DIR)/probe.ld
	$(call msg,LD,$@)ld $(SNPEMU_LDFLAGS) -T $(SNPEMU_PROBE_DIR)/probe.ld -o $@ $(SNPEMU_PROBE_OBJS) \
		$(SNPEMU_B)/probelib/bearssl/libbearssl.a

$(SNPEMU_B)/probe.bin: $(SNPEMU_B)/probe.elf
	$(call msg,OBJCOPY,$@)objcopy -O binary $< $@

$(SNPEMU_B)/tests/probe/probe.c.o: SNPEMU_CFLAGS += -mcmodel=large
# The probe speaks to the emulated PSP with the same BearSSL glue, in the large model.
$(eval $(call bearssl_lib,$(SNPEMU_B)/probelib/bearssl,$(SNPEMU_BEARSSL_CFLAGS) -mcmodel=large))
$(SNPEMU_B)/tests/probe/psp_crypto.c.o: $(SNPEMU_DIR)/l1/psp_crypto.c | $(BEARSSL_STAMP)
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(SNPEMU_CFLAGS) -mcmodel=large -I$(BEARSSL_INC) -c -o $@ $<

-include $(SNPEMU_L1_OBJS:.o=.d) $(SNPEMU_PROBE_OBJS:.o=.d)
-include $(SNPEMU_DIR)/tests/conformance/src/conformance.mk

# the test firmware for the probe's "bios" mode: 64 KiB, reset vector at the end
$(SNPEMU_B)/probe-bios.bin: $(SNPEMU_PROBE_DIR)/bios.S $(TLIB_INCLUDE)/tlib/asm.inc
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) -c -I$(TLIB_INCLUDE) -o $(SNPEMU_B)/probe-bios.o $<
	$(call msg,OBJCOPY,$@)objcopy -O binary -j .text $(SNPEMU_B)/probe-bios.o $@

ALL_TARGETS += $(SNPEMU_B)/probe-bios.bin
