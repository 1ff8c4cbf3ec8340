// SPDX-License-Identifier: MIT
/* The guest firmware's metadata (include/guest/fwmeta.h). */
#include "guest/fwmeta.h"
#include "lib/errno.h"
#include "lib/guidtable.h"
#include "lib/string.h"

#define FW_4G 0x100000000ULL

static u32 get_le32(const u8 *p)
{
	return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) | ((u32)p[3] << 24);
}

int fwmeta_parse_footer(const void *tail, size_t tail_len, u64 fw_gpa, u64 fw_size,
			struct fwmeta *m)
{
	static const struct guid footer = OVMF_FOOTER_GUID;
	static const struct guid reset = OVMF_SEV_ES_RESET_BLOCK_GUID;
	static const struct guid meta = OVMF_SEV_METADATA_GUID;
	const void *data;
	size_t data_len;
	u64 fw_end;
	int rc;

	memset(m, 0, sizeof(*m));
	m->secrets = m->cpuid = m->caa = -1;
	/* The image: whole pages, below 4 GiB (its GPAs are 32-bit in the metadata). */
	if (!fw_size || !IS_ALIGNED(fw_gpa, PAGE_SIZE) || !IS_ALIGNED(fw_size, PAGE_SIZE) ||
	    check_add_overflow(fw_gpa, fw_size, &fw_end) || fw_end > FW_4G)
		return -EINVAL;
	if (tail_len != MIN(fw_size, (u64)FWMETA_TAIL_MAX) || tail_len < OVMF_FOOTER_END_OFFSET)
		return -EINVAL;
	m->fw_gpa = fw_gpa;
	m->fw_size = fw_size;

	rc = guidtable_find(tail, tail_len, tail_len - OVMF_FOOTER_END_OFFSET, &footer, &reset,
			    &data, &data_len);
	if (rc == 0) {
		u32 addr;

		if (data_len != sizeof(u32))
			return -EPROTO;
		/* CS base [31:16] | IP [15:0] of the firmware's SEV-ES AP reset code: any 32-bit
		 * address, in RAM for OVMF (0x0080b004 in edk2 2025.02). csvsm never starts
		 * an AP there (APs come through CREATE_VCPU), so it is recorded, not judged. */
		addr = get_le32(data);
		m->has_reset_block = true;
		m->ap_reset_addr = addr;
	} else if (rc != -ENOENT) {
		return rc;
	}

	rc = guidtable_find(tail, tail_len, tail_len - OVMF_FOOTER_END_OFFSET, &footer, &meta,
			    &data, &data_len);
	if (rc)
		return rc;
	if (data_len != sizeof(u32))
		return -EPROTO;
	m->asev_offset = get_le32(data);
	/* The header must lie inside the image: offset from the end >= header size. */
	if (m->asev_offset < FWMETA_ASEV_HDR_SIZE || m->asev_offset > fw_size)
		return -EPROTO;
	return 0;
}

size_t fwmeta_asev_bytes(const struct fwmeta *m)
{
	return MIN((size_t)m->asev_offset, (size_t)FWMETA_ASEV_MAX);
}

static bool overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

static int check_section(struct fwmeta *m, u32 i)
{
	const struct fw_section *s = &m->sec[i];
	int *slot = NULL;
	u32 j;

	if (!s->size || !IS_ALIGNED(s->gpa, PAGE_SIZE) || !IS_ALIGNED(s->size, PAGE_SIZE))
		return -EPROTO;
	/* u32 + u32 cannot overflow a u64; the end must stay below 4 GiB. */
	if (s->gpa + s->size > FW_4G)
		return -EPROTO;
	if (overlap(s->gpa, s->size, m->fw_gpa, m->fw_size))
		return -EPROTO;
	for (j = 0; j < i; j++)
		if (overlap(s->gpa, s->size, m->sec[j].gpa, m->sec[j].size))
			return -EPROTO;
	switch (s->type) {
	case FW_SECTION_PREVALIDATED:
	case FW_SECTION_KERNEL_HASHES:
		return 0;
	case FW_SECTION_SECRETS:
		slot = &m->secrets;
		break;
	case FW_SECTION_CPUID:
		slot = &m->cpuid;
		break;
	case FW_SECTION_SVSM_CAA:
		slot = &m->caa;
		break;
	default:
		return -EPROTO; /* unknown: csvsm cannot tell what the firmware expects there */
	}
	if (*slot >= 0)
		return -EPROTO;
	*slot = (int)i;
	return 0;
}

int fwmeta_parse_asev(const void *asev, size_t len, struct fwmeta *m)
{
	const u8 *p = asev;
	u32 total, count, i;

	if (len < FWMETA_ASEV_HDR_SIZE || len > fwmeta_asev_bytes(m))
		return -EPROTO;
	if (get_le32(p) != FWMETA_ASEV_SIGNATURE || get_le32(p + 8) != FWMETA_ASEV_VERSION)
		return -EPROTO;
	total = get_le32(p + 4);
	count = get_le32(p + 12);
	if (count == 0 || count > FWMETA_MAX_SECTIONS)
		return -EPROTO;
	/* count <= 32, so this cannot overflow; the structure must be exactly that long. */
	if (total != FWMETA_ASEV_HDR_SIZE + count * FWMETA_SECTION_SIZE || total > len)
		return -EPROTO;
	m->nr_sections = count;
	m->secrets = m->cpuid = m->caa = -1;
	for (i = 0; i < count; i++) {
		const u8 *s = p + FWMETA_ASEV_HDR_SIZE + i * FWMETA_SECTION_SIZE;
		int rc;

		m->sec[i].gpa = get_le32(s);
		m->sec[i].size = get_le32(s + 4);
		m->sec[i].type = get_le32(s + 8);
		rc = check_section(m, i);
		if (rc)
			return rc;
	}
	if (m->secrets < 0 || m->cpuid < 0 || m->caa < 0)
		return -EPROTO;
	return 0;
}
