/* SPDX-License-Identifier: MIT */
/*
 * GUID tables in the OVMF footer style, read backwards from their end
 * (edk2 OvmfPkg ResetVector footer; [L] image metadata):
 *
 *   ... [entry data][u16 entry_len][GUID] ... [u16 table_len][footer GUID] <- table_end
 *
 * entry_len counts the data, the u16 and the GUID (data + 18). table_len counts every
 * entry plus the final u16 and footer GUID. GUIDs are stored in UEFI byte order (first
 * three fields little-endian).
 *
 * svsm.bin's table ends the file (footer GUID SVSM_ENVELOPE_GUID); OVMF's ends 0x20 bytes
 * before the end of the firmware (OVMF_FOOTER_GUID).
 */
#ifndef CSVSM_LIB_GUIDTABLE_H
#define CSVSM_LIB_GUIDTABLE_H

#include "lib/types.h"

struct guid {
	u8 b[16];
};

/* GUID_INIT(0x81384fea, 0xad48, 0x4eb6, 0xaf, 0x4f, ...) for 81384fea-ad48-4eb6-af4f-... */
#define GUID_INIT(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)                                      \
	{                                                                                       \
		{                                                                               \
			(a) & 0xff, ((a) >> 8) & 0xff, ((a) >> 16) & 0xff, ((a) >> 24) & 0xff,  \
				(b)&0xff, ((b) >> 8) & 0xff, (c)&0xff, ((c) >> 8) & 0xff, (d0), \
				(d1), (d2), (d3), (d4), (d5), (d6), (d7)                        \
		}                                                                               \
	}

/* svsm.bin footer (docs/design.md §4; README "svsm.bin image format"). */
#define SVSM_ENVELOPE_GUID \
	GUID_INIT(0x81384fea, 0xad48, 0x4eb6, 0xaf, 0x4f, 0x6a, 0xc4, 0x93, 0x16, 0xdf, 0x2b)
#define SVSM_INFO_GUID \
	GUID_INIT(0xa789a612, 0x0597, 0x4c4b, 0xa4, 0x9f, 0xcb, 0xb1, 0xfe, 0x9d, 0x1d, 0xdd)
#define SVSM_METADATA_GUID \
	GUID_INIT(0xbe30189b, 0xab44, 0x4a97, 0x82, 0xdd, 0xea, 0x81, 0x39, 0x41, 0x04, 0x7e)

/* OVMF firmware footer (docs/design.md §4; edk2 OvmfPkg ResetVector). */
#define OVMF_FOOTER_GUID \
	GUID_INIT(0x96b582de, 0x1fb2, 0x45f7, 0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d)
#define OVMF_SEV_ES_RESET_BLOCK_GUID \
	GUID_INIT(0x00f771de, 0x1a7e, 0x4fcb, 0x89, 0x0e, 0x68, 0xc7, 0x7e, 0x2f, 0xb4, 0x4e)
#define OVMF_SEV_METADATA_GUID \
	GUID_INIT(0xdc886566, 0x984a, 0x4798, 0xa7, 0x5e, 0x55, 0x85, 0xa7, 0xbf, 0x67, 0xcc)
/* OVMF's table ends this many bytes before the end of the firmware image. */
#define OVMF_FOOTER_END_OFFSET 0x20

bool guid_equal(const struct guid *a, const struct guid *b);

/*
 * Find entry @want in the table that ends at offset @table_end of buf[0..len) and whose
 * footer GUID is @footer. On success, *data and *data_len describe the entry's data (inside
 * buf). Every length is bounds-checked against buf and the table, and the whole table is
 * checked whichever entry is wanted: -ENOENT if the footer GUID or the entry is absent,
 * -EPROTO if the table is malformed (a length out of range or < 18, entries that do not
 * exactly fill the table) or holds @want twice, -EINVAL if table_end > len.
 * buf must not change during the call (copy memory others can write first).
 */
int guidtable_find(const void *buf, size_t len, size_t table_end, const struct guid *footer,
		   const struct guid *want, const void **data, size_t *data_len);

/* Builder, for host tools and tests: entries are appended in order, then finished. */
struct guidtable_builder {
	u8 *buf;
	size_t cap;
	size_t used;
};

void guidtable_begin(struct guidtable_builder *b, void *buf, size_t cap);
/* -E2BIG if the entry does not fit or its length exceeds a u16. */
int guidtable_add(struct guidtable_builder *b, const struct guid *g, const void *data, size_t len);
/* Appends [u16 table_len][footer]; returns the table's total length or -E2BIG. */
int guidtable_finish(struct guidtable_builder *b, const struct guid *footer);

#endif
