/* SPDX-License-Identifier: MIT */
/*
 * Guest memory, as the SVSM sees it: the one place that maps guest pages and reads or writes
 * them (docs/design.md §3 "Guest memory"). Nothing else in the SVSM holds a pointer into guest
 * memory.
 *
 * - Which addresses: guest RAM from the host's e820 map, never SVSM memory, no wrap-around
 *   (guest/memrange.h); registered VMSAs and calling areas are the registry's business
 *   (guest/vcpu.h), which every request path consults before it maps anything.
 * - Mapping: this vCPU's window (mm/paging.h), one slot per purpose (enum gmem_slot), always
 *   private (C-bit). A guest page can be shared or private-but-not-validated; a private
 *   access to a shared page is an RMP fault the SVSM must never cause, so before the SVSM
 *   reads or writes a page a request names it proves the page private and validated with
 *   gmem_probe().
 * - Copies: gmem_read()/gmem_write()/gmem_zero() run under the exception fixup table
 *   (arch/extable.h): if the page stops being validated in between (a #VC 0x404), the copy
 *   returns -EFAULT and the request fails with INVALID_ADDRESS instead of bringing the SVSM
 *   down.
 */
#ifndef CSVSM_GUEST_GMEM_H
#define CSVSM_GUEST_GMEM_H

#include "lib/types.h"

/* Slots of a vCPU's window (PAGING_WINDOW_SLOTS). */
enum gmem_slot {
	GMEM_SLOT_VMSA,	  /* this vCPU's VMPL1 VMSA (guest page, registered) */
	GMEM_SLOT_CAA,	  /* this vCPU's calling area */
	GMEM_SLOT_REQ,	  /* a request page (PVALIDATE) */
	GMEM_SLOT_PAGE,	  /* a page being validated or rescinded */
	GMEM_SLOT_AUX,	  /* CREATE/DELETE_VCPU's VMSA, REMAP_CA's new calling area */
	GMEM_SLOT_AUX2,	  /* CREATE_VCPU's calling area */
	GMEM_SLOT_LAUNCH, /* the launch's pages */
	GMEM_NR_SLOTS,
};

/* At launch: the e820 map (dev/platform.h) and every vCPU's window. Fatal on failure. */
void gmem_init(void);

/* 0 if [gpa, gpa + len) is guest RAM outside SVSM memory (memrange.h), else -EFAULT. */
int gmem_check(u64 gpa, u64 len);

/* Map the page at @gpa (page aligned) into @slot (PGT_WRITE for writing); returns its
 * address. Nothing is checked here: callers check first. */
void *gmem_map(enum gmem_slot slot, u64 gpa, bool write);
void gmem_unmap(enum gmem_slot slot);
/* The 2 MiB slot. */
void *gmem_map_2m(u64 gpa, bool write);
void gmem_unmap_2m(void);

/*
 * Is the page mapped at @va (GPA @gpa) private and validated? Proven with RMPADJUST, which
 * succeeds only on such a page: target VMPL3, no access (csvsm grants VMPL2 and VMPL3
 * nothing, the guest runs at VMPL1). A page in a 2 MiB RMP entry is probed as that 2 MiB
 * page (through the 2 MiB slot) when the 4 KiB probe is FAIL_SIZEMISMATCH; a host that
 * answers the RMP #NPF with PSMASH (KVM's sev_handle_rmp_fault) splits it instead. 0 or
 * -EFAULT.
 */
int gmem_probe(void *va, u64 gpa);

/* Copies under the fixup table: 0 or -EFAULT. @guest is an address inside a mapped slot. */
int gmem_read(void *dst, const void *guest, size_t len);
int gmem_write(void *guest, const void *src, size_t len);

/* Zero a mapped guest page (4 KiB or 2 MiB; src/guest/gmem_zero.S) under the fixup table:
 * 0 or -EFAULT. */
int gmem_zero(void *va, size_t bytes);

/* The raw copy (src/guest/gmem_copy.S): rep movs under the fixup table. 0 or -EFAULT. */
int gmem_copy_raw(void *dst, const void *src, size_t len);

#endif
