# SPDX-License-Identifier: MIT
# svsm.bin: the freestanding VMPL0 image (docs/design.md §4).
#
# Linked at SVSM_GVA, loaded at SVSM_GPA. The build C-bit is SVSM_CBIT (EPYC: 51); start.S
# checks it against the CPUID page at boot. Changing a make variable rebuilds everything
# through build/svsm/config.h, which only changes when a value does.

SVSM_GVA := 0xffffffff80000000
SVSM_CBIT ?= 51
SVSM_MAX_IMAGE := 524288

SVSM_BUILD := $(BUILD)/svsm
SVSM_DEFS := -DSVSM_GPA=$(SVSM_GPA) -DSVSM_MEM=$(SVSM_MEM) -DSVSM_GVA=$(SVSM_GVA) \
	-DSVSM_CBIT=$(SVSM_CBIT)

SVSM_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-pic -fno-pie \
	-mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-stack-protector \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-strict-aliasing \
	-ffunction-sections -fdata-sections -flto -Iinclude -include $(SVSM_BUILD)/config.h -MMD -MP
SVSM_ASFLAGS := -g -Iinclude -include $(SVSM_BUILD)/config.h -D__ASSEMBLY__ -MMD -MP
# Linked through the compiler driver for link-time optimisation: the protocol's hot paths cross
# modules (guest memory checks, claims, the RMP wrappers), and LTO inlines them — about a fifth
# of the VMPL0 instructions per PVALIDATE entry (make bench).
# One LTO partition: the same code however make is run, and no lto-wrapper chatter.
SVSM_LDFLAGS := -nostdlib -static -no-pie -flto-partition=one -Wl,--gc-sections \
	-Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--build-id=none -Wl,--no-warn-rwx-segments

SVSM_C_SRCS := $(shell find src -name '*.c' 2>/dev/null | sort)
SVSM_S_SRCS := start.S $(shell find src -name '*.S' 2>/dev/null | sort)
SVSM_OBJS := $(patsubst %.c,$(SVSM_BUILD)/%.o,$(SVSM_C_SRCS)) \
	$(patsubst %.S,$(SVSM_BUILD)/%.o,$(SVSM_S_SRCS))

ALL_TARGETS += svsm.bin

# BearSSL (scripts/bearssl.mk) with the image's code generation; src/lib/crypto.c is the glue.
SVSM_BEARSSL := $(SVSM_BUILD)/bearssl/libbearssl.a
$(eval $(call bearssl_lib,$(SVSM_BUILD)/bearssl,$(filter-out -flto -MMD -MP -include \
	$(SVSM_BUILD)/config.h -Iinclude,$(SVSM_CFLAGS))))
$(SVSM_BUILD)/src/lib/crypto.o: SVSM_CFLAGS += -I$(BEARSSL_INC)
$(SVSM_BUILD)/src/lib/crypto.o: | $(BEARSSL_STAMP)

# string.c implements memset/memcpy: GCC must not turn its loops back into calls to them.
$(SVSM_BUILD)/src/lib/string.o: SVSM_CFLAGS += -fno-tree-loop-distribute-patterns

$(SVSM_BUILD)/config.h: FORCE
	@mkdir -p $(@D)
	@printf '#define SVSM_GPA %s\n#define SVSM_MEM %s\n#define SVSM_GVA %s\n#define SVSM_CBIT %s\n' \
		'$(SVSM_GPA)' '$(SVSM_MEM)' '$(SVSM_GVA)' '$(SVSM_CBIT)' >$@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(SVSM_BUILD)/%.o: %.c $(SVSM_BUILD)/config.h
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(SVSM_CFLAGS) -c -o $@ $<

$(SVSM_BUILD)/%.o: %.S $(SVSM_BUILD)/config.h
	@mkdir -p $(@D)
	$(call msg,AS,$@)$(CC) $(SVSM_ASFLAGS) -c -o $@ $<

$(SVSM_BUILD)/linker.lds: linker.ld $(SVSM_BUILD)/config.h
	$(call msg,CPP,$@)$(CC) -E -P -x c -Iinclude -include $(SVSM_BUILD)/config.h -D__ASSEMBLY__ -o $@ $<

$(SVSM_BUILD)/svsm.elf: $(SVSM_OBJS) $(SVSM_BEARSSL) $(SVSM_BUILD)/linker.lds
	$(call msg,LD,$@)$(CC) $(filter-out -MMD -MP -include $(SVSM_BUILD)/config.h,$(SVSM_CFLAGS)) $(SVSM_LDFLAGS) \
		-T $(SVSM_BUILD)/linker.lds -Wl,-Map=$(SVSM_BUILD)/svsm.map -o $@ $(SVSM_OBJS) \
		$(SVSM_BEARSSL)

svsm.bin: $(SVSM_BUILD)/svsm.elf
	$(call msg,OBJCOPY,$@)objcopy -O binary $< $@
	@size=$$(stat -c %s $@); if [ $$size -gt $(SVSM_MAX_IMAGE) ]; then \
		echo "svsm.bin is $$size bytes, over the $(SVSM_MAX_IMAGE)-byte limit"; rm -f $@; exit 1; fi

.PHONY: FORCE
FORCE:

-include $(SVSM_OBJS:.o=.d)
