/*
 * Guest physical memory: three regions (guest RAM, the VMPL1 firmware below 4 GiB, SVSM
 * memory), each backed by contiguous L1 RAM and carrying one RMP entry per 4 KiB page.
 * Also the walks the hardware does on the guest's behalf (guest page tables, RMP checks), used
 * to fetch instruction bytes and deliver #VC frames. As on SNP hardware, the table reads and
 * instruction fetches are private whatever the C-bit says (ptw.c); the leaf's C-bit decides
 * for data.
 */
#include "l1.h"

struct region regions[NR_REGIONS];

struct region *region_of(u64 gpa)
{
	for (int i = 0; i < NR_REGIONS; i++) {
		struct region *r = &regions[i];

		if (r->size && gpa >= r->gpa && gpa - r->gpa < r->size)
			return r;
	}
	return NULL;
}

u32 *rmp_entry(u64 gpa)
{
	struct region *r = region_of(gpa);

	return r ? &r->rmp[(gpa - r->gpa) >> PAGE_SHIFT] : NULL;
}

void *gpa_hva(u64 gpa)
{
	struct region *r = region_of(gpa);

	return r ? (void *)(r->hpa + (gpa - r->gpa)) : NULL;
}

void *host_shared_ptr(u64 gpa, size_t len)
{
	u64 last;

	if (!len || check_add_overflow(gpa, (u64)len - 1, &last))
		return NULL;
	for (u64 p = ALIGN_DOWN(gpa, PAGE_SIZE); p <= last; p += PAGE_SIZE) {
		u32 *e = rmp_entry(p);

		if (!e || (READ_ONCE(*e) & RMP_ASSIGNED) || region_of(p) != region_of(gpa))
			return NULL;
	}
	for (u64 p = ALIGN_DOWN(gpa, PAGE_SIZE); p <= last; p += PAGE_SIZE)
		rmp_settle(p);
	return gpa_hva(gpa);
}

/* May @vmpl access @gpa through the given view, as the RMP check of a nested walk would?
 * @xneed: the execute permission a fetch needs (xperm_need). */
static int gpa_check(u64 gpa, bool priv, int vmpl, int acc, unsigned int xneed)
{
	u32 *ep = rmp_entry(gpa), e;
	unsigned int need;

	if (!ep)
		return WALK_RMP;
	rmp_settle(gpa);
	e = READ_ONCE(*ep);
	if (!priv)
		return (e & RMP_ASSIGNED) ? WALK_RMP : WALK_OK;
	need = acc == ACC_WRITE ? RMP_PERM_W : acc == ACC_EXEC ? xneed : RMP_PERM_R;
	if ((e & RMP_ASSIGNED) && (tlb_stale_perm(gpa, vmpl) & need))
		return WALK_OK; /* a stale translation (tlb.c) */
	if ((e & (RMP_ASSIGNED | RMP_VALIDATED)) != (RMP_ASSIGNED | RMP_VALIDATED))
		return WALK_RMP;
	return (rmp_perm(e, vmpl) & need) ? WALK_OK : WALK_RMP;
}

static int read_pte(u64 table, u64 idx, bool priv, int vmpl, int width, u64 *pte)
{
	u64 gpa = table + idx * (u64)width;

	if (gpa_check(gpa, priv, vmpl, ACC_READ, 0))
		return WALK_RMP;
	*pte = width == 8 ? *(volatile u64 *)gpa_hva(gpa) : *(volatile u32 *)gpa_hva(gpa);
	return WALK_OK;
}

int guest_walk_size(struct vcpu *v, u64 gva, int acc, u64 *gpa, bool *priv, u64 *size)
{
	u8 *s = v->vmcb + VMCB_SAVE;
	u64 cr0 = F64(s, VMSA_CR0), cr3 = F64(s, VMSA_CR3), cr4 = F64(s, VMSA_CR4);
	u64 efer = F64(s, VMSA_EFER), pte, table;
	int vmpl = v->cur, levels;
	bool p = true;

	(void)acc;
	if (!(cr0 & CR0_PG)) {
		/* Paging off: every access is private (SEV treats it so). */
		*gpa = (efer & EFER_LMA) ? gva : (u32)gva;
		*priv = true;
		*size = ~0ULL; /* no guest mapping limits the size */
		return WALK_OK;
	}
	if (!(cr4 & CR4_PAE)) {
		/* 32-bit paging: no C-bit, every access private. */
		if (read_pte(cr3 & 0xfffff000, (gva >> 22) & 0x3ff, true, vmpl, 4, &pte) ||
		    !(pte & 1))
			return WALK_NOT_MAPPED;
		if ((pte & 0x80) && (cr4 & (1 << 4))) {
			*gpa = (pte & 0xffc00000) | (gva & 0x3fffff);
			*size = 0x400000;
		} else {
			if (read_pte(pte & 0xfffff000, (gva >> 12) & 0x3ff, true, vmpl, 4, &pte) ||
			    !(pte & 1))
				return WALK_NOT_MAPPED;
			*gpa = (pte & 0xfffff000) | (gva & 0xfff);
			*size = PAGE_SIZE;
		}
		*priv = true;
		return WALK_OK;
	}
	if (!(efer & EFER_LMA)) {
		/* PAE: the PDPTE from CR3 [31:5] */
		if (read_pte(cr3 & 0xffffffe0, (gva >> 30) & 3, true, vmpl, 8, &pte) || !(pte & 1))
			return WALK_NOT_MAPPED;
		levels = 2;
	} else {
		levels = (cr4 & (1ULL << 12)) ? 5 : 4;
		pte = cr3;
	}
	for (int l = levels; l >= 1; l--) {
		u64 idx = (gva >> (12 + 9 * (l - 1))) & 511;

		table = pte & 0x000ffffffffff000ULL & GPA_MASK;
		if (read_pte(table, idx, true, vmpl, 8, &pte)) /* walks are private */
			return WALK_RMP;
		if (!(pte & 1))
			return WALK_NOT_MAPPED;
		p = !!(pte & CBIT);
		if (l <= 3 && l >= 2 && (pte & 0x80)) {
			u64 mask = (1ULL << (12 + 9 * (l - 1))) - 1;

			*gpa = (pte & 0x000ffffffffff000ULL & GPA_MASK & ~mask) | (gva & mask);
			*priv = p;
			*size = mask + 1;
			return WALK_OK;
		}
	}
	*gpa = (pte & 0x000ffffffffff000ULL & GPA_MASK) | (gva & 0xfff);
	*priv = p;
	*size = PAGE_SIZE;
	return WALK_OK;
}

int guest_walk(struct vcpu *v, u64 gva, int acc, u64 *gpa, bool *priv)
{
	u64 size;

	return guest_walk_size(v, gva, acc, gpa, priv, &size);
}

static int guest_copy(struct vcpu *v, u64 gva, void *buf, size_t len, int acc, bool write)
{
	u8 *b = buf;

	while (len) {
		size_t chunk = PAGE_SIZE - (gva & (PAGE_SIZE - 1));
		u64 gpa;
		bool priv;
		int rc;

		if (chunk > len)
			chunk = len;
		rc = guest_walk(v, gva, acc, &gpa, &priv);
		if (rc)
			return rc;
		if (acc == ACC_EXEC)
			priv = true; /* fetches are always private on SNP */
		if (gpa_check(gpa, priv, v->cur, acc, xperm_need(v)))
			return WALK_RMP;
		if (write)
			memcpy(gpa_hva(gpa), b, chunk);
		else
			memcpy(b, gpa_hva(gpa), chunk);
		gva += chunk;
		b += chunk;
		len -= chunk;
	}
	return WALK_OK;
}

int guest_read_virt(struct vcpu *v, u64 gva, void *buf, size_t len, int acc)
{
	return guest_copy(v, gva, buf, len, acc, false);
}

int guest_write_virt(struct vcpu *v, u64 gva, const void *buf, size_t len)
{
	return guest_copy(v, gva, (void *)buf, len, ACC_WRITE, true);
}
