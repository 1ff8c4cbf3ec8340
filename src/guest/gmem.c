// SPDX-License-Identifier: MIT
/* Guest memory access (include/guest/gmem.h). */
#include "guest/gmem.h"
#include "arch/insn.h"
#include "arch/percpu.h"
#include "dev/platform.h"
#include "guest/memrange.h"
#include "lib/errno.h"
#include "mm/paging.h"
#include "mm/pgtable.h"
#include "sev/terminate.h"

_Static_assert(GMEM_NR_SLOTS <= PAGING_WINDOW_SLOTS, "gmem slots fit the paging window");

/* RMPADJUST attributes of the probe: target VMPL3, no permissions (AMD APM vol 3 #24594, RMPADJUST;
 * AMD APM vol 2 #24593 §15.36). */
#define PROBE_ATTRS 3

static struct guest_ram ram;

void gmem_init(void)
{
	const struct e820_entry *map;
	unsigned int i;
	size_t n;

	map = platform_e820(&n);
	if (guest_ram_init(&ram, map, n, SVSM_GPA, SVSM_MEM))
		fatal(TERM_FWCFG, "the e820 map has more RAM ranges than csvsm keeps");
	for (i = 0; i < percpu_count(); i++) {
		int rc = paging_window_init(i);

		if (rc)
			fatal(rc == -ENOMEM ? TERM_NOMEM : TERM_LAYOUT,
			      "no mapping window for vCPU %u (%d)", i, rc);
	}
}

int gmem_check(u64 gpa, u64 len)
{
	return guest_ram_check(&ram, gpa, len) ? -EFAULT : 0;
}

void *gmem_map(enum gmem_slot slot, u64 gpa, bool write)
{
	return paging_window_map(slot, gpa, write ? PGT_WRITE : 0);
}

void gmem_unmap(enum gmem_slot slot)
{
	paging_window_unmap(slot);
}

void *gmem_map_2m(u64 gpa, bool write)
{
	return paging_window_map_2m(gpa, write ? PGT_WRITE : 0);
}

void gmem_unmap_2m(void)
{
	paging_window_unmap_2m();
}

int gmem_probe(void *va, u64 gpa)
{
	int rc = rmpadjust((u64)(uintptr_t)va, false, PROBE_ATTRS);

	if (rc == RMPADJUST_FAIL_SIZEMISMATCH) {
		void *va2m = gmem_map_2m(ALIGN_DOWN(gpa, PAGE_2M_SIZE), false);

		rc = rmpadjust((u64)(uintptr_t)va2m, true, PROBE_ATTRS);
		gmem_unmap_2m();
	}
	return rc == RMPADJUST_OK ? 0 : -EFAULT;
}

/* [va, va + len) lies inside this vCPU's window: a copy can reach nothing else. */
static bool in_window(const void *guest, size_t len)
{
	u64 base = PAGING_WINDOW_BASE + (u64)this_cpu()->index * PAGING_WINDOW_STRIDE;
	u64 va = (u64)(uintptr_t)guest, end;

	return !check_add_overflow(va, (u64)len, &end) && va >= base &&
	       end <= base + PAGING_WINDOW_STRIDE;
}

int gmem_read(void *dst, const void *guest, size_t len)
{
	if (!in_window(guest, len))
		return -EFAULT;
	return gmem_copy_raw(dst, guest, len);
}

int gmem_write(void *guest, const void *src, size_t len)
{
	if (!in_window(guest, len))
		return -EFAULT;
	return gmem_copy_raw(guest, src, len);
}
