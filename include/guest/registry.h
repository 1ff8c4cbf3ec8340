/* SPDX-License-Identifier: MIT */
/*
 * The registry of guest pages the SVSM protects for as long as they are registered (pure C,
 * host-tested): VMPL1 VMSAs registered with CREATE_VCPU and every vCPU's calling area. (The
 * pages a vCPU works on during one call are its claims, guest/claims.h.) The caller holds
 * r->lock around every function here and around the work that depends on the answer
 * (README.md "Lock order").
 */
#ifndef CSVSM_GUEST_REGISTRY_H
#define CSVSM_GUEST_REGISTRY_H

#include "lib/spinlock.h"
#include "lib/types.h"

enum reg_kind {
	REG_VMSA = 1, /* a VMPL1 VMSA registered with CREATE_VCPU */
	REG_CAA,      /* a vCPU's calling area */
};

#define REG_OWNER_NONE 0xffffffffu

struct reg_entry {
	u64 gpa;
	u64 size;
	u32 kind;
	u32 owner; /* vCPU index: whose VMSA / calling area */
};

struct registry {
	struct spinlock lock;
	struct reg_entry *e;
	u32 n, cap;
};

void registry_init(struct registry *r, struct reg_entry *storage, u32 cap);

/* The first entry overlapping [gpa, gpa + size), or NULL. */
struct reg_entry *registry_find(struct registry *r, u64 gpa, u64 size);

/* The entry of exactly this page range and kind, or NULL. */
struct reg_entry *registry_find_exact(struct registry *r, u64 gpa, u64 size, u32 kind);

/* Add an entry (it must not overlap one: the caller checked). -ENOSPC when full. */
int registry_add(struct registry *r, u64 gpa, u64 size, u32 kind, u32 owner);

/* Remove @e (from registry_find*). Entries are not kept in order. */
void registry_remove(struct registry *r, struct reg_entry *e);

#endif
