// SPDX-License-Identifier: MIT
/* Step 5 of svsm_main: the SVSM's final page tables (include/mm/paging.h). */
#include "mm/paging.h"
#include "arch/insn.h"
#include "arch/layout.h"
#include "arch/percpu.h"
#include "lib/errno.h"
#include "lib/log.h"
#include "lib/spinlock.h"
#include "mm/mem_init.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "sev/terminate.h"

extern char early_ghcb[], boot_stack_guard[]; /* start.S */

static struct pgtable kpt;
static struct spinlock paging_lock = SPINLOCK_INIT;

static void *table_alloc(void *ctx)
{
	(void)ctx;
	return page_zalloc(0);
}

static void table_free(void *ctx, void *table)
{
	(void)ctx;
	page_free(table);
}

static u64 table_virt_to_phys(void *ctx, const void *va)
{
	(void)ctx;
	return svsm_va_to_pa(va);
}

static void *table_phys_to_virt(void *ctx, u64 pa)
{
	(void)ctx;
	return svsm_pa_to_va(pa);
}

static const struct pgtable_ops kpt_ops = {
	.alloc_table = table_alloc,
	.free_table = table_free,
	.virt_to_phys = table_virt_to_phys,
	.phys_to_virt = table_phys_to_virt,
	.ctx = NULL,
};

static u64 va_of(const void *p)
{
	return (u64)(uintptr_t)p;
}

/* Map [start, end) of SVSM memory at its usual offset. Any failure here is fatal: the
 * tables are still unused, and without them there is no SVSM. */
static void map_range(u64 start, u64 end, unsigned int attrs, const char *what)
{
	int rc;

	if (end <= start)
		return;
	rc = pgt_map(&kpt, start, svsm_va_to_pa((void *)(uintptr_t)start), end - start, attrs);
	if (rc)
		fatal(rc == -ENOMEM ? TERM_NOMEM : TERM_LAYOUT, "mapping %s failed (%d)", what, rc);
}

static void protect_page(u64 va, unsigned int attrs, const char *what)
{
	int rc = pgt_protect(&kpt, va, PAGE_SIZE, attrs);

	if (rc)
		fatal(rc == -ENOMEM ? TERM_NOMEM : TERM_LAYOUT, "remapping %s failed (%d)", what,
		      rc);
}

static void unmap_page(u64 va, const char *what)
{
	int rc = pgt_unmap(&kpt, va, PAGE_SIZE);

	if (rc)
		fatal(rc == -ENOMEM ? TERM_NOMEM : TERM_LAYOUT, "unmapping %s failed (%d)", what,
		      rc);
}

static void map_image(void)
{
	map_range(va_of(__text_start), va_of(__text_end), PGT_EXEC, ".text");
	map_range(va_of(__rodata_start), va_of(__rodata_end), 0, ".rodata");
	map_range(va_of(__data_start), va_of(__bss_end), PGT_WRITE, ".data/.bss");
	map_range(va_of(__footer_start), ALIGN_UP(va_of(__file_end), PAGE_SIZE), 0, "footer");
	map_range(va_of(__secrets_page), va_of(__image_pages_end), 0, "metadata pages");
	protect_page(va_of(early_ghcb), PGT_WRITE | PGT_SHARED, "the BSP's GHCB");
	unmap_page(va_of(boot_stack_guard), "the boot stack guard");
}

void paging_init(void)
{
	u64 cbit_mask = 1ULL << SVSM_CBIT;

	if (pgt_init(&kpt, &kpt_ops, cbit_mask))
		fatal(TERM_NOMEM, "no page for the top-level page table");
	map_image();
	map_range(shared_pool_start(), shared_pool_end(), PGT_WRITE | PGT_SHARED, "shared pool");
	map_range(SVSM_GVA + SVSM_DYN_OFFSET, SVSM_GVA + SVSM_MEM, PGT_WRITE, "dynamic memory");
	write_cr3(pgt_cr3(&kpt));
	log_info("paging: own page tables live (CR3 %#llx): text RX, data NX, guard pages, "
		 "GHCB shared",
		 (unsigned long long)pgt_cr3(&kpt));
}

u64 paging_cr3(void)
{
	return pgt_cr3(&kpt);
}

u64 paging_alloc_stack(size_t size, u64 *bottom)
{
	size_t pages = size / PAGE_SIZE + 1; /* + the guard page */
	unsigned int order = 0;
	u64 block;
	int rc;

	while ((1UL << order) < pages)
		order++;
	block = (u64)(uintptr_t)page_zalloc(order);
	if (!block)
		return 0;
	/* The block's first page is the guard; the stack gets all the rest (>= size). */
	spin_lock(&paging_lock);
	rc = pgt_unmap(&kpt, block, PAGE_SIZE);
	spin_unlock(&paging_lock);
	if (rc) {
		page_free((void *)(uintptr_t)block);
		return 0;
	}
	invlpg(block);
	*bottom = block + PAGE_SIZE;
	return block + ((u64)PAGE_SIZE << order);
}

/* ---- Per-vCPU mapping windows (paging.h) ---- */

static struct {
	u64 *pte; /* PAGING_WINDOW_SLOTS leaf entries of the 4 KiB slots */
	u64 *pde; /* the 2 MiB slot's entry in its page directory */
} windows[SVSM_MAX_CPUS];

static u64 window_va(unsigned int cpu)
{
	return PAGING_WINDOW_BASE + (u64)cpu * PAGING_WINDOW_STRIDE;
}

/* The entry that maps @va at @level (1 = 4 KiB leaf, 2 = page directory), or NULL if a
 * table on the way is missing or a larger page covers it. */
static u64 *entry_of(u64 va, int level)
{
	u64 *table = kpt.pml4;
	int l;

	for (l = 4; l > level; l--) {
		u64 e = table[(va >> (PAGE_SHIFT + 9 * (l - 1))) % 512];

		if (!(e & PTE_P) || (e & PTE_PS))
			return NULL;
		table = svsm_pa_to_va(e & PTE_ADDR_MASK & ~kpt.cbit_mask);
	}
	return &table[(va >> (PAGE_SHIFT + 9 * (level - 1))) % 512];
}

int paging_window_init(unsigned int cpu)
{
	u64 va = window_va(cpu);
	int rc;

	if (cpu >= SVSM_MAX_CPUS)
		return -EINVAL;
	if (windows[cpu].pte)
		return 0;
	spin_lock(&paging_lock);
	/* Map both halves once so that pgtable allocates their tables, then take the mappings
	 * away again: table pages stay (pgtable.h). Nothing is accessed through them. */
	rc = pgt_map(&kpt, va, 0, PAGE_2M_SIZE, PGT_4K);
	if (!rc) {
		rc = pgt_map(&kpt, va + PAGE_2M_SIZE, 0, PAGE_2M_SIZE, 0);
		if (rc)
			pgt_unmap(&kpt, va, PAGE_2M_SIZE);
	}
	if (!rc)
		rc = pgt_unmap(&kpt, va, 2 * PAGE_2M_SIZE);
	if (!rc) {
		windows[cpu].pte = entry_of(va, 1);
		windows[cpu].pde = entry_of(va + PAGE_2M_SIZE, 2);
		if (!windows[cpu].pte || !windows[cpu].pde)
			rc = -EPROTO;
	}
	spin_unlock(&paging_lock);
	flush_tlb_all();
	return rc;
}

/* A private, non-executable leaf entry with A and D preset (as mm/pgtable writes them). */
static u64 window_leaf(u64 pa, unsigned int attrs, bool is_2m)
{
	u64 e = pa | PTE_P | PTE_A | PTE_D | PTE_NX | kpt.cbit_mask;

	if (attrs & PGT_WRITE)
		e |= PTE_W;
	if (is_2m)
		e |= PTE_PS;
	return e;
}

void *paging_window_map(unsigned int slot, u64 pa, unsigned int attrs)
{
	unsigned int cpu = this_cpu()->index;
	u64 va = window_va(cpu) + (u64)slot * PAGE_SIZE;

	if (slot >= PAGING_WINDOW_SLOTS || !windows[cpu].pte || !IS_ALIGNED(pa, PAGE_SIZE) ||
	    pa >= kpt.cbit_mask)
		fatal(TERM_LAYOUT, "bad window mapping: slot %u, %#llx", slot,
		      (unsigned long long)pa);
	WRITE_ONCE(windows[cpu].pte[slot], window_leaf(pa, attrs, false));
	invlpg(va);
	return (void *)(uintptr_t)va;
}

void paging_window_unmap(unsigned int slot)
{
	unsigned int cpu = this_cpu()->index;

	if (slot >= PAGING_WINDOW_SLOTS || !windows[cpu].pte)
		return;
	WRITE_ONCE(windows[cpu].pte[slot], 0);
	invlpg(window_va(cpu) + (u64)slot * PAGE_SIZE);
}

void *paging_window_map_2m(u64 pa, unsigned int attrs)
{
	unsigned int cpu = this_cpu()->index;
	u64 va = window_va(cpu) + PAGE_2M_SIZE;

	if (!windows[cpu].pde || !IS_ALIGNED(pa, PAGE_2M_SIZE) || pa >= kpt.cbit_mask)
		fatal(TERM_LAYOUT, "bad 2 MiB window mapping: %#llx", (unsigned long long)pa);
	WRITE_ONCE(*windows[cpu].pde, window_leaf(pa, attrs, true));
	invlpg(va);
	return (void *)(uintptr_t)va;
}

void paging_window_unmap_2m(void)
{
	unsigned int cpu = this_cpu()->index;

	if (!windows[cpu].pde)
		return;
	WRITE_ONCE(*windows[cpu].pde, 0);
	invlpg(window_va(cpu) + PAGE_2M_SIZE);
}
