// SPDX-License-Identifier: MIT
/* The registry of protected guest pages (include/guest/registry.h). */
#include "guest/registry.h"
#include "guest/memrange.h"
#include "lib/errno.h"

void registry_init(struct registry *r, struct reg_entry *storage, u32 cap)
{
	r->lock = (struct spinlock)SPINLOCK_INIT;
	r->e = storage;
	r->n = 0;
	r->cap = cap;
}

struct reg_entry *registry_find(struct registry *r, u64 gpa, u64 size)
{
	u32 i;

	for (i = 0; i < r->n; i++)
		if (ranges_overlap(gpa, size, r->e[i].gpa, r->e[i].size))
			return &r->e[i];
	return NULL;
}

struct reg_entry *registry_find_exact(struct registry *r, u64 gpa, u64 size, u32 kind)
{
	u32 i;

	for (i = 0; i < r->n; i++)
		if (r->e[i].gpa == gpa && r->e[i].size == size && r->e[i].kind == kind)
			return &r->e[i];
	return NULL;
}

int registry_add(struct registry *r, u64 gpa, u64 size, u32 kind, u32 owner)
{
	if (r->n >= r->cap)
		return -ENOSPC;
	r->e[r->n++] = (struct reg_entry){ .gpa = gpa, .size = size, .kind = kind, .owner = owner };
	return 0;
}

void registry_remove(struct registry *r, struct reg_entry *e)
{
	u32 i = (u32)(e - r->e);

	if (i >= r->n)
		return;
	r->e[i] = r->e[--r->n];
}
