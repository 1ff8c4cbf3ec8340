/*
 * The L1 machine itself: interrupts, local APIC, bringing up the other L1 CPUs (one per
 * emulated vCPU), QEMU's own fw_cfg (how the runner hands us the image, the firmware and
 * the options) and the L1's memory: a page heap for its own tables and 2 MiB-aligned backing
 * memory for guest RAM.
 */
#include "l1.h"

extern u64 isr_table[32], isr_ipi, isr_spurious;
extern u64 boot_pml5[512], boot_pml4[512], boot_pdpt[512];
extern char ap_tramp_start[], ap_tramp_end[], __bss_end[], l1_stacks[], l1_stacks_end[];
extern void svm_run(u64 vmcb, struct gprs *g, u64 tsc[2]);

int nr_l1_cpus = 1;
static volatile int cpus_online = 1;

/* ---- IDT ---- */
struct idt_gate {
	u16 off0, sel;
	u8 ist, type;
	u16 off1;
	u32 off2, rsvd;
} __packed;

static struct idt_gate idt[256] __aligned(16);

static void set_gate(int vec, u64 addr)
{
	idt[vec] = (struct idt_gate){ (u16)addr,	 0x18, 0, 0x8e, (u16)(addr >> 16),
				      (u32)(addr >> 32), 0 };
}

void idt_init(void)
{
	struct desc_ptr d = { sizeof(idt) - 1, (u64)idt };

	if (!idt[0].type) {
		for (int i = 0; i < 32; i++)
			set_gate(i, isr_table[i]);
		set_gate(IPI_VECTOR, isr_ipi);
		set_gate(0xff, isr_spurious);
	}
	load_idt(&d);
}

struct irq_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8, rdi, rsi, rbp, rbx, rdx, rcx, rax;
	u64 vec, err, rip, cs, rflags, rsp, ss;
};

#define LAPIC_BASE 0xfee00000UL
#define LAPIC(off) (*(volatile u32 *)(LAPIC_BASE + (off)))

void l1_interrupt(struct irq_frame *f)
{
	if (f->vec == IPI_VECTOR) {
		LAPIC(0xb0) = 0; /* EOI */
		return;
	}
	if (f->vec == 0xff)
		return;
	panic("L1 exception %lu (error 0x%lx) at rip 0x%lx, cr2 0x%lx, rsp 0x%lx", f->vec, f->err,
	      f->rip, read_cr2(), f->rsp);
}

/* ---- local APIC (xAPIC, identity mapped) ---- */
void lapic_init(void)
{
	LAPIC(0xf0) = 0x1ff; /* software enable, spurious vector 0xff */
	LAPIC(0x80) = 0;     /* TPR */
}

u32 lapic_id(void)
{
	return LAPIC(0x20) >> 24;
}

static void lapic_icr(u32 dest, u32 lo)
{
	LAPIC(0x310) = dest << 24;
	LAPIC(0x300) = lo;
	while (LAPIC(0x300) & (1 << 12))
		cpu_relax();
}

void lapic_send_ipi(u32 apic_id, u8 vector)
{
	lapic_icr(apic_id, vector); /* fixed, physical */
}

int this_cpu(void)
{
	return (int)lapic_id();
}

void smp_boot_aps(int n)
{
	u8 *dst = (u8 *)0x8000;

	if (n <= 1)
		return;
	memcpy(dst, ap_tramp_start, (size_t)(ap_tramp_end - ap_tramp_start));
	for (int i = 1; i < n; i++) {
		lapic_icr((u32)i, 0x4500);	  /* INIT */
		lapic_icr((u32)i, 0x4600 | 0x08); /* SIPI -> 0x8000 */
		lapic_icr((u32)i, 0x4600 | 0x08);
	}
	while (READ_ONCE(cpus_online) < n)
		cpu_relax();
}

/* Sleep until an IPI arrives (the caller re-checks its condition). */
void idle_wait(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* ---- QEMU fw_cfg, DMA interface ---- */
#define FW_CFG_SEL 0x510
#define FW_CFG_DMA_HI 0x514
#define FW_CFG_DMA_LO 0x518
#define FW_CFG_FILE_DIR 0x19
#define DMA_ERROR 1U
#define DMA_READ 2U
#define DMA_SKIP 4U
#define DMA_SELECT 8U

struct fw_dma {
	u32 control, length;
	u64 address;
} __packed __aligned(16);

static struct spinlock qfw_lock;

static void qfw_dma(u32 control, void *buf, u32 len)
{
	static struct fw_dma d;
	u64 a = (u64)&d;

	d.control = __builtin_bswap32(control);
	d.length = __builtin_bswap32(len);
	d.address = __builtin_bswap64((u64)buf);
	barrier();
	outl(FW_CFG_DMA_HI, __builtin_bswap32((u32)(a >> 32)));
	outl(FW_CFG_DMA_LO, __builtin_bswap32((u32)a));
	while (__builtin_bswap32(READ_ONCE(d.control)) & ~DMA_ERROR)
		cpu_relax();
	if (__builtin_bswap32(READ_ONCE(d.control)) & DMA_ERROR)
		panic("QEMU fw_cfg DMA error");
}

void qfw_read(u16 sel, u64 offset, void *buf, u32 len)
{
	spin_lock(&qfw_lock);
	qfw_dma(((u32)sel << 16) | DMA_SELECT | DMA_SKIP, NULL, (u32)offset);
	if (len)
		qfw_dma(DMA_READ, buf, len);
	spin_unlock(&qfw_lock);
}

u32 qfw_dir_count(void)
{
	u32 count;

	qfw_read(FW_CFG_FILE_DIR, 0, &count, 4);
	return MIN(__builtin_bswap32(count), 4096U);
}

void qfw_dir_entry(u32 i, struct qfw_file *f)
{
	struct {
		u32 size;
		u16 sel, rsvd;
		char name[56];
	} __packed e;

	qfw_read(FW_CFG_FILE_DIR, 4 + (u64)i * sizeof(e), &e, sizeof(e));
	f->size = __builtin_bswap32(e.size);
	f->sel = __builtin_bswap16(e.sel);
	memcpy(f->name, e.name, sizeof(f->name));
	f->name[sizeof(f->name) - 1] = 0;
}

int qfw_find(const char *name, u32 *size, u16 *sel)
{
	u32 count = qfw_dir_count();
	struct qfw_file f;

	for (u32 i = 0; i < count; i++) {
		qfw_dir_entry(i, &f);
		if (!strcmp(f.name, name)) {
			*size = f.size;
			*sel = f.sel;
			return 0;
		}
	}
	return -1;
}

/* ---- memory ---- */
#define L1_HEAP_END 0x6000000UL /* 96 MiB: image, heap; guest backing above */
static u64 heap_next, heap_end;
static void *free_pages;
static struct spinlock heap_lock;

struct ram_range {
	u64 start, end;
};
static struct ram_range ram[16];
static int nr_ram;

/* Heap space beyond the first 96 MiB comes from the backing memory, in chunks of this much (the
 * RMP and nested tables of a large guest need more: scripts/snpemu sizes L1 RAM for them). */
#define HEAP_CHUNK (32ULL << 20)

void *pages_alloc(u64 n)
{
	void *p;

	spin_lock(&heap_lock);
	if (heap_next + n * PAGE_SIZE > heap_end) {
		u64 size = n * PAGE_SIZE > HEAP_CHUNK ? n * PAGE_SIZE : HEAP_CHUNK;
		u64 a = backing_alloc(size);

		if (!a)
			panic("L1 heap exhausted (%lu pages wanted)", n);
		heap_next = a;
		heap_end = a + ALIGN_UP(size, PAGE_2M_SIZE);
	}
	p = (void *)heap_next;
	heap_next += n * PAGE_SIZE;
	spin_unlock(&heap_lock);
	return p; /* never touched since QEMU zeroed the RAM */
}

void *page_alloc(void)
{
	void *p = NULL;

	spin_lock(&heap_lock);
	if (free_pages) {
		p = free_pages;
		free_pages = *(void **)p;
	}
	spin_unlock(&heap_lock);
	if (p) {
		memset(p, 0, PAGE_SIZE);
		return p;
	}
	return pages_alloc(1);
}

void page_free(void *p)
{
	spin_lock(&heap_lock);
	*(void **)p = free_pages;
	free_pages = p;
	spin_unlock(&heap_lock);
}

/* Extend the identity map (2 MiB pages) up to @end. */
static void map_identity(u64 end)
{
	for (u64 gb = 4; gb < (end + (1UL << 30) - 1) >> 30; gb++) {
		u64 *pd;

		if (gb >= 512)
			panic("L1 RAM above 512 GiB is not supported");
		if (boot_pdpt[gb] & 1)
			continue;
		pd = page_alloc();
		for (int i = 0; i < 512; i++)
			pd[i] = ((gb << 30) + ((u64)i << 21)) | 0x83;
		boot_pdpt[gb] = (u64)pd | 3;
	}
	flush_tlb();
}

void mem_init(void)
{
	struct e820 e[32];
	u32 size;
	u16 sel;
	u64 top = 0;

	heap_next = ALIGN_UP((u64)__bss_end, PAGE_2M_SIZE);
	heap_end = L1_HEAP_END;
	if (qfw_find("etc/e820", &size, &sel) || size > sizeof(e))
		panic("QEMU fw_cfg etc/e820 missing");
	qfw_read(sel, 0, e, size);
	for (u32 i = 0; i < size / sizeof(e[0]); i++) {
		u64 s = e[i].addr, end = e[i].addr + e[i].len;

		if (e[i].type != 1)
			continue;
		if (end > top)
			top = end;
		if (s < L1_HEAP_END)
			s = L1_HEAP_END;
		s = ALIGN_UP(s, PAGE_2M_SIZE);
		end = ALIGN_DOWN(end, PAGE_2M_SIZE);
		if (s < end && nr_ram < (int)ARRAY_SIZE(ram))
			ram[nr_ram++] = (struct ram_range){ s, end };
	}
	if (top < L1_HEAP_END)
		panic("L1 machine has too little RAM");
	map_identity(top);
}

u64 backing_alloc(u64 size)
{
	size = ALIGN_UP(size, PAGE_2M_SIZE);
	for (int i = 0; i < nr_ram; i++) {
		if (ram[i].end - ram[i].start >= size) {
			u64 a = ram[i].start;

			ram[i].start += size;
			return a;
		}
	}
	return 0;
}

/* ---- entry from head.S on every L1 CPU ---- */
static void boot_bsp(void)
{
	u32 r[4];

	outb(0x3f8 + 3, 0x03); /* 8N1 */
	idt_init();
	lapic_init();
	cpuid(0x80000001, 0, r);
	if (!(r[2] & (1 << 2)))
		panic("the L1 CPU has no SVM (QEMU -cpu needs +svm)");
	cpuid(0x8000000a, 0, r);
	if (!(r[3] & 1))
		panic("the L1 CPU has no nested paging (QEMU -cpu needs +npt)");
	if ((u64)(l1_stacks_end - l1_stacks) < (u64)MAX_CPUS * L1_STACK_SIZE)
		panic("head.S has stacks for fewer than MAX_CPUS (%d) L1 CPUs", MAX_CPUS);
	mem_init();
	config_load();
	host_init();
	nr_l1_cpus = cfg.smp;
	launch_svsm();
	vcpus_init();
	smp_boot_aps(cfg.smp);
}

__noreturn void l1_main(int cpu)
{
	if (cpu == 0) {
		boot_bsp();
	} else {
		idt_init();
		lapic_init();
		if ((int)lapic_id() != cpu)
			panic("L1 CPU %d has APIC ID %u", cpu, lapic_id());
		__atomic_add_fetch(&cpus_online, 1, __ATOMIC_ACQ_REL);
	}
	vcpu_loop(cpu);
}
