/* The guest's VMPL1 vCPUs and the registry of protected pages (include/guest/vcpu.h). */
#include "guest/vcpu.h"
#include "arch/insn.h"
#include "arch/percpu.h"
#include "guest/claimview.h"
#include "guest/gmem.h"
#include "guest/memrange.h"
#include "guest/registry.h"
#include "guest/vmpl.h"
#include "guest/vmsa_check.h"
#include "lib/errno.h"
#include "lib/log.h"
#include "lib/string.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "protocol/pvalidate_req.h"
#include "sev/ghcb.h"
#include "sev/ghcb_msr.h"
#include "sev/rmp.h"
#include "sev/terminate.h"

#define VMGEXIT_EXIT_CODE 0x403 /* guest_exit_code after a VMGEXIT (facts §6) */
/* Registered VMSAs per vCPU: its current one and a replacement (Linux creates an AP's new
 * VMSA before it deletes the old one). Per vCPU, so that no vCPU can starve the others. */
#define VMSAS_PER_VCPU 2

struct vcpu_state {
	/* Under reg.lock. */
	u64 vmsa_gpa; /* 0: no VMPL1 VMSA */
	u64 caa_gpa;
	bool boot; /* the VMSA is the boot VMSA (SVSM memory) */
	/* VMSAs registered for this vCPU, or reserved by a CREATE_VCPU in progress for it: at
	 * most VMSAS_PER_VCPU. Reserved when the call's checks start, so two calls cannot both
	 * pass the limit. */
	u32 nr_vmsas;
	/* The vCPU's own: what its VMSA and calling-area slots map. */
	u64 mapped_vmsa, mapped_caa;
	struct vmsa *vmsa;
	u8 *caa;
	u64 *entries; /* PVALIDATE entry copies */
	bool ran;     /* VMPL1 has run on this vCPU */
	/* Claims: taken by the vCPU under reg.lock, read by all under it, released by the vCPU
	 * alone (its bit in claim_mask cleared). */
	u32 claim_mask;
	struct {
		u64 gpa, size;
	} claims[NR_CLAIMS];
	u32 nr_entries; /* CLAIM_ENTRIES: entries[0..nr_entries) of the request being served */
	struct claim_view view; /* the vCPU's own: guest_claim_entries' snapshot */
};

static struct registry reg;
static struct vcpu_state *vcpus;
static unsigned int nr_vcpus;
static struct vmsa *boot_vmsa;
static u64 boot_features;
static bool launched;

static u32 self(void)
{
	return this_cpu()->index;
}

static void take(enum claim_slot slot, u64 gpa, u64 size);
static void release(enum claim_slot slot);

void vcpu_init(void)
{
	struct reg_entry *storage;
	unsigned int i;
	u32 cap;

	nr_vcpus = percpu_count();
	/* Every vCPU's registered VMSAs and its calling area. */
	cap = (VMSAS_PER_VCPU + 1) * nr_vcpus;
	storage = kzalloc(cap * sizeof(*storage));
	vcpus = kzalloc(nr_vcpus * sizeof(*vcpus));
	if (!storage || !vcpus)
		fatal(TERM_NOMEM, "no memory for the vCPU registry");
	registry_init(&reg, storage, cap);
	for (i = 0; i < nr_vcpus; i++) {
		struct claim_view *v = &vcpus[i].view;

		/* Room for every registry entry and every claim of every vCPU. */
		v->cap = cap + nr_vcpus * NR_CLAIMS;
		v->cap_lists = nr_vcpus;
		v->r = kzalloc(v->cap * sizeof(*v->r));
		v->lists = kzalloc(v->cap_lists * sizeof(*v->lists));
		vcpus[i].entries = page_alloc(0);
		if (!vcpus[i].entries || !v->r || !v->lists)
			fatal(TERM_NOMEM, "no memory for vCPU %u's request buffers", i);
	}
}

void vcpu_launch_boot(struct vmsa *v, u64 caa_gpa)
{
	struct vcpu_state *s = &vcpus[0];

	boot_vmsa = v;
	boot_features = v->sev_features;
	spin_lock(&reg.lock);
	if (registry_add(&reg, caa_gpa, PAGE_SIZE, REG_CAA, 0))
		fatal(TERM_NOMEM, "vCPU registry full at launch");
	s->vmsa_gpa = svsm_va_to_pa(v);
	s->caa_gpa = caa_gpa;
	s->boot = true;
	spin_unlock(&reg.lock);
	__atomic_store_n(&launched, true, __ATOMIC_RELEASE);
}

u64 *vcpu_entry_buffer(void)
{
	return vcpus[self()].entries;
}

/* ---- The request loop ---- */

int vmpl1_begin(struct vmpl1_ctx *c)
{
	struct vcpu_state *s;
	struct vmsa *v;
	u64 old;
	bool ok;

	if (!__atomic_load_n(&launched, __ATOMIC_ACQUIRE))
		return -ENOENT;
	s = &vcpus[self()];
	spin_lock(&reg.lock);
	if (!s->vmsa_gpa) {
		spin_unlock(&reg.lock);
		return -ENOENT;
	}
	if (s->boot) {
		v = boot_vmsa;
	} else {
		if (s->mapped_vmsa != s->vmsa_gpa) {
			s->vmsa = gmem_map(GMEM_SLOT_VMSA, s->vmsa_gpa, true);
			s->mapped_vmsa = s->vmsa_gpa;
		}
		v = s->vmsa;
	}
	if (s->mapped_caa != s->caa_gpa) {
		s->caa = gmem_map(GMEM_SLOT_CAA, s->caa_gpa, true);
		s->mapped_caa = s->caa_gpa;
	}
	/* EFER.SVME is the runnable flag: whoever clears it owns the VMSA (facts §6). */
	old = __atomic_load_n(&v->efer, __ATOMIC_RELAXED);
	ok = (old & VMSA_EFER_SVME) &&
	     __atomic_compare_exchange_n(&v->efer, &old, old & ~VMSA_EFER_SVME, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	c->v = v;
	c->caa = s->caa;
	c->vmsa_gpa = s->vmsa_gpa;
	c->efer = old;
	/* The calling area is registered to this vCPU, so nobody else holds it. */
	if (ok)
		take(CLAIM_CALL, s->caa_gpa, PAGE_SIZE);
	spin_unlock(&reg.lock);
	return ok ? 0 : -EBUSY;
}

int vmpl1_call_pending(const struct vmpl1_ctx *c)
{
	u8 pending;

	if (READ_ONCE(c->v->guest_exit_code) != VMGEXIT_EXIT_CODE)
		return 0;
	/* A calling area that faults is one without a call (the guest broke it). */
	if (gmem_read(&pending, c->caa + SVSM_CAA_CALL_PENDING, 1))
		return 0;
	return pending == 1 ? 1 : pending ? -1 : 0;
}

void vmpl1_get_call(const struct vmpl1_ctx *c, struct svsm_call *call)
{
	call->rax = c->v->rax;
	call->rcx = c->v->rcx;
	call->rdx = c->v->rdx;
	call->r8 = c->v->r8;
	call->r9 = c->v->r9;
}

void vmpl1_finish_call(const struct vmpl1_ctx *c, const struct svsm_call *call)
{
	static const u8 zero;

	c->v->rax = call->rax;
	c->v->rcx = call->rcx;
	c->v->rdx = call->rdx;
	c->v->r8 = call->r8;
	c->v->r9 = call->r9;
	gmem_write(c->caa + SVSM_CAA_CALL_PENDING, &zero, 1);
}

void vmpl1_end(const struct vmpl1_ctx *c)
{
	__atomic_store_n(&c->v->efer, c->efer, __ATOMIC_RELEASE);
	release(CLAIM_CALL); /* after the last write to the calling area */
}

int vmpl1_run(void)
{
	struct vcpu_state *s = &vcpus[self()];
	u64 resp = ghcb_msr_protocol(ghcb_msr_vmpl_req(GUEST_VMPL));
	u32 err;
	int rc = ghcb_msr_vmpl_decode(resp, &err);

	if (rc == -EPROTO)
		fatal(TERM_BAD_HV_RESPONSE, "malformed run-VMPL response %#llx",
		      (unsigned long long)resp);
	if (rc && !s->ran && s->boot)
		fatal(TERM_VMPL_RUN, "the hypervisor refused to run the guest firmware (%#x)", err);
	if (rc) {
		/* Later refusals can be the guest's doing (a VMSA deleted or replaced behind the
		 * host's back): this vCPU waits; the others go on. */
		log_warn("the hypervisor refused to run VMPL1 (%#x): vCPU parked", err);
		return -EIO;
	}
	s->ran = true;
	return 0;
}

/* ---- Claims ---- */

/* Under reg.lock: this vCPU's @slot holds [gpa, gpa + size) from now on. */
static void take(enum claim_slot slot, u64 gpa, u64 size)
{
	struct vcpu_state *s = &vcpus[self()];

	s->claims[slot].gpa = gpa;
	s->claims[slot].size = size;
	__atomic_or_fetch(&s->claim_mask, 1U << slot, __ATOMIC_RELEASE);
}

/* Release this vCPU's @slot: everything done on the page before is visible first. */
static void release(enum claim_slot slot)
{
	__atomic_and_fetch(&vcpus[self()].claim_mask, ~(1U << slot), __ATOMIC_RELEASE);
}

/* Does a claim of vCPU @s (its claim mask @mask) overlap [gpa, gpa + size)? */
static bool claims_overlap(const struct vcpu_state *s, u32 mask, u64 gpa, u64 size)
{
	u32 c, j;

	for (c = 0; mask; c++, mask >>= 1) {
		if (!(mask & 1))
			continue;
		if (c != CLAIM_ENTRIES) {
			if (ranges_overlap(gpa, size, s->claims[c].gpa, s->claims[c].size))
				return true;
			continue;
		}
		for (j = 0; j < s->nr_entries; j++) {
			struct pvalidate_entry e;

			pvalidate_entry_decode(s->entries[j], &e);
			if (ranges_overlap(gpa, size, e.gpa, e.is_2m ? PAGE_2M_SIZE : PAGE_SIZE))
				return true;
		}
	}
	return false;
}

/*
 * Under reg.lock: may this vCPU claim [gpa, gpa + size)? Registered VMSAs and calling areas
 * are INVALID_ADDRESS, except — with @own_caa_ok — this vCPU's own calling area (*own = true:
 * it is protected already). Another vCPU's claim is BUSY (try again), one of this vCPU's own
 * INVALID_ADDRESS (a request naming its own request page); @skip_own is a claim slot of this
 * vCPU not to count (NR_CLAIMS: none).
 */
static u32 may_claim(u64 gpa, u64 size, bool own_caa_ok, bool *own, u32 skip_own)
{
	struct reg_entry *e = registry_find(&reg, gpa, size);
	u32 me = self(), i;

	*own = false;
	if (e) {
		if (own_caa_ok && e->kind == REG_CAA && e->owner == me && e->gpa == gpa &&
		    e->size == size) {
			*own = true;
			return SVSM_SUCCESS;
		}
		return SVSM_ERR_INVALID_ADDRESS;
	}
	for (i = 0; i < nr_vcpus; i++) {
		u32 mask = __atomic_load_n(&vcpus[i].claim_mask, __ATOMIC_ACQUIRE);

		if (i == me)
			mask &= ~(1U << skip_own);
		if (mask && claims_overlap(&vcpus[i], mask, gpa, size))
			return i == me ? SVSM_ERR_INVALID_ADDRESS : SVSM_ERR_BUSY;
	}
	return SVSM_SUCCESS;
}

/* Under reg.lock: claim [gpa, gpa + size) as this vCPU's @slot (may_claim's answers). */
static u32 claim_locked(enum claim_slot slot, u64 gpa, u64 size, bool own_caa_ok, bool *own)
{
	u32 rc = may_claim(gpa, size, own_caa_ok, own, NR_CLAIMS);

	if (!rc && !*own)
		take(slot, gpa, size);
	return rc;
}

/*
 * Under reg.lock: what this vCPU's PVALIDATE entries must not overlap, in the order
 * may_claim() checks it (guest/claimview.h): registered pages, then every vCPU's claims —
 * this vCPU's own INVALID_ADDRESS (its request page), the others' BUSY. The storage was
 * sized for all of them in vcpu_init, so an add cannot fail.
 */
static void view_build(struct claim_view *v, u32 me)
{
	u32 i, c;

	claim_view_reset(v);
	for (i = 0; i < reg.n; i++)
		claim_view_add(v, reg.e[i].gpa, reg.e[i].size, SVSM_ERR_INVALID_ADDRESS);
	for (i = 0; i < nr_vcpus; i++) {
		u32 mask = __atomic_load_n(&vcpus[i].claim_mask, __ATOMIC_ACQUIRE);
		u32 res = i == me ? SVSM_ERR_INVALID_ADDRESS : SVSM_ERR_BUSY;

		if (i == me)
			mask &= ~(1U << CLAIM_ENTRIES);
		for (c = 0; c < NR_CLAIMS; c++) {
			if (!(mask & (1U << c)))
				continue;
			if (c == CLAIM_ENTRIES)
				claim_view_add_list(v, vcpus[i].entries, vcpus[i].nr_entries);
			else
				claim_view_add(v, vcpus[i].claims[c].gpa, vcpus[i].claims[c].size,
					       res);
		}
	}
}

u32 guest_claim_entries(u32 n, u32 *claimed)
{
	u32 me = self(), rc = SVSM_SUCCESS, i;
	struct vcpu_state *s = &vcpus[me];

	spin_lock(&reg.lock);
	view_build(&s->view, me);
	for (i = 0; i < n; i++) {
		struct pvalidate_entry e;
		u64 size;

		pvalidate_entry_decode(s->entries[i], &e);
		size = e.is_2m ? PAGE_2M_SIZE : PAGE_SIZE;
		/* SVSM memory, no RAM, MMIO, wrap-around, a GFN with the C-bit (far beyond
		 * RAM): INVALID_ADDRESS (facts §7 PVALIDATE "Errors"). Entries of this request
		 * may name the same page twice. */
		if (gmem_check(e.gpa, size))
			rc = SVSM_ERR_INVALID_ADDRESS;
		else
			rc = claim_view_check(&s->view, e.gpa, size);
		if (rc)
			break;
	}
	s->nr_entries = i;
	if (i)
		__atomic_or_fetch(&s->claim_mask, 1U << CLAIM_ENTRIES, __ATOMIC_RELEASE);
	spin_unlock(&reg.lock);
	*claimed = i;
	return rc;
}

void guest_release_entries(void)
{
	/* Under the lock: no vCPU is reading the entry buffer when it is reused. */
	spin_lock(&reg.lock);
	release(CLAIM_ENTRIES);
	spin_unlock(&reg.lock);
}

static enum claim_slot claim_of(enum gmem_slot slot)
{
	return slot == GMEM_SLOT_REQ ? CLAIM_REQ : CLAIM_AUX;
}

/* A registry entry that must fit: the registry is sized for every VMSA and calling area
 * there can be (vcpu_init), so a full one is a bug. */
static void must_add(u64 gpa, u32 kind, u32 owner)
{
	if (registry_add(&reg, gpa, PAGE_SIZE, kind, owner))
		fatal(TERM_NOMEM, "vCPU registry full");
}

u32 gpage_open(struct gpage *p, enum gmem_slot slot, u64 gpa)
{
	bool own;
	u32 rc;

	p->gpa = gpa;
	p->slot = slot;
	p->claimed = false;
	p->va = NULL;
	if (!IS_ALIGNED(gpa, PAGE_SIZE) || gmem_check(gpa, PAGE_SIZE))
		return SVSM_ERR_INVALID_ADDRESS;
	spin_lock(&reg.lock);
	rc = claim_locked(claim_of(slot), gpa, PAGE_SIZE, true, &own);
	spin_unlock(&reg.lock);
	if (rc)
		return rc;
	p->claimed = !own;
	p->va = gmem_map(slot, gpa, true);
	/* The own calling area was probed when it was registered. */
	if (!own && gmem_probe(p->va, gpa)) {
		gpage_close(p);
		return SVSM_ERR_INVALID_ADDRESS;
	}
	return SVSM_SUCCESS;
}

static bool in_page(u64 off, u64 len)
{
	u64 end;

	return !check_add_overflow(off, len, &end) && end <= PAGE_SIZE;
}

int gpage_read(const struct gpage *p, u64 off, void *dst, u64 len)
{
	if (!p->va || !in_page(off, len))
		return -EFAULT;
	return gmem_read(dst, p->va + off, len);
}

int gpage_write(const struct gpage *p, u64 off, const void *src, u64 len)
{
	if (!p->va || !in_page(off, len))
		return -EFAULT;
	return gmem_write(p->va + off, src, len);
}

void gpage_close(struct gpage *p)
{
	if (p->va)
		gmem_unmap(p->slot);
	if (p->claimed)
		release(claim_of(p->slot));
	p->va = NULL;
	p->claimed = false;
}

/* ---- REMAP_CA ---- */

u32 guest_remap_caa(u64 gpa)
{
	struct vcpu_state *s = &vcpus[self()];
	struct reg_entry *e;
	static const u8 zero;
	bool own;
	u8 *va;
	u32 rc;

	/* facts §7: the new calling area is page aligned; SPEC-T: misaligned input is
	 * INVALID_PARAMETER, an address that cannot be used INVALID_ADDRESS. */
	if (!IS_ALIGNED(gpa, PAGE_SIZE))
		return SVSM_ERR_INVALID_PARAMETER;
	if (gmem_check(gpa, PAGE_SIZE))
		return SVSM_ERR_INVALID_ADDRESS;
	spin_lock(&reg.lock);
	rc = claim_locked(CLAIM_AUX, gpa, PAGE_SIZE, true, &own);
	spin_unlock(&reg.lock);
	if (rc)
		return rc;
	va = gmem_map(GMEM_SLOT_AUX, gpa, true);
	/* SPEC-T: the new calling area starts with call_pending = 0. */
	if ((!own && gmem_probe(va, gpa)) || gmem_write(va + SVSM_CAA_CALL_PENDING, &zero, 1)) {
		rc = SVSM_ERR_INVALID_ADDRESS;
	} else if (!own) {
		spin_lock(&reg.lock);
		e = registry_find_exact(&reg, s->caa_gpa, PAGE_SIZE, REG_CAA);
		if (e && e->owner == self())
			registry_remove(&reg, e);
		must_add(gpa, REG_CAA, self());
		s->caa_gpa = gpa;
		spin_unlock(&reg.lock);
	}
	gmem_unmap(GMEM_SLOT_AUX);
	if (!own)
		release(CLAIM_AUX); /* registered by now, or refused */
	return rc;
}

/* ---- CREATE_VCPU / DELETE_VCPU ---- */

static int cpu_of_apic(u32 apic_id)
{
	unsigned int i;

	for (i = 0; i < nr_vcpus; i++)
		if (percpu_get(i)->apic_id == apic_id)
			return (int)i;
	return -1;
}

/* VMPL1 gets its RWX back on a page whose VMSA bit is clear again or was never set (facts §7
 * CREATE_VCPU step 7, DELETE_VCPU step 3). A failure leaves an SVSM-made state the guest
 * cannot undo: fatal. */
static void give_back(void *va, u64 gpa)
{
	int rc = rmp_adjust_4k_at(va, gpa, GUEST_RWX | GUEST_VMPL);

	if (rc)
		fatal(TERM_RMPADJUST, "RMPADJUST giving page %#llx back to VMPL1 failed (%d)",
		      (unsigned long long)gpa, rc);
}

/* The checks of facts §7 on the VMSA at @va while VMPL1 cannot touch it. */
static u32 check_new_vmsa(const u8 *va)
{
	u8 vmpl;
	u64 efer, features;

	if (gmem_read(&vmpl, va + offsetof(struct vmsa, vmpl), sizeof(vmpl)) ||
	    gmem_read(&efer, va + offsetof(struct vmsa, efer), sizeof(efer)) ||
	    gmem_read(&features, va + offsetof(struct vmsa, sev_features), sizeof(features)))
		return SVSM_ERR_INVALID_ADDRESS;
	return vmsa_check_create(vmpl, efer, features, boot_features);
}

u32 guest_vcpu_create(u64 vmsa_gpa, u64 caa_gpa, u32 apic_id)
{
	bool own, revoked = false;
	struct reg_entry *e;
	int target, rc;
	u8 *vva, *cva;
	u32 res;

	/* facts §7: both GPAs page aligned. */
	if (!IS_ALIGNED(vmsa_gpa, PAGE_SIZE) || !IS_ALIGNED(caa_gpa, PAGE_SIZE))
		return SVSM_ERR_INVALID_PARAMETER;
	/* The APIC ID must exist, and not be the caller's: its VMSA is the one running this
	 * call, and the host would go on running it. */
	target = cpu_of_apic(apic_id);
	if (target < 0 || (u32)target == self())
		return SVSM_ERR_INVALID_PARAMETER;
	/* The boot vCPU keeps its boot VMSA (SPEC-T refuses to delete it, too). */
	if (READ_ONCE(vcpus[target].boot))
		return SVSM_ERR_INVALID_PARAMETER;
	if (vmsa_gpa == caa_gpa || gmem_check(vmsa_gpa, PAGE_SIZE) ||
	    gmem_check(caa_gpa, PAGE_SIZE))
		return SVSM_ERR_INVALID_ADDRESS;
	/* A VMSA never on a 2 MiB boundary (erratum 1467, facts §4; [C] refuses it too). */
	if (IS_ALIGNED(vmsa_gpa, PAGE_2M_SIZE))
		return SVSM_ERR_INVALID_PARAMETER;

	spin_lock(&reg.lock);
	if (vcpus[target].nr_vmsas >= VMSAS_PER_VCPU) {
		/* That vCPU has a VMSA and a replacement: it must delete one first. */
		res = SVSM_ERR_INVALID_REQUEST;
	} else {
		res = claim_locked(CLAIM_AUX, vmsa_gpa, PAGE_SIZE, false, &own);
		if (!res) {
			res = claim_locked(CLAIM_AUX2, caa_gpa, PAGE_SIZE, false, &own);
			if (res)
				release(CLAIM_AUX);
		}
		/* The slot is this call's from now on: given back if the call fails. */
		if (!res)
			vcpus[target].nr_vmsas++;
	}
	spin_unlock(&reg.lock);
	if (res)
		return res;

	vva = gmem_map(GMEM_SLOT_AUX, vmsa_gpa, true);
	cva = gmem_map(GMEM_SLOT_AUX2, caa_gpa, true);
	/* 1. VMPL1 loses all access first, and no vCPU keeps a stale translation, so the page
	 *    cannot change after the checks (facts §7 CREATE_VCPU step 2). FAIL_INPUT: the page
	 *    is not private and validated. */
	rc = rmp_adjust_4k_at(vva, vmsa_gpa, GUEST_VMPL);
	if (rc) {
		res = rc == RMPADJUST_FAIL_INPUT || rc < 0 ? SVSM_ERR_INVALID_ADDRESS
							   : svsm_err_from_insn(rc);
		goto out;
	}
	revoked = true;
	invlpgb_all();
	tlbsync();
	/* 2. The contents. */
	res = check_new_vmsa(vva);
	if (res)
		goto out;
	/* 3. The calling area must be usable. */
	if (gmem_probe(cva, caa_gpa)) {
		res = SVSM_ERR_INVALID_ADDRESS;
		goto out;
	}
	/* 4. Only now the VMSA bit, with read access for VMPL1 (facts §7 step 4). */
	rc = rmp_adjust_4k_at(vva, vmsa_gpa, RMP_ATTR_VMSA | RMP_ATTR_READ | GUEST_VMPL);
	if (rc) {
		res = rc < 0 ? SVSM_ERR_INVALID_ADDRESS : svsm_err_from_insn(rc);
		goto out;
	}
	revoked = false;
	/* 5. Record it for the target vCPU; a VMSA it had before stays registered until
	 *    DELETE_VCPU, its calling area does not. */
	spin_lock(&reg.lock);
	e = registry_find_exact(&reg, vcpus[target].caa_gpa, PAGE_SIZE, REG_CAA);
	if (e && e->owner == (u32)target)
		registry_remove(&reg, e);
	must_add(vmsa_gpa, REG_VMSA, (u32)target);
	must_add(caa_gpa, REG_CAA, (u32)target);
	release(CLAIM_AUX);
	release(CLAIM_AUX2);
	vcpus[target].vmsa_gpa = vmsa_gpa;
	vcpus[target].caa_gpa = caa_gpa;
	vcpus[target].boot = false;
	spin_unlock(&reg.lock);
	gmem_unmap(GMEM_SLOT_AUX);
	gmem_unmap(GMEM_SLOT_AUX2);
	return SVSM_SUCCESS;

out:
	if (revoked)
		give_back(vva, vmsa_gpa);
	gmem_unmap(GMEM_SLOT_AUX);
	gmem_unmap(GMEM_SLOT_AUX2);
	spin_lock(&reg.lock);
	vcpus[target].nr_vmsas--;
	release(CLAIM_AUX);
	release(CLAIM_AUX2);
	spin_unlock(&reg.lock);
	return res;
}

u32 guest_vcpu_delete(u64 vmsa_gpa)
{
	struct reg_entry *e;
	struct vmsa *v;
	u32 owner;
	u64 old;

	/* facts §7: only a registered VMSA; anything else is INVALID_PARAMETER. */
	if (!IS_ALIGNED(vmsa_gpa, PAGE_SIZE))
		return SVSM_ERR_INVALID_PARAMETER;
	spin_lock(&reg.lock);
	e = registry_find_exact(&reg, vmsa_gpa, PAGE_SIZE, REG_VMSA);
	if (!e) {
		spin_unlock(&reg.lock);
		return SVSM_ERR_INVALID_PARAMETER;
	}
	v = gmem_map(GMEM_SLOT_AUX, vmsa_gpa, true);
	/* Clear the runnable flag; if it is clear already, a vCPU is inspecting this VMSA
	 * (serving a call from it): in use (facts §7 DELETE_VCPU step 2, [L]). */
	old = __atomic_load_n(&v->efer, __ATOMIC_RELAXED);
	if (!(old & VMSA_EFER_SVME) ||
	    !__atomic_compare_exchange_n(&v->efer, &old, old & ~VMSA_EFER_SVME, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
		spin_unlock(&reg.lock);
		gmem_unmap(GMEM_SLOT_AUX);
		return SVSM_ERR_VCPU_IN_USE;
	}
	owner = e->owner;
	registry_remove(&reg, e);
	if (owner < nr_vcpus)
		vcpus[owner].nr_vmsas--;
	/* Held until the page is ordinary again: nobody registers or rescinds it meanwhile. */
	take(CLAIM_AUX, vmsa_gpa, PAGE_SIZE);
	if (owner < nr_vcpus && vcpus[owner].vmsa_gpa == vmsa_gpa) {
		e = registry_find_exact(&reg, vcpus[owner].caa_gpa, PAGE_SIZE, REG_CAA);
		if (e && e->owner == owner)
			registry_remove(&reg, e);
		vcpus[owner].vmsa_gpa = 0;
		vcpus[owner].caa_gpa = 0;
	}
	spin_unlock(&reg.lock);
	/* The VMSA bit goes, VMPL1 gets RWX back (facts §7 DELETE_VCPU step 3). */
	give_back(v, vmsa_gpa);
	gmem_unmap(GMEM_SLOT_AUX);
	release(CLAIM_AUX);
	return SVSM_SUCCESS;
}
