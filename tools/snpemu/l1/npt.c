/*
 * Nested page tables, rebuilt from the RMP. QEMU uses 5-level nested paging because the L1
 * runs with CR4.LA57, so GPA bit 51 (the C-bit) selects PML5 entry 8: the private view.
 *
 *   shared tree[v]   per VMPL: maps every page that is not assigned (NX: fetches are always
 *                    private; read-only unless written since the vCPU's last exit, so that a
 *                    page-table walk through it faults: ptw.c), plus the private
 *                    pages VMPL v walked or fetched through with C=0 (RMP_ALIAS, ptw.c),
 *                    mapped as in private tree[v].
 *   private tree[v]  per VMPL: maps assigned+validated pages the VMPL may access
 *                    (VMPL0 always; VMPL1-3 per the RMP mask: R -> present, W or a walker
 *                    grant -> writable, both user- and supervisor-execute (or one of them
 *                    and an exec grant, xperm.c) -> executable), except a page the
 *                    test instrument watches, which the image's VMPL finds unmapped.
 *   root[v][NORMAL]        PML5[0] = shared tree[v], PML5[8] = private tree[v]
 *   root[v][PRIVATE_ONLY]  PML5[0] = PML5[8] = private tree[v], for guest modes in which SEV
 *                          treats every access as private (paging off, 32-bit paging).
 *
 * Every nested access counts as a user access in QEMU's nested walk, so U is set everywhere.
 * Whole 2 MiB chunks with one state get 2 MiB leaves; page tables of split chunks are kept
 * (never freed: another L1 CPU may still be walking them) and reused.
 */
#include "l1.h"

#define NPT_P 1ULL
#define NPT_W 2ULL
#define NPT_U 4ULL
#define NPT_PS 0x80ULL
#define NPT_NX (1ULL << 63)
#define NPT_TABLE (NPT_P | NPT_W | NPT_U)
#define NPT_ADDR 0x000ffffffffff000ULL

#define NR_TREES (2 * NR_VMPLS)
#define SHARED_TREE(vmpl) (vmpl)
#define PRIVATE_TREE(vmpl) (NR_VMPLS + (vmpl))

static u64 *tree_pml4[NR_TREES];
static u64 *roots[NR_VMPLS][2];
static u64 **pt_cache[NR_TREES][NR_REGIONS];

static u64 private_flags(int vmpl, u32 e, u64 gpa)
{
	unsigned int perm, stale = (e & RMP_ASSIGNED) ? tlb_stale_perm(gpa, vmpl) : 0;
	u64 f;

	if ((e & (RMP_ASSIGNED | RMP_VALIDATED)) != (RMP_ASSIGNED | RMP_VALIDATED) && !stale)
		return 0;
	if ((e & RMP_TI_WATCH) && vmpl == launch.vmpl)
		return 0; /* the test instrument's read watch: every access of the image traps */
	if ((e & (RMP_EV_PENDING | RMP_EV_SHOWN)) == RMP_EV_PENDING && vmpl == launch.vmpl)
		return 0; /* the eviction books: the image's first accesses trap */
	/* what the RMP grants now, and what stale translations still give (tlb.c) */
	perm = ((e & RMP_VALIDATED) ? rmp_perm(e, vmpl) : 0) | stale;
	if (!(perm & RMP_PERM_R))
		return 0;
	f = NPT_P | NPT_U;
	if ((perm & RMP_PERM_W) || (e & RMP_WGRANT(vmpl)))
		f |= NPT_W;
	if (!xperm_exec_mapped(perm, e)) /* user/supervisor execute: xperm.c */
		f |= NPT_NX;
	return f;
}

static u64 leaf_flags(int tree, u32 e, u64 gpa)
{
	int vmpl = tree % NR_VMPLS;

	if (e & RMP_SCRAMBLE)
		return 0; /* contents pending: the first touch faults and scrambles them */
	if (tree == PRIVATE_TREE(vmpl))
		return private_flags(vmpl, e, gpa);
	if (!(e & RMP_ASSIGNED)) /* read-only but while written: a walk through it faults */
		return NPT_P | NPT_U | NPT_NX | ((e & RMP_SHWRITE) ? NPT_W : 0);
	return (e & RMP_ALIAS(vmpl)) ? private_flags(vmpl, e, gpa) : 0;
}

/* Page directory of the 2 MiB chunk at @gpa in @tree, created on demand. */
static u64 *pd_of(int tree, u64 gpa)
{
	u64 *t = tree_pml4[tree];

	for (int shift = 39; shift > 21; shift -= 9) {
		u64 *e = &t[(gpa >> shift) & 511];

		if (!(*e & NPT_P))
			*e = (u64)page_alloc() | NPT_TABLE;
		t = (u64 *)(*e & NPT_ADDR);
	}
	return &t[(gpa >> 21) & 511];
}

static void sync_chunk(struct region *r, u64 chunk, u64 first, u64 n)
{
	int ri = (int)(r - regions);
	u64 cidx = (chunk - ALIGN_DOWN(r->gpa, PAGE_2M_SIZE)) >> PAGE_2M_SHIFT;
	bool full_chunk = chunk >= r->gpa && chunk + PAGE_2M_SIZE <= r->gpa + r->size;

	for (int tree = 0; tree < NR_TREES; tree++) {
		u64 *pde = pd_of(tree, chunk), *pt;
		u64 **cache = &pt_cache[tree][ri][cidx];

		if (full_chunk && n == PAGES_PER_2M) {
			u32 *e = rmp_entry(chunk);
			u64 f = leaf_flags(tree, e[0], chunk);
			bool uniform = true;

			for (u64 i = 1; i < PAGES_PER_2M && uniform; i++)
				uniform = leaf_flags(tree, e[i], chunk + i * PAGE_SIZE) == f;
			if (uniform) {
				WRITE_ONCE(*pde,
					   f ? ((r->hpa + (chunk - r->gpa)) | f | NPT_PS) : 0);
				continue;
			}
		}
		pt = *cache;
		if (!pt) {
			pt = page_alloc();
			*cache = pt;
		}
		if ((*pde & NPT_ADDR) != (u64)pt || !(*pde & NPT_P) || (*pde & NPT_PS)) {
			/* (re)build the whole table from the RMP, then link it */
			for (u64 i = 0; i < PAGES_PER_2M; i++) {
				u64 gpa = chunk + i * PAGE_SIZE;
				u32 *e = rmp_entry(gpa);
				u64 f = (e && region_of(gpa) == r) ? leaf_flags(tree, *e, gpa) : 0;

				WRITE_ONCE(pt[i], f ? ((r->hpa + (gpa - r->gpa)) | f) : 0);
			}
			WRITE_ONCE(*pde, (u64)pt | NPT_TABLE);
			continue;
		}
		for (u64 i = 0; i < n; i++) {
			u64 gpa = first + i * PAGE_SIZE;
			u64 f = leaf_flags(tree, *rmp_entry(gpa), gpa);

			WRITE_ONCE(pt[(gpa >> PAGE_SHIFT) & 511],
				   f ? ((r->hpa + (gpa - r->gpa)) | f) : 0);
		}
	}
}

void npt_sync(u64 gpa, u64 npages)
{
	while (npages) {
		struct region *r = region_of(gpa);
		u64 chunk = ALIGN_DOWN(gpa, PAGE_2M_SIZE);
		u64 n = (chunk + PAGE_2M_SIZE - gpa) >> PAGE_SHIFT;

		if (n > npages)
			n = npages;
		if (!r)
			panic("npt_sync outside guest memory (gpa 0x%lx)", gpa);
		if (gpa + n * PAGE_SIZE > r->gpa + r->size)
			n = (r->gpa + r->size - gpa) >> PAGE_SHIFT;
		sync_chunk(r, chunk, gpa, n);
		gpa += n * PAGE_SIZE;
		npages -= n;
	}
}

void npt_init(void)
{
	for (int t = 0; t < NR_TREES; t++)
		tree_pml4[t] = page_alloc();
	for (int i = 0; i < NR_REGIONS; i++) {
		struct region *r = &regions[i];
		u64 chunks;

		if (!r->size)
			continue;
		chunks = (ALIGN_UP(r->gpa + r->size, PAGE_2M_SIZE) -
			  ALIGN_DOWN(r->gpa, PAGE_2M_SIZE)) >>
			 PAGE_2M_SHIFT;
		for (int t = 0; t < NR_TREES; t++)
			pt_cache[t][i] =
				pages_alloc((chunks * sizeof(u64 *) + PAGE_SIZE - 1) >> PAGE_SHIFT);
		npt_sync(r->gpa, r->size >> PAGE_SHIFT);
	}
	for (int v = 0; v < NR_VMPLS; v++) {
		u64 priv = (u64)tree_pml4[PRIVATE_TREE(v)] | NPT_TABLE;
		int cidx = 1 << (CBIT_POS - 48);

		roots[v][ROOT_NORMAL] = page_alloc();
		roots[v][ROOT_NORMAL][0] = (u64)tree_pml4[SHARED_TREE(v)] | NPT_TABLE;
		roots[v][ROOT_NORMAL][cidx] = priv;
		roots[v][ROOT_PRIVATE_ONLY] = page_alloc();
		roots[v][ROOT_PRIVATE_ONLY][0] = priv;
		roots[v][ROOT_PRIVATE_ONLY][cidx] = priv;
	}
}

u64 npt_root(int vmpl, int kind)
{
	return (u64)roots[vmpl][kind];
}
