/*
 * fw_cfg items of QEMU's own that the guest's fw_cfg (iodev.c) passes through, as a KVM host's
 * QEMU would show them to its guest (QEMU docs/specs/fw_cfg.rst, hw/nvram/fw_cfg.c,
 * hw/i386/x86.c x86_load_linux):
 *
 * - the Linux boot items, when the runner gave QEMU a Linux kernel (scripts/snpemu --kernel
 *   with a bzImage, --initrd, --append): QEMU splits the bzImage into its setup (0x17 size,
 *   0x18 data) and the rest (0x08, 0x11), and gives the initrd (0x0b, 0x12), the command line
 *   (0x14, 0x15) and the load addresses it chose (0x07, 0x0a, 0x10, 0x13, 0x16). OVMF's
 *   QemuKernelLoaderFsDxe reads them and starts the kernel's EFI stub.
 * - the ACPI tables QEMU builds for the machine (etc/table-loader, etc/acpi/tables,
 *   etc/acpi/rsdp): its MADT (one local APIC per CPU: the L1 machine has as many CPUs as the
 *   guest vCPUs, with the same APIC IDs), the FADT of the PIIX4 PM block and the DSDT of the
 *   chipset whose ports passthru.c forwards, so that the tables match the devices the guest
 *   reaches. OVMF's QemuFwCfgAcpiPlatformDxe runs the table loader.
 *
 * Everything else of QEMU's stays hidden: its e820 (the guest gets snpemu's), boot order,
 * SMBIOS and the rest describe the L1 machine, not the guest.
 */
#include "l1.h"
#include "guestdev.h"

#define QFW_KERNEL_SIZE 0x08

static bool have_linux;

static const char *const pass_files[] = {
	"etc/table-loader",
	"etc/acpi/tables",
	"etc/acpi/rsdp",
};

void fwcfg_pass_init(void)
{
	u32 size = 0;

	qfw_read(QFW_KERNEL_SIZE, 0, &size, 4);
	have_linux = size != 0;
}

bool fwcfg_pass_linux(void)
{
	return have_linux;
}

bool fwcfg_pass_item(u16 sel)
{
	if (!have_linux)
		return false;
	/* kernel address and size, (legacy) command line address, initrd address and size */
	if (sel >= 0x07 && sel <= 0x0b)
		return true;
	/* kernel entry, kernel, initrd, command line address, size and data, setup */
	return sel >= 0x10 && sel <= 0x18;
}

bool fwcfg_pass_file(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(pass_files); i++)
		if (!strcmp(name, pass_files[i]))
			return true;
	return false;
}

u32 fwcfg_pass_read(u16 sel, u32 off, u8 *buf, u32 len)
{
	/* QEMU reads past an item's end as zeros, as its guest would see them */
	if (len)
		qfw_read(sel, off, buf, len);
	return len;
}
