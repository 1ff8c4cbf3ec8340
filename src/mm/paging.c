/* Step 5 of svsm_main: the SVSM's final page tables (include/mm/paging.h). */
#include "mm/paging.h"
#include "arch/insn.h"
#include "arch/layout.h"
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
