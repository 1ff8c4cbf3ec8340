/*
 * The guest firmware metadata parser (guest/fwmeta.h) over arbitrary firmware images, the way
 * the SVSM runs it: the input is the end of an image (padded with zeros in front to whole
 * pages) just below 4 GiB; step 1 reads the image's last page, step 2 the bytes from the
 * "ASEV" offset it found. No read may leave those buffers (ASan), and whatever the parser
 * accepts must obey the rules it promises: the SEV-ES reset block as written, sections page
 * aligned, non-empty, below 4 GiB, not overlapping each other or the image, exactly one
 * secrets page, CPUID page and calling area.
 *
 * Seeds (tests/fuzz/corpus/fwmeta): the last page of build/guest.fd (the test firmware) and
 * of a synthetic image with Debian OVMF's six sections (facts §10).
 */
/* fuzz-srcs: src/guest/fwmeta.c src/lib/guidtable.c */
#include <stdlib.h>
#include <string.h>
#include "guest/fwmeta.h"
#include "lib/errno.h"
#include "lib/guidtable.h"

#define MAX_IMAGE 0x4000

static bool overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

static void check(const struct fwmeta *m)
{
	unsigned int i, j, secrets = 0, cpuid = 0, caa = 0;

	if (m->nr_sections == 0 || m->nr_sections > FWMETA_MAX_SECTIONS)
		abort();
	if (m->asev_offset < FWMETA_ASEV_HDR_SIZE || m->asev_offset > m->fw_size)
		abort();
	for (i = 0; i < m->nr_sections; i++) {
		const struct fw_section *s = &m->sec[i];

		if (!s->size || (s->gpa | s->size) & 0xfff || s->gpa + s->size > 0x100000000ULL)
			abort();
		if (overlap(s->gpa, s->size, m->fw_gpa, m->fw_size))
			abort();
		for (j = 0; j < i; j++)
			if (overlap(s->gpa, s->size, m->sec[j].gpa, m->sec[j].size))
				abort();
		secrets += s->type == FW_SECTION_SECRETS;
		cpuid += s->type == FW_SECTION_CPUID;
		caa += s->type == FW_SECTION_SVSM_CAA;
	}
	if (secrets != 1 || cpuid != 1 || caa != 1 ||
	    m->sec[m->secrets].type != FW_SECTION_SECRETS ||
	    m->sec[m->cpuid].type != FW_SECTION_CPUID || m->sec[m->caa].type != FW_SECTION_SVSM_CAA)
		abort();
}

/* The SEV-ES reset block, when accepted, is exactly its 4-byte entry, taken as given (any
 * 32-bit address: OVMF's AP reset code is in RAM); when absent, there is no such entry. */
static void check_reset_block(const u8 *tail, size_t tail_len, const struct fwmeta *m)
{
	static const struct guid footer = OVMF_FOOTER_GUID;
	static const struct guid reset = OVMF_SEV_ES_RESET_BLOCK_GUID;
	const u8 *d;
	size_t dlen;
	int rc;

	rc = guidtable_find(tail, tail_len, tail_len - OVMF_FOOTER_END_OFFSET, &footer, &reset,
			    (const void **)&d, &dlen);
	if (m->has_reset_block != (rc == 0))
		abort();
	if (m->has_reset_block &&
	    (dlen != 4 ||
	     m->ap_reset_addr != ((u32)d[0] | (u32)d[1] << 8 | (u32)d[2] << 16 | (u32)d[3] << 24)))
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u8 image[MAX_IMAGE];
	size_t len = MIN(size, (size_t)MAX_IMAGE);
	u64 fw_size = ALIGN_UP((u64)MAX(len, (size_t)1), PAGE_SIZE);
	u64 fw_gpa = 0x100000000ULL - fw_size;
	size_t tail_len = MIN(fw_size, (u64)FWMETA_TAIL_MAX), alen;
	struct fwmeta m;
	u8 *tail, *asev;
	int rc;

	memset(image, 0, fw_size);
	memcpy(image + fw_size - len, data + size - len, len);
	/* exact heap copies: ASan sees any read past either end */
	tail = malloc(tail_len);
	memcpy(tail, image + fw_size - tail_len, tail_len);
	rc = fwmeta_parse_footer(tail, tail_len, fw_gpa, fw_size, &m);
	if (rc != 0 && rc != -ENOENT && rc != -EPROTO)
		abort();
	if (!rc)
		check_reset_block(tail, tail_len, &m);
	free(tail);
	if (rc)
		return 0;
	alen = fwmeta_asev_bytes(&m);
	if (alen > FWMETA_ASEV_MAX || alen > m.asev_offset)
		abort();
	asev = malloc(alen ? alen : 1);
	memcpy(asev, image + fw_size - m.asev_offset, alen);
	rc = fwmeta_parse_asev(asev, alen, &m);
	free(asev);
	if (rc != 0 && rc != -EPROTO)
		abort();
	if (!rc)
		check(&m);
	return 0;
}
