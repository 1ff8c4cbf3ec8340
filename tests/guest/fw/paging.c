/* Run-time 4 KiB mappings (see paging.h). */
#include "paging.h"
#include "layout.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "tlib/x86.h"

#define PTE_P BIT_ULL(0)
#define PTE_RW BIT_ULL(1)
#define PTE_PS BIT_ULL(7)
#define PTE_ADDR_MASK GENMASK_ULL(51, 12)

static u64 cbit_mask;
static u64 pool_next = PT_POOL_FREE;

void paging_init(unsigned int cbit)
{
	cbit_mask = BIT_ULL(cbit);
}

u64 paging_cbit_mask(void)
{
	return cbit_mask;
}

static u64 *table_at(u64 entry)
{
	return (u64 *)(uintptr_t)(entry & PTE_ADDR_MASK & ~cbit_mask);
}

static u64 *table_alloc(void)
{
	u64 *t;

	if (pool_next >= PT_POOL_BASE + (u64)PT_POOL_PAGES * PAGE_SIZE)
		return NULL;
	t = (u64 *)(uintptr_t)pool_next;
	pool_next += PAGE_SIZE;
	memset(t, 0, PAGE_SIZE);
	return t;
}

/* The entry pointing to the next-level table, allocating that table if it is missing. */
static u64 *next_table(u64 *entry)
{
	u64 *t;

	if (*entry & PTE_P)
		return table_at(*entry);
	t = table_alloc();
	if (!t)
		return NULL;
	*entry = (u64)(uintptr_t)t | cbit_mask | PTE_RW | PTE_P;
	return t;
}

/* Replace a 2 MiB mapping by 512 4 KiB ones with the same target and attributes. */
static u64 *split_2m(u64 *pde)
{
	u64 base = *pde & PTE_ADDR_MASK & ~cbit_mask & ~(PAGE_2M_SIZE - 1);
	u64 attrs = (*pde & ~PTE_ADDR_MASK & ~PTE_PS) | (*pde & cbit_mask);
	u64 *pt = table_alloc();

	if (!pt)
		return NULL;
	for (u64 i = 0; i < 512; i++)
		pt[i] = (base + i * PAGE_SIZE) | attrs;
	*pde = (u64)(uintptr_t)pt | cbit_mask | PTE_RW | PTE_P;
	flush_tlb();
	return pt;
}

int map_page(u64 va, u64 gpa, bool private)
{
	u64 *pml4 = (u64 *)(uintptr_t)PML4_GPA, *pdpt, *pd, *pt;
	u64 *pde;

	if (!IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(gpa, PAGE_SIZE) || va >> 47 ||
	    gpa & ~PTE_ADDR_MASK)
		return -EINVAL;
	pdpt = next_table(&pml4[(va >> 39) & 511]);
	if (!pdpt)
		return -ENOMEM;
	if (pdpt[(va >> 30) & 511] & PTE_PS)
		return -EINVAL; /* no 1 GiB pages in this firmware */
	pd = next_table(&pdpt[(va >> 30) & 511]);
	if (!pd)
		return -ENOMEM;
	pde = &pd[(va >> 21) & 511];
	pt = (*pde & (PTE_P | PTE_PS)) == (PTE_P | PTE_PS) ? split_2m(pde) : next_table(pde);
	if (!pt)
		return -ENOMEM;
	pt[(va >> 12) & 511] = gpa | (private ? cbit_mask : 0) | PTE_RW | PTE_P;
	flush_tlb();
	return 0;
}
