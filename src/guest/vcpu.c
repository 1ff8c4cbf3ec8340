// SPDX-License-Identifier: MIT
/* The guest's VMPL1 vCPUs and the registry of protected pages (include/guest/vcpu.h). */
#include "guest/vcpu.h"
#include "arch/insn.h"
#include "guest/gmem.h"
#include "guest/vmpl.h"
#include "guest/vmsa_check.h"
#include "internal.h"
#include "lib/errno.h"
#include "mm/page_alloc.h"
#include "mm/kmalloc.h"
#include "sev/rmp.h"
#include "sev/terminate.h"

struct registry reg;
struct vcpu_state *vcpus;
unsigned int nr_vcpus;
struct vmsa *boot_vmsa;
u64 boot_features;
bool launched;

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

u32 vcpu_self(void)
{
	return self();
}

int vcpu_of_apic(u32 apic_id)
{
	unsigned int i;

	for (i = 0; i < nr_vcpus; i++)
		if (percpu_get(i)->apic_id == apic_id)
			return (int)i;
	return -EINVAL;
}

bool vcpu_is_boot(u32 index)
{
	return index < nr_vcpus && READ_ONCE(vcpus[index].boot);
}

u64 *vcpu_entry_buffer(void)
{
	return vcpus[self()].entries;
}

u64 vcpu_boot_features(void)
{
	return boot_features;
}

/* A registry entry that must fit: the registry is sized for every VMSA and calling area
 * there can be (vcpu_init), so a full one is a bug. */
static void must_add(u64 gpa, u32 kind, u32 owner)
{
	if (registry_add(&reg, gpa, PAGE_SIZE, kind, owner))
		fatal(TERM_NOMEM, "vCPU registry full");
}

/* ---- REMAP_CA ---- */

int vcpu_remap_caa(u64 gpa, u64 clear_off, u64 clear_len)
{
	static const u8 zero[8];
	struct vcpu_state *s = &vcpus[self()];
	struct reg_entry *e;
	bool own;
	u8 *va;
	int rc;

	if (gmem_check(gpa, PAGE_SIZE) || clear_len > sizeof(zero) ||
	    clear_off > PAGE_SIZE - clear_len)
		return -EFAULT;
	spin_lock(&reg.lock);
	rc = claim_locked(CLAIM_AUX, gpa, PAGE_SIZE, self(), &own);
	spin_unlock(&reg.lock);
	if (rc)
		return rc;
	va = gmem_map(GMEM_SLOT_AUX, gpa, true);
	if ((!own && gmem_probe(va, gpa)) || gmem_write(va + clear_off, zero, clear_len)) {
		rc = -EFAULT;
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

/* VMPL1 gets its RWX back on a page whose VMSA bit is clear again or was never set (SVSM spec
 * #58019 CREATE_VCPU and DELETE_VCPU). A failure leaves an SVSM-made state the guest cannot undo:
 * fatal. */
static void give_back(void *va, u64 gpa)
{
	int rc = rmp_adjust_4k_at(va, gpa, GUEST_RWX | GUEST_VMPL);

	if (rc)
		fatal(TERM_RMPADJUST, "RMPADJUST giving page %#llx back to VMPL1 failed (%d)",
		      (unsigned long long)gpa, rc);
}

int vcpu_new_begin(struct vcpu_new *n, u32 target, u64 vmsa_gpa, u64 caa_gpa)
{
	bool own;
	int rc;

	*n = (struct vcpu_new){ .target = target, .vmsa_gpa = vmsa_gpa, .caa_gpa = caa_gpa };
	spin_lock(&reg.lock);
	if (vcpus[target].nr_vmsas >= VMSAS_PER_VCPU) {
		/* That vCPU has a VMSA and a replacement: it must delete one first. */
		rc = -ENOSPC;
	} else {
		rc = claim_locked(CLAIM_AUX, vmsa_gpa, PAGE_SIZE, NO_CAA_OWNER, &own);
		if (!rc) {
			/* The target's own calling area may stay its calling area: Linux brings
			 * an AP back online with a new VMSA and the CA it had (it is protected
			 * already, being registered; SVSM spec #58019 CREATE_VCPU). */
			rc = claim_locked(CLAIM_AUX2, caa_gpa, PAGE_SIZE, target, &own);
			if (rc)
				release(CLAIM_AUX);
		}
		/* The slot is this call's from now on: given back if the call fails. */
		if (!rc)
			vcpus[target].nr_vmsas++;
	}
	spin_unlock(&reg.lock);
	if (rc)
		return rc;

	n->vva = gmem_map(GMEM_SLOT_AUX, vmsa_gpa, true);
	n->cva = gmem_map(GMEM_SLOT_AUX2, caa_gpa, true);
	/* VMPL1 loses all access first, and no vCPU keeps a stale translation, so the page
	 * cannot change after the checks (SVSM spec #58019, CREATE_VCPU). FAIL_INPUT: the page is
	 * not private and validated. */
	rc = rmp_adjust_4k_at(n->vva, vmsa_gpa, GUEST_VMPL);
	if (rc) {
		vcpu_new_abort(n);
		return rc == RMPADJUST_FAIL_INPUT || rc < 0 ? -EFAULT : rc;
	}
	n->revoked = true;
	invlpgb_all();
	tlbsync();
	return 0;
}

int vcpu_new_read(const struct vcpu_new *n, struct vcpu_new_fields *f)
{
	const u8 *va = n->vva;

	if (gmem_read(&f->vmpl, va + offsetof(struct vmsa, vmpl), sizeof(f->vmpl)) ||
	    gmem_read(&f->efer, va + offsetof(struct vmsa, efer), sizeof(f->efer)) ||
	    gmem_read(&f->sev_features, va + offsetof(struct vmsa, sev_features),
		      sizeof(f->sev_features)))
		return -EFAULT;
	return 0;
}

int vcpu_new_commit(struct vcpu_new *n)
{
	u32 target = n->target;
	struct reg_entry *e;
	int rc;

	/* The calling area must be usable. */
	if (gmem_probe(n->cva, n->caa_gpa)) {
		vcpu_new_abort(n);
		return -EFAULT;
	}
	/* Only now the VMSA bit, with read access for VMPL1 (SVSM spec #58019, CREATE_VCPU). */
	rc = rmp_adjust_4k_at(n->vva, n->vmsa_gpa, RMP_ATTR_VMSA | RMP_ATTR_READ | GUEST_VMPL);
	if (rc) {
		vcpu_new_abort(n);
		return rc < 0 ? -EFAULT : rc;
	}
	n->revoked = false;
	/* Record it for the target vCPU; a VMSA it had before stays registered until
	 * DELETE_VCPU, its calling area does not. */
	spin_lock(&reg.lock);
	e = registry_find_exact(&reg, vcpus[target].caa_gpa, PAGE_SIZE, REG_CAA);
	if (e && e->owner == target)
		registry_remove(&reg, e);
	must_add(n->vmsa_gpa, REG_VMSA, target);
	must_add(n->caa_gpa, REG_CAA, target);
	release(CLAIM_AUX);
	release(CLAIM_AUX2);
	vcpus[target].vmsa_gpa = n->vmsa_gpa;
	vcpus[target].caa_gpa = n->caa_gpa;
	vcpus[target].boot = false;
	spin_unlock(&reg.lock);
	gmem_unmap(GMEM_SLOT_AUX);
	gmem_unmap(GMEM_SLOT_AUX2);
	return 0;
}

void vcpu_new_abort(struct vcpu_new *n)
{
	if (n->revoked)
		give_back(n->vva, n->vmsa_gpa);
	n->revoked = false;
	gmem_unmap(GMEM_SLOT_AUX);
	gmem_unmap(GMEM_SLOT_AUX2);
	spin_lock(&reg.lock);
	vcpus[n->target].nr_vmsas--;
	release(CLAIM_AUX);
	release(CLAIM_AUX2);
	spin_unlock(&reg.lock);
}

int vcpu_delete(u64 vmsa_gpa)
{
	struct reg_entry *e;
	struct vmsa *v;
	u32 owner;
	u64 old;

	spin_lock(&reg.lock);
	e = registry_find_exact(&reg, vmsa_gpa, PAGE_SIZE, REG_VMSA);
	if (!e) {
		spin_unlock(&reg.lock);
		return -EINVAL;
	}
	v = gmem_map(GMEM_SLOT_AUX, vmsa_gpa, true);
	/* Clear the runnable flag; if it is clear already, a vCPU is inspecting this VMSA
	 * (serving a call from it): in use (SVSM spec #58019, DELETE_VCPU; [L]). */
	old = __atomic_load_n(&v->efer, __ATOMIC_RELAXED);
	if (!(old & VMSA_EFER_SVME) ||
	    !__atomic_compare_exchange_n(&v->efer, &old, old & ~VMSA_EFER_SVME, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
		spin_unlock(&reg.lock);
		gmem_unmap(GMEM_SLOT_AUX);
		return -ETXTBSY;
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
	/* The VMSA bit goes, VMPL1 gets RWX back (SVSM spec #58019, DELETE_VCPU). */
	give_back(v, vmsa_gpa);
	gmem_unmap(GMEM_SLOT_AUX);
	release(CLAIM_AUX);
	return 0;
}
