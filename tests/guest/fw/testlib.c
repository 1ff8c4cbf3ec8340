/* Helpers shared by the test groups (see tests.h). */
#include "tests.h"
#include "check.h"
#include "hv.h"
#include "lib/string.h"
#include "sev/ghcb.h"
#include "vc.h"

struct guest_env env;

u64 page_probe_read(u64 gpa)
{
	u64 v;

	return probe_read(gpa_ptr(gpa), &v);
}

u64 page_probe_write(u64 gpa)
{
	u64 v;
	u64 fault = probe_read(gpa_ptr(gpa), &v);

	/* Write back what is there, so a probe never changes a page's content. */
	return fault ? fault : probe_write(gpa_ptr(gpa), v);
}

/* The page helpers below probe first, so that a page the SVSM failed to validate gives a
 * failed check instead of a fatal #VC. */
static bool accessible(u64 gpa)
{
	return page_probe_write(gpa) == 0;
}

bool page_is_zero(u64 gpa)
{
	const volatile u64 *p = gpa_ptr(gpa);

	if (!accessible(gpa))
		return false;
	for (u32 i = 0; i < PAGE_SIZE / 8; i++)
		if (p[i])
			return false;
	return true;
}

static u64 pattern(u64 seed, u32 i)
{
	return (seed * 0x9e3779b97f4a7c15ULL) ^ ((u64)i << 32) ^ i ^ 0xa5a5a5a5a5a5a5a5ULL;
}

bool page_fill(u64 gpa, u64 seed)
{
	volatile u64 *p = gpa_ptr(gpa);

	if (!accessible(gpa))
		return false;
	for (u32 i = 0; i < PAGE_SIZE / 8; i++)
		p[i] = pattern(seed, i);
	return true;
}

bool page_holds(u64 gpa, u64 seed)
{
	const volatile u64 *p = gpa_ptr(gpa);

	if (!accessible(gpa))
		return false;
	for (u32 i = 0; i < PAGE_SIZE / 8; i++)
		if (p[i] != pattern(seed, i))
			return false;
	return true;
}

bool page_usable(u64 gpa)
{
	return page_fill(gpa, gpa) && page_holds(gpa, gpa);
}

bool make_private(u64 gpa, u32 n)
{
	int rc = hv_psc(gpa, n, false, PSC_OP_PRIVATE);

	if (rc)
		check(false, "page state change of %u pages at 0x%lx to private (error %d)", n, gpa,
		      rc);
	return !rc;
}

struct svsm_pvalidate_req *pvalidate_req_at(u64 gpa)
{
	return gpa_ptr(gpa);
}

u32 pvalidate_call(u64 req_gpa)
{
	struct svsm_regs r = { 0 };

	r.rcx = req_gpa;
	return svsm_core(SVSM_CORE_PVALIDATE, &r);
}

u32 pvalidate_one(u64 entry, u16 *next)
{
	struct svsm_pvalidate_req *req = pvalidate_req_at(scratch_gpa(SCR_REQ));
	u32 rc;

	memset(req, 0, 16);
	req->entries = 1;
	req->next = 0;
	req->entry[0] = entry;
	rc = pvalidate_call(scratch_gpa(SCR_REQ));
	if (next)
		*next = READ_ONCE(req->next);
	return rc;
}
