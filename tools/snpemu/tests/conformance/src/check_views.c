/*
 * Private and shared views (design: C-bit; facts §3 "Ordering"). snpemu models memory
 * encryption: what one view wrote is not readable in the clear through the other after a
 * conversion. A C=0 access to a private page is a hardware rule violation (fatal_cbit0).
 */
#include "check.h"

#define QWORDS (PAGE_SIZE / 8)

static u64 pattern(unsigned int i)
{
	return 0xc0ffee0000000000ULL ^ ((u64)i * 0x9e3779b97f4a7c15ULL);
}

static void fill(u64 va)
{
	volatile u64 *p = (volatile u64 *)va;
	unsigned int i;

	for (i = 0; i < QWORDS; i++)
		p[i] = pattern(i);
}

/* How many qwords of the page still hold the pattern. */
static unsigned int matches(u64 va)
{
	volatile u64 *p = (volatile u64 *)va;
	unsigned int i, n = 0;

	for (i = 0; i < QWORDS; i++)
		n += p[i] == pattern(i);
	return n;
}

void check_views(void)
{
	struct cpu *c = this_cpu();
	u64 priv = pool_private_page(), shared = pool_page(), x = pool_page(), y;
	volatile u64 *buf = (volatile u64 *)(c->ghcb + GHCB_BUFFER);

	fill(gpa_to_priv(priv));
	check_eq("views: a private page reads back through its C=1 mapping",
		 matches(gpa_to_priv(priv)), QWORDS);
	fill(gpa_to_shared(shared));
	check_eq("views: a shared page reads back through its C=0 mapping",
		 matches(gpa_to_shared(shared)), QWORDS);
	buf[0] = pattern(0);
	buf[1] = pattern(1);
	check(buf[0] == pattern(0) && buf[1] == pattern(1),
	      "views: the GHCB (shared) reads back through its C=0 mapping", "read 0x%lx 0x%lx",
	      buf[0], buf[1]);

	/* Shared -> private -> validated: the plaintext written as shared must be gone. */
	fill(gpa_to_shared(x));
	check(psc_range(x, 1, PSC_OP_PRIVATE, false), "views: PSC a written shared page private",
	      "%s", "PSC failed");
	check_insn("views: validate it", pvalidate(gpa_to_priv(x), false, true), 0, 0);
	check_eq("views: after shared->private->validate the C=1 view shows none of the old data",
		 matches(gpa_to_priv(x)), 0);

	/* Private -> rescinded -> shared: the host must not see the plaintext either. */
	y = pool_private_page();
	fill(gpa_to_priv(y));
	check_insn("views: rescind a written private page", pvalidate(gpa_to_priv(y), false, false),
		   0, 0);
	check(psc_range(y, 1, PSC_OP_SHARED, false), "views: PSC it shared", "%s", "PSC failed");
	check_eq("views: after private->shared the C=0 view shows none of the private data",
		 matches(gpa_to_shared(y)), 0);
}

void fatal_cbit0(void)
{
	u64 page = pool_private_page();
	struct insn_result r;

	fill(gpa_to_priv(page));
	con_printf("# reading private page 0x%lx through a C=0 mapping: snpemu must stop "
		   "(exit 4)\n",
		   page);
	r = probe_read64(gpa_to_shared(page));
	check(false, "views: a C=0 access to a private page stops the machine",
	      "the read returned 0x%lx (vector %d)", r.rax, r.vector);
	verdict(VERDICT_FAIL);
}
