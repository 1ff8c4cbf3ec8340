// SPDX-License-Identifier: MIT
/* The global page allocator: the buddy allocator behind one spinlock (include/mm/page_alloc.h). */
#include "mm/page_alloc.h"
#include "lib/errno.h"
#include "lib/spinlock.h"
#include "lib/string.h"
#include "mm/buddy.h"

static struct buddy pa_buddy;
static struct spinlock pa_lock = SPINLOCK_INIT;
static bool pa_ready;

int page_alloc_init(void *start, size_t size)
{
	int rc;

	spin_lock(&pa_lock);
	if (pa_ready) {
		rc = -EBUSY;
	} else {
		rc = buddy_init(&pa_buddy, start, size);
		pa_ready = rc == 0;
	}
	spin_unlock(&pa_lock);
	return rc;
}

void *page_alloc_owned(unsigned int order, unsigned int owner)
{
	void *p = NULL;

	spin_lock(&pa_lock);
	if (pa_ready)
		p = buddy_alloc_owned(&pa_buddy, order, owner);
	spin_unlock(&pa_lock);
	return p;
}

int page_free_owned(void *p, unsigned int owner)
{
	int rc = -EINVAL;

	spin_lock(&pa_lock);
	if (pa_ready)
		rc = buddy_free_owned(&pa_buddy, p, owner);
	spin_unlock(&pa_lock);
	return rc;
}

int page_find(const void *addr, void **block, unsigned int *owner)
{
	int rc = -ENOENT;

	spin_lock(&pa_lock);
	if (pa_ready)
		rc = buddy_find(&pa_buddy, addr, block, owner);
	spin_unlock(&pa_lock);
	return rc;
}

void *page_alloc(unsigned int order)
{
	return page_alloc_owned(order, PAGE_OWNER_PAGE);
}

void *page_zalloc(unsigned int order)
{
	void *p = page_alloc(order);

	if (p)
		memset(p, 0, PAGE_SIZE << order);
	return p;
}

int page_free(void *p)
{
	if (!p)
		return 0;
	return page_free_owned(p, PAGE_OWNER_PAGE);
}

int page_alloc_range(uintptr_t *base, size_t *npages)
{
	int rc = -ENODEV;

	spin_lock(&pa_lock);
	if (pa_ready) {
		*base = pa_buddy.base;
		*npages = pa_buddy.npages;
		rc = 0;
	}
	spin_unlock(&pa_lock);
	return rc;
}

size_t page_alloc_free_pages(void)
{
	size_t n;

	spin_lock(&pa_lock);
	n = pa_ready ? buddy_free_pages(&pa_buddy) : 0;
	spin_unlock(&pa_lock);
	return n;
}

size_t page_alloc_total_pages(void)
{
	size_t n;

	spin_lock(&pa_lock);
	n = pa_ready ? pa_buddy.npages : 0;
	spin_unlock(&pa_lock);
	return n;
}
