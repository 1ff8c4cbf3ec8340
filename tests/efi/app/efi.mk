# SPDX-License-Identifier: MIT
# tests/efi/app: a UEFI application built with gnu-efi that finds and calls the SVSM the way an
# operating system does, and a FAT disk image that boots it (tests/efi/README.md).
#
#   build/efi/svsmtest.efi   the application
#   build/efi/disk.img       FAT image (mtools) that the firmware boots svsmtest.efi from
#   build/efi/disk-shell.img FAT image that reaches svsmtest.efi through the shell's startup.nsh
#
# gnu-efi's way: compile position-independent for the SysV ABI (firmware calls go through
# uefi_call_wrapper), link a shared object with its linker script and crt0, and let objcopy
# turn that into a PE32+ EFI application.

EFI_DIR := tests/efi/app
EFI_BUILD := $(BUILD)/efi
GNUEFI_INC := /usr/include/efi
GNUEFI_LIB := /usr/lib

EFI_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -fpic -fshort-wchar \
	-fno-stack-protector -fno-stack-check -fno-strict-aliasing -fno-asynchronous-unwind-tables \
	-mno-red-zone -maccumulate-outgoing-args -I$(GNUEFI_INC) -I$(GNUEFI_INC)/x86_64 -MMD -MP
EFI_LDFLAGS := -nostdlib -shared -Bsymbolic -znocombreloc -z noexecstack \
	-T $(GNUEFI_LIB)/elf_x86_64_efi.lds -L$(GNUEFI_LIB)
EFI_SECTIONS := .text .sdata .data .dynamic .dynsym .rel .rela .reloc

EFI_APPS := svsmtest
ALL_TARGETS += $(patsubst %,$(EFI_BUILD)/%.efi,$(EFI_APPS)) $(EFI_BUILD)/disk.img \
	$(EFI_BUILD)/disk-shell.img

$(EFI_BUILD)/%.o: $(EFI_DIR)/%.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(EFI_CFLAGS) -c -o $@ $<

$(EFI_BUILD)/%.so: $(EFI_BUILD)/%.o
	$(call msg,LD,$@)ld $(EFI_LDFLAGS) -o $@ $(GNUEFI_LIB)/crt0-efi-x86_64.o $< -lefi -lgnuefi

$(EFI_BUILD)/%.efi: $(EFI_BUILD)/%.so
	$(call msg,OBJCOPY,$@)objcopy $(addprefix -j ,$(EFI_SECTIONS)) --target efi-app-x86_64 --subsystem=10 $< $@

# FAT images without a partition table (OVMF reads them as whole-disk file systems), with a
# fixed volume serial so that an image only changes when its files do:
#   disk.img        EFI/csvsm/svsmtest.efi, startup.nsh, and EFI/BOOT/BOOTX64.EFI (a copy):
#                   the firmware's boot manager starts the removable-media path at once
#   disk-shell.img  the same without EFI/BOOT: the boot manager falls back to the UEFI
#                   Shell, which runs startup.nsh after its countdown (5 s in Debian's OVMF)
# fat_image(ADD_BOOTX64)
define fat_image
	$(call msg,GEN,$@)rm -f $@.tmp
	$(Q)mformat -i $@.tmp -C -T 4096 -h 2 -s 32 -N 0c5f5e11 -v CSVSMTEST ::
	$(Q)mmd -i $@.tmp ::/EFI ::/EFI/csvsm
	$(Q)mcopy -i $@.tmp $< ::/EFI/csvsm/svsmtest.efi
	$(Q)mcopy -i $@.tmp $(EFI_DIR)/startup.nsh ::/startup.nsh
	$(Q)$(if $(1),mmd -i $@.tmp ::/EFI/BOOT && mcopy -i $@.tmp $< ::/EFI/BOOT/BOOTX64.EFI)
	$(Q)mv $@.tmp $@
endef

$(EFI_BUILD)/disk.img: $(EFI_BUILD)/svsmtest.efi $(EFI_DIR)/startup.nsh
	$(call fat_image,bootx64)

$(EFI_BUILD)/disk-shell.img: $(EFI_BUILD)/svsmtest.efi $(EFI_DIR)/startup.nsh
	$(call fat_image,)

.SECONDARY: $(patsubst %,$(EFI_BUILD)/%.o,$(EFI_APPS)) $(patsubst %,$(EFI_BUILD)/%.so,$(EFI_APPS))

$(EFI_BUILD)/%.d: ;
-include $(wildcard $(EFI_BUILD)/*.d)
