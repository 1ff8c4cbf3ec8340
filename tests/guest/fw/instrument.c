/* snpemu's test instrument, client side (see instrument.h). */
#include "instrument.h"
#include "console.h"
#include "tlib/x86.h"

#define RMPQ_STATE_MASK                                                       \
	(SNPEMU_RMPQ_MAGIC_MASK | SNPEMU_RMPQ_MEMORY | SNPEMU_RMPQ_ASSIGNED | \
	 SNPEMU_RMPQ_VALIDATED | SNPEMU_RMPQ_VMSA | (0xfffU << SNPEMU_RMPQ_PERM_SHIFT(1)))

static void set_cursor(u64 gpa)
{
	outl(SNPEMU_TI_GPA_LO, (u32)gpa);
	outl(SNPEMU_TI_GPA_HI, (u32)(gpa >> 32));
}

bool ti_present(void)
{
	return (ti_rmp(0) & SNPEMU_RMPQ_MAGIC_MASK) == SNPEMU_RMPQ_MAGIC;
}

u32 ti_rmp(u64 gpa)
{
	u32 w;

	ti_rmp_range(gpa, &w, 1);
	return w;
}

void ti_rmp_range(u64 gpa, u32 *words, u32 n)
{
	set_cursor(gpa);
	insl(SNPEMU_TI_RMP, words, n);
}

bool ti_watch_arm(u64 gpa)
{
	u32 state;

	set_cursor(gpa);
	outl(SNPEMU_TI_WATCH, 1);
	insl(SNPEMU_TI_WATCH, &state, 1);
	return state == 1;
}

void ti_watch_disarm(struct ti_watch_counts *c)
{
	outl(SNPEMU_TI_WATCH, 0);
	insl(SNPEMU_TI_WATCH_READS, &c->reads, 1);
	insl(SNPEMU_TI_WATCH_MAX, &c->max_word_reads, 1);
	insl(SNPEMU_TI_WATCH_WRITES, &c->writes, 1);
	insl(SNPEMU_TI_WATCH_WRITABLE, &c->reads_writable, 1);
}

u32 ti_rmp_want(u32 flags, u32 vmpl1, u32 vmpl2, u32 vmpl3)
{
	return SNPEMU_RMPQ_MAGIC | SNPEMU_RMPQ_MEMORY | flags |
	       (vmpl1 << SNPEMU_RMPQ_PERM_SHIFT(1)) | (vmpl2 << SNPEMU_RMPQ_PERM_SHIFT(2)) |
	       (vmpl3 << SNPEMU_RMPQ_PERM_SHIFT(3));
}

bool ti_rmp_is(u32 word, u32 want)
{
	return (word & RMPQ_STATE_MASK) == (want & RMPQ_STATE_MASK);
}

static void perm_str(u32 m, char *p)
{
	p[0] = (m & SNPEMU_PERM_R) ? 'r' : '-';
	p[1] = (m & SNPEMU_PERM_W) ? 'w' : '-';
	p[2] = (m & SNPEMU_PERM_UX) ? 'u' : '-';
	p[3] = (m & SNPEMU_PERM_SX) ? 's' : '-';
	p[4] = 0;
}

const char *ti_rmp_str(u32 w, char *buf, size_t size)
{
	char p[3][5];

	if ((w & SNPEMU_RMPQ_MAGIC_MASK) != SNPEMU_RMPQ_MAGIC) {
		fmt_snprintf(buf, size, "no instrument answer (0x%x)", w);
		return buf;
	}
	if (!(w & SNPEMU_RMPQ_MEMORY)) {
		fmt_snprintf(buf, size, "not guest memory");
		return buf;
	}
	for (int v = 1; v <= 3; v++)
		perm_str(SNPEMU_RMPQ_PERM(w, v), p[v - 1]);
	fmt_snprintf(buf, size, "%s%s%s%s, VMPL1-3 %s/%s/%s",
		     (w & SNPEMU_RMPQ_ASSIGNED) ? "assigned" : "shared",
		     (w & SNPEMU_RMPQ_VALIDATED) ? " validated" : "",
		     (w & SNPEMU_RMPQ_2M) ? " 2M" : "", (w & SNPEMU_RMPQ_VMSA) ? " VMSA" : "", p[0],
		     p[1], p[2]);
	return buf;
}
