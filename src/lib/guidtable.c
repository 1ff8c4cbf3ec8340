// SPDX-License-Identifier: MIT
/*
 * GUID tables read backwards from their end (include/lib/guidtable.h; edk2 OvmfPkg ResetVector, [L]
 * image layout).
 *
 * The parser reads images the hypervisor or the guest supplied: every offset is derived
 * from lengths checked against the bytes still unparsed, so no read leaves buf.
 */
#include "lib/guidtable.h"
#include "lib/errno.h"
#include "lib/string.h"

/* [u16 len][GUID]: the tail of every entry and of the table itself. */
#define GT_TAIL_SIZE (sizeof(u16) + sizeof(struct guid))

bool guid_equal(const struct guid *a, const struct guid *b)
{
	return memcmp(a->b, b->b, sizeof(a->b)) == 0;
}

static u16 get_le16(const u8 *p)
{
	return (u16)(p[0] | (p[1] << 8));
}

static void put_le16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

/*
 * The whole table is walked even after a match, so that a malformed table is rejected no
 * matter which entry is asked for, and a second entry with the wanted GUID (which would
 * make the answer depend on the reader) is an error too.
 */
int guidtable_find(const void *buf, size_t len, size_t table_end, const struct guid *footer,
		   const struct guid *want, const void **data, size_t *data_len)
{
	const u8 *p = buf;
	const u8 *found = NULL;
	size_t found_len = 0;
	size_t start, pos, table_len;

	if (table_end > len)
		return -EINVAL;
	if (table_end < GT_TAIL_SIZE)
		return -ENOENT;
	if (!guid_equal((const struct guid *)(p + table_end - sizeof(struct guid)), footer))
		return -ENOENT;

	table_len = get_le16(p + table_end - GT_TAIL_SIZE);
	if (table_len < GT_TAIL_SIZE || table_len > table_end)
		return -EPROTO;
	start = table_end - table_len;

	/* Entries occupy [start, pos); each one ends at pos with its [u16 len][GUID]. */
	pos = table_end - GT_TAIL_SIZE;
	while (pos > start) {
		size_t entry_len;

		if (pos - start < GT_TAIL_SIZE)
			return -EPROTO;
		entry_len = get_le16(p + pos - GT_TAIL_SIZE);
		if (entry_len < GT_TAIL_SIZE || entry_len > pos - start)
			return -EPROTO;
		if (guid_equal((const struct guid *)(p + pos - sizeof(struct guid)), want)) {
			if (found)
				return -EPROTO;
			found = p + pos - entry_len;
			found_len = entry_len - GT_TAIL_SIZE;
		}
		pos -= entry_len;
	}

	if (!found)
		return -ENOENT;
	*data = found;
	*data_len = found_len;
	return 0;
}

void guidtable_begin(struct guidtable_builder *b, void *buf, size_t cap)
{
	b->buf = buf;
	b->cap = cap;
	b->used = 0;
}

/* Room for n more bytes, keeping the finished table's length within a u16. */
static bool gt_room(const struct guidtable_builder *b, size_t n)
{
	size_t end;

	if (check_add_overflow(b->used, n, &end))
		return false;
	return end <= b->cap && end <= 0xffff;
}

static void gt_put_tail(struct guidtable_builder *b, size_t entry_len, const struct guid *g)
{
	put_le16(b->buf + b->used, (u16)entry_len);
	memcpy(b->buf + b->used + sizeof(u16), g->b, sizeof(g->b));
	b->used += GT_TAIL_SIZE;
}

int guidtable_add(struct guidtable_builder *b, const struct guid *g, const void *data, size_t len)
{
	size_t entry_len;

	/* The entry and the table tail that guidtable_finish adds must both still fit. */
	if (check_add_overflow(len, 2 * GT_TAIL_SIZE, &entry_len) || !gt_room(b, entry_len))
		return -E2BIG;
	entry_len -= GT_TAIL_SIZE;

	if (len)
		memcpy(b->buf + b->used, data, len);
	b->used += len;
	gt_put_tail(b, entry_len, g);
	return 0;
}

int guidtable_finish(struct guidtable_builder *b, const struct guid *footer)
{
	size_t table_len;

	if (!gt_room(b, GT_TAIL_SIZE))
		return -E2BIG;
	table_len = b->used + GT_TAIL_SIZE;
	gt_put_tail(b, table_len, footer);
	return (int)table_len;
}
