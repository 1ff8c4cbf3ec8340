/*
 * guidtable_find over arbitrary images: the input is the image, read through every footer
 * and entry GUID csvsm looks for, with the table ending at the end (svsm.bin) and 0x20
 * before it (OVMF). No read may leave the image (ASan), and a found entry must be what the
 * format says: data followed by [u16 data_len + 18][GUID]. Then the builder round trip.
 */
/* fuzz-srcs: src/lib/guidtable.c */
#include <stdlib.h>
#include <string.h>
#include "lib/errno.h"
#include "lib/guidtable.h"

static const struct guid footers[] = { SVSM_ENVELOPE_GUID, OVMF_FOOTER_GUID };
static const struct guid wanted[] = { SVSM_INFO_GUID, SVSM_METADATA_GUID,
				      OVMF_SEV_ES_RESET_BLOCK_GUID, OVMF_SEV_METADATA_GUID };

static void parse(const u8 *img, size_t len, size_t end)
{
	unsigned int f, w;

	for (f = 0; f < ARRAY_SIZE(footers); f++) {
		for (w = 0; w < ARRAY_SIZE(wanted); w++) {
			const void *data = NULL;
			size_t dlen = 0;
			const u8 *d;
			int rc = guidtable_find(img, len, end, &footers[f], &wanted[w], &data,
						&dlen);

			if (rc != 0 && rc != -ENOENT && rc != -EPROTO && rc != -EINVAL)
				abort();
			if (rc)
				continue;
			d = data;
			if (d < img || dlen > end || d + dlen + 18 > img + end)
				abort();
			if ((size_t)(d[dlen] | d[dlen + 1] << 8) != dlen + 18 ||
			    memcmp(d + dlen + 2, wanted[w].b, 16) != 0)
				abort();
		}
	}
}

/* Entries cut from the input, built into a table, found again byte for byte. */
static void round_trip(const u8 *in, size_t len)
{
	static u8 buf[4096];
	struct guidtable_builder b;
	size_t off = 0, n = 0, lens[ARRAY_SIZE(wanted)];
	const u8 *datas[ARRAY_SIZE(wanted)];
	int total;

	guidtable_begin(&b, buf, sizeof(buf));
	while (n < ARRAY_SIZE(wanted) && off < len) {
		size_t dl = MIN((size_t)in[off], len - off - 1);

		datas[n] = in + off + 1;
		lens[n] = dl;
		if (guidtable_add(&b, &wanted[n], datas[n], dl))
			abort(); /* at most 4 * (255 + 18) + 18 bytes: always fits */
		off += 1 + dl;
		n++;
	}
	total = guidtable_finish(&b, &footers[0]);
	if (total < 18)
		abort();
	while (n--) {
		const void *data;
		size_t dlen;

		if (guidtable_find(buf, (size_t)total, (size_t)total, &footers[0], &wanted[n],
				   &data, &dlen) ||
		    dlen != lens[n] || memcmp(data, datas[n], dlen) != 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	parse(data, size, size);
	if (size >= OVMF_FOOTER_END_OFFSET)
		parse(data, size, size - OVMF_FOOTER_END_OFFSET);
	round_trip(data, size);
	return 0;
}
