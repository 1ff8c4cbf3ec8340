/*
 * Port I/O of the guest's VMPLs (the firmware, never the image's VMPL) forwarded to QEMU's own
 * PC chipset, as a KVM host's QEMU serves it: PCI configuration, CMOS/RTC, the PIIX4 ACPI PM
 * block (OVMF's delays read its timer), the IDE ports. OVMF reads the PCI host bridge and
 * waits on the PM timer; with every port reading all ones it hangs.
 *
 * Denied (they keep the snpemu meaning, or belong to the L1 machine itself): the L1's PIC,
 * ELCR, PIT and port 0x61, the keyboard controller and port 0x92 (reset lines), 0xcf9 (reset
 * control), APM 0xb2/0xb3 (an SMI the L1 could not take), snpemu's guest fw_cfg, the stats
 * channel 0xe9, the result port 0xf4-0xf7 and COM1 (io_in/io_out serve those before this),
 * and the test instrument.
 *
 * No device may master the bus: its DMA would land at L1 physical addresses, not in guest
 * memory, so the PCI command register's Bus Master bit is masked in every forwarded write.
 */
#include "guestdev.h"

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc
#define PCI_COMMAND 0x04
#define PCI_COMMAND_MASTER 0x4

static u32 pci_addr; /* the guest's last CONFIG_ADDRESS (QEMU holds the same) */

static bool denied(u16 port)
{
	return (port >= 0x20 && port <= 0x21) || (port >= 0xa0 && port <= 0xa1) ||
	       (port >= 0x4d0 && port <= 0x4d1) || (port >= 0x40 && port <= 0x43) || port == 0x61 ||
	       port == 0x60 || port == 0x64 || port == 0x92 || port == 0xcf9 || port == 0xb2 ||
	       port == 0xb3 || (port >= 0x510 && port <= 0x51b) || port == 0xe9 ||
	       (port >= 0xf4 && port <= 0xf7) || (port >= 0x3f8 && port <= 0x3ff) || ti_port(port);
}

static bool forwarded(struct vcpu *v, u16 port, int size)
{
	if (v->cur == launch.vmpl || (size != 1 && size != 2 && size != 4))
		return false;
	if (port == PCI_ADDR && size == 4)
		return true; /* CONFIG_ADDRESS: a dword access is no access to 0xcf9 */
	for (int i = 0; i < size; i++)
		if (denied((u16)(port + i)))
			return false;
	return true;
}

bool passthru_in(struct vcpu *v, u16 port, int size, u64 *val)
{
	if (!forwarded(v, port, size))
		return false;
	*val = size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
	return true;
}

bool passthru_out(struct vcpu *v, u16 port, int size, u64 val)
{
	if (!forwarded(v, port, size))
		return false;
	if (port == PCI_ADDR && size == 4)
		pci_addr = (u32)val;
	/* the command register's low byte (offset 4) of an enabled configuration cycle */
	if (port == PCI_DATA && (pci_addr & 0x800000fc) == 0x80000000 + PCI_COMMAND)
		val &= ~(u64)PCI_COMMAND_MASTER;
	if (size == 1)
		outb(port, (u8)val);
	else if (size == 2)
		outw(port, (u16)val);
	else
		outl(port, (u32)val);
	return true;
}
