// SPDX-License-Identifier: MIT
/* Guest RAM checks (include/guest/memrange.h). */
#include "guest/memrange.h"
#include "lib/errno.h"

static int add_range(struct guest_ram *ram, u64 start, u64 end)
{
	if (start >= end)
		return 0;
	if (ram->n >= GUEST_RAM_MAX_RANGES)
		return -E2BIG;
	ram->r[ram->n].start = start;
	ram->r[ram->n].end = end;
	ram->n++;
	return 0;
}

int guest_ram_init(struct guest_ram *ram, const struct e820_entry *map, size_t n, u64 svsm_start,
		   u64 svsm_size)
{
	u64 svsm_end = svsm_start + svsm_size;
	u32 i, j, out;
	int rc;

	ram->n = 0;
	for (i = 0; i < n; i++) {
		u64 end;

		if (map[i].type != E820_TYPE_RAM || !map[i].size ||
		    check_add_overflow(map[i].addr, map[i].size, &end))
			continue;
		/* cut SVSM memory out */
		if (ranges_overlap(map[i].addr, map[i].size, svsm_start, svsm_size)) {
			rc = add_range(ram, map[i].addr, MIN(end, svsm_start));
			if (!rc)
				rc = add_range(ram, MAX(map[i].addr, svsm_end), end);
		} else {
			rc = add_range(ram, map[i].addr, end);
		}
		if (rc)
			return rc;
	}
	/* sort by start (insertion sort: a few dozen entries at most) */
	for (i = 1; i < ram->n; i++) {
		u64 s = ram->r[i].start, e = ram->r[i].end;

		for (j = i; j > 0 && ram->r[j - 1].start > s; j--)
			ram->r[j] = ram->r[j - 1];
		ram->r[j].start = s;
		ram->r[j].end = e;
	}
	/* merge adjacent and overlapping ranges (never across SVSM memory: it was cut out of
	 * every entry, and no entry covers it any more) */
	for (i = 0, out = 0; i < ram->n; i++) {
		if (out && ram->r[i].start <= ram->r[out - 1].end) {
			ram->r[out - 1].end = MAX(ram->r[out - 1].end, ram->r[i].end);
			continue;
		}
		ram->r[out++] = ram->r[i];
	}
	ram->n = out;
	return 0;
}

int guest_ram_check(const struct guest_ram *ram, u64 gpa, u64 len)
{
	u64 end;
	u32 i;

	if (!len)
		return -EFAULT;
	if (check_add_overflow(gpa, len, &end))
		return -EOVERFLOW;
	for (i = 0; i < ram->n; i++)
		if (gpa >= ram->r[i].start && end <= ram->r[i].end)
			return 0;
	return -EFAULT;
}
