/*
 * The guest's port I/O, performed by the host side of the IOIO NAE: COM1 (QEMU's real
 * UART: the console), the result port 0xf4, and the guest's fw_cfg, which snpemu serves
 * itself as QEMU would (signature, ID with DMA, CPU count, file directory with etc/e820,
 * etc/bios_gpa, etc/bios_size and any --fw-cfg file, the --kernel blob; QEMU's Linux boot
 * items and ACPI tables pass through, fwcfg_pass.c), and the ports of the
 * test instrument (instrument.c: no part of the SNP model). The guest's VMPLs reach QEMU's
 * chipset through passthru.c; other ports read as all ones and ignore writes, like
 * unassigned ports in QEMU.
 */
#include "l1.h"
#include "guestdev.h"

#define COM1 0x3f8
#define RESULT_PORT 0xf4
#define FWCFG_SEL 0x510
#define FWCFG_DATA 0x511
#define FWCFG_DMA_HI 0x514
#define FWCFG_DMA_LO 0x518

struct gfile {
	char name[56];
	u32 size;
	u16 sel;
	u16 qsel; /* QEMU selector for runner-provided files, 0 = built in */
	u8 data[64];
};

static struct gfile files[24];
static int nr_files;
static u8 dir[4 + 24 * 64];
/* --kernel FILE: the kernel blob (items 0x08 size, 0x11 data), as QEMU's -kernel gives it */
static u16 kernel_qsel;
static u32 kernel_size;
static u16 cur_sel;
static u32 cur_off;
static u32 dma_hi;

static void be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static struct gfile *add_file(const char *name, u32 size)
{
	struct gfile *f = &files[nr_files];

	if (nr_files >= (int)ARRAY_SIZE(files))
		panic("too many guest fw_cfg files");
	memset(f, 0, sizeof(*f));
	memcpy(f->name, name, strlen(name) < 55 ? strlen(name) : 55);
	f->size = size;
	f->sel = (u16)(0x20 + nr_files);
	nr_files++;
	return f;
}

static void e820_add(u8 *e, u32 *n, u64 addr, u64 len, u32 type)
{
	F64(e, *n * 20) = addr;
	F64(e, *n * 20 + 8) = len;
	F32(e, *n * 20 + 16) = type;
	(*n)++;
}

void gfw_init(void)
{
	struct gfile *f;
	u8 e820[3 * 20];
	u32 count, n;

	/* e820 of the guest (QEMU's etc/e820: u64 address, u64 length, u32 type; 1 RAM,
	 * 2 reserved, ACPI spec "System Address Map Interfaces"): RAM below 4 GiB, the firmware
	 * reserved below 4 GiB, RAM from 4 GiB */
	n = 0;
	e820_add(e820, &n, 0, regions[REG_RAM].size, 1);
	if (launch.bios_size)
		e820_add(e820, &n, launch.bios_gpa, launch.bios_size, 2);
	if (regions[REG_RAM_HIGH].size)
		e820_add(e820, &n, regions[REG_RAM_HIGH].gpa, regions[REG_RAM_HIGH].size, 1);
	f = add_file("etc/e820", n * 20);
	memcpy(f->data, e820, n * 20);
	if (launch.bios_size) {
		f = add_file("etc/bios_gpa", 8);
		F64(f->data, 0) = launch.bios_gpa;
		f = add_file("etc/bios_size", 8);
		F64(f->data, 0) = launch.bios_size;
	}
	if (qfw_find("opt/snpemu/kernel", &kernel_size, &kernel_qsel))
		kernel_size = 0;
	fwcfg_pass_init();
	/* files the runner passes with --fw-cfg NAME=FILE arrive as opt/snpemu/gfw/NAME; some
	 * of QEMU's own pass through (fwcfg_pass.c) */
	count = qfw_dir_count();
	for (u32 i = 0; i < count; i++) {
		struct qfw_file e;

		qfw_dir_entry(i, &e);
		if (!strncmp(e.name, "opt/snpemu/gfw/", 15)) {
			f = add_file(e.name + 15, e.size);
			f->qsel = e.sel;
		} else if (fwcfg_pass_file(e.name)) {
			f = add_file(e.name, e.size);
			f->qsel = e.sel;
		}
	}
	be32(dir, (u32)nr_files);
	for (int i = 0; i < nr_files; i++) {
		u8 *d = dir + 4 + 64 * i;

		be32(d, files[i].size);
		d[4] = (u8)(files[i].sel >> 8);
		d[5] = (u8)files[i].sel;
		memcpy(d + 8, files[i].name, 56);
	}
}

/* Read @len bytes of item @sel from @off; returns how many exist. */
static u32 item_read(u16 sel, u32 off, u8 *buf, u32 len)
{
	u8 tmp[8];
	const u8 *src = NULL;
	u32 size = 0;

	if (fwcfg_pass_item(sel))
		return fwcfg_pass_read(sel, off, buf, len);
	switch (sel) {
	case 0x0000:
		src = (const u8 *)"QEMU";
		size = 4;
		break;
	case 0x0001:
		F32(tmp, 0) = 3; /* traditional + DMA */
		src = tmp;
		size = 4;
		break;
	case 0x0003: /* RAM size: all of it, below and above 4 GiB, as QEMU's */
		F64(tmp, 0) = cfg.mem;
		src = tmp;
		size = 8;
		break;
	case 0x0005:
		F16(tmp, 0) = (u16)cfg.smp;
		src = tmp;
		size = 2;
		break;
	case 0x0008: /* kernel size; no setup (0x17), initrd (0x0b) nor command line (0x14) */
		F32(tmp, 0) = kernel_size;
		src = tmp;
		size = 4;
		break;
	case 0x0011:
		if (off >= kernel_size)
			return 0;
		if (len > kernel_size - off)
			len = kernel_size - off;
		qfw_read(kernel_qsel, off, buf, len);
		return len;
	case 0x0019:
		src = dir;
		size = 4 + 64 * (u32)nr_files;
		break;
	default:
		for (int i = 0; i < nr_files; i++) {
			if (files[i].sel != sel)
				continue;
			size = files[i].size;
			if (off >= size)
				return 0;
			if (len > size - off)
				len = size - off;
			if (files[i].qsel)
				qfw_read(files[i].qsel, off, buf, len);
			else
				memcpy(buf, files[i].data + off, len);
			return len;
		}
		return 0;
	}
	if (off >= size)
		return 0;
	if (len > size - off)
		len = size - off;
	memcpy(buf, src + off, len);
	return len;
}

/* fw_cfg DMA (QEMU docs/specs/fw_cfg.txt): the descriptor and buffers must be shared. */
static void fw_dma(u64 gpa)
{
	u8 *d = host_shared_ptr(gpa, 16);
	u32 ctl, len;
	u64 addr;

	if (!d) {
		con_printf("snpemu: guest fw_cfg DMA descriptor at 0x%lx is not shared memory: the "
			   "host "
			   "cannot read it (request ignored)\n",
			   gpa);
		return;
	}
	ctl = __builtin_bswap32(F32(d, 0));
	len = __builtin_bswap32(F32(d, 4));
	addr = __builtin_bswap64(F64(d, 8));
	if (ctl & 8) {
		cur_sel = (u16)(ctl >> 16);
		cur_off = 0;
	}
	if (ctl & 0x10) {
		F32(d, 0) = __builtin_bswap32(1); /* write: not supported */
		return;
	}
	if (ctl & (2 | 4)) {
		if (ctl & 2) {
			u8 *buf = host_shared_ptr(addr, len ? len : 1);
			u32 got;

			if (len && !buf) {
				F32(d, 0) =
					__builtin_bswap32(1); /* private: the host cannot write */
				return;
			}
			got = len ? item_read(cur_sel, cur_off, buf, len) : 0;
			if (got < len)
				memset(buf + got, 0, len - got);
		}
		cur_off += len;
	}
	F32(d, 0) = 0;
}

static bool result_reported;

u64 io_in(struct vcpu *v, u16 port, int size)
{
	if (ti_port(port))
		return ti_in(v, port, size);
	if (port >= COM1 && port < COM1 + 8 && size == 1)
		return inb(port);
	{
		u64 val;

		if (passthru_in(v, port, size, &val))
			return val;
	}
	if (port == FWCFG_DATA && size == 1) {
		u8 b = 0;

		if (item_read(cur_sel, cur_off, &b, 1))
			cur_off++;
		return b;
	}
	return size == 4 ? 0xffffffffULL : (1ULL << (8 * size)) - 1;
}

void io_out(struct vcpu *v, u16 port, int size, u64 val)
{
	if (ti_port(port)) {
		ti_out(v, port, size, val);
		return;
	}
	if (port >= COM1 && port < COM1 + 8 && size == 1) {
		outb(port, (u8)val);
		return;
	}
	if (passthru_out(v, port, size, val))
		return;
	switch (port) {
	case RESULT_PORT:
		if (result_reported)
			return;
		result_reported = true;
		if (size == 4 && val == 0x10) {
			con_printf("snpemu: VMPL%d reported pass\n", v->cur);
			machine_exit(EXIT_PASS);
		}
		con_printf("snpemu: VMPL%d reported failure 0x%lx (%d-byte OUT to port 0xf4)\n",
			   v->cur, val, size);
		machine_exit(EXIT_FAIL);
	case FWCFG_SEL:
		if (size == 2) {
			cur_sel = (u16)val;
			cur_off = 0;
		}
		return;
	case FWCFG_DMA_HI:
		if (size == 4)
			dma_hi = __builtin_bswap32((u32)val);
		return;
	case FWCFG_DMA_LO:
		if (size == 4) {
			fw_dma(((u64)dma_hi << 32) | __builtin_bswap32((u32)val));
			dma_hi = 0;
		}
		return;
	}
}
