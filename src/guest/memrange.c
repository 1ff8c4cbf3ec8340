/* Guest RAM checks (include/guest/memrange.h). */
#include "guest/memrange.h"
#include "lib/errno.h"

/* The end of the RAM entry that contains @addr, or 0 if none does. */
static u64 ram_end_at(const struct guest_ram *r, u64 addr)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct e820_entry *e = &r->map[i];
		u64 end;

		if (e->type != E820_TYPE_RAM || check_add_overflow(e->addr, e->size, &end))
			continue;
		if (addr >= e->addr && addr < end)
			return end;
	}
	return 0;
}

int guest_ram_check(const struct guest_ram *r, u64 gpa, u64 len)
{
	u64 end, svsm_end, cur;
	size_t steps;

	if (!len)
		return -EFAULT;
	if (check_add_overflow(gpa, len, &end))
		return -EOVERFLOW;
	if (!check_add_overflow(r->svsm_start, r->svsm_size, &svsm_end) &&
	    ranges_overlap(gpa, len, r->svsm_start, r->svsm_size))
		return -EFAULT;
	/* Walk from entry to adjacent entry; each step moves to a strictly larger end, so n
	 * steps are enough for any map. */
	cur = gpa;
	for (steps = 0; steps <= r->n && cur < end; steps++) {
		u64 next = ram_end_at(r, cur);

		if (!next)
			return -EFAULT;
		cur = next;
	}
	return cur >= end ? 0 : -EFAULT;
}
