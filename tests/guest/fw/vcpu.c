/* VMPL1 APs through CREATE_VCPU (see vcpu.h). */
#include "vcpu.h"
#include "console.h"
#include "hv.h"
#include "layout.h"
#include "lib/string.h"
#include "svsm.h"
#include "tlib/x86.h"

/* How long the BSP waits for an AP, in pause iterations: an AP starts within thousands, and a
 * parked AP (an SVSM that deleted a VMSA in use, say) must fail the check within seconds,
 * not run into the test's time limit. */
#define VCPU_WAIT_SPINS 5000000ULL

/* reset VMSA values shared with edk2's AP reset state (facts §6) */
#define VMSA_DR6 0xffff0ff0
#define VMSA_DR7 0x400
#define VMSA_GPAT 0x0007040600070406ULL
#define VMSA_MXCSR 0x1f80
#define VMSA_X87_FTW 0x5555
#define VMSA_X87_FCW 0x40
/* Segment attributes in VMCB format: 64-bit code (type 0xb, S, P, L, G), flat data (type 3,
 * S, P, D/B, G), LDT, busy 64-bit TSS. */
#define ATTR_CODE64 0x0a9b
#define ATTR_DATA 0x0c93
#define ATTR_LDT 0x0082
#define ATTR_TSS 0x008b

extern char ap_start[];

u64 guest_sev_features(void)
{
	return rdmsr(MSR_SEV_STATUS) >> 2;
}

static struct vmsa_seg seg(u16 selector, u16 attrib, u32 limit, u64 base)
{
	return (struct vmsa_seg){ selector, attrib, limit, base };
}

void vmsa_init_ap(struct vmsa *v, u32 index)
{
	struct desc_ptr gdt, idt;

	store_gdt(&gdt);
	store_idt(&idt);
	memset(v, 0, sizeof(*v));
	v->cs = seg(SEL_CODE64, ATTR_CODE64, 0xffffffff, 0);
	v->ds = v->es = v->ss = v->fs = v->gs = seg(SEL_DATA, ATTR_DATA, 0xffffffff, 0);
	v->gdtr = seg(0, 0, gdt.limit, gdt.base);
	v->idtr = seg(0, 0, idt.limit, idt.base);
	v->ldtr = seg(0, ATTR_LDT, 0xffff, 0);
	v->tr = seg(0, ATTR_TSS, 0xffff, 0);
	v->vmpl = 1;
	v->cpl = 0;
	v->efer = GUEST_EFER;
	v->cr0 = GUEST_CR0;
	v->cr3 = read_cr3();
	v->cr4 = GUEST_CR4;
	v->dr6 = VMSA_DR6;
	v->dr7 = VMSA_DR7;
	v->rflags = 0x2;
	v->rip = (u64)(uintptr_t)ap_start;
	v->rsp = cpu_stack_top(index);
	v->rdi = index;
	v->g_pat = VMSA_GPAT;
	v->xcr0 = 1;
	v->mxcsr = VMSA_MXCSR;
	v->x87_ftw = VMSA_X87_FTW;
	v->x87_fcw = VMSA_X87_FCW;
	v->sev_features = guest_sev_features();
}

u64 vcpu_vmsa_gpa(u32 index)
{
	/* Never on a 2 MiB boundary (AMD erratum 1467, facts §4): VCPU_PAGES_BASE is not one
	 * and the pairs stay inside its 64 KiB. */
	return VCPU_PAGES_BASE + (u64)index * 2 * PAGE_SIZE;
}

u64 vcpu_caa_gpa(u32 index)
{
	return vcpu_vmsa_gpa(index) + PAGE_SIZE;
}

u32 vcpu_create(u32 index, u32 apic_id, void (*job)(struct cpu *), u64 arg)
{
	struct cpu *cpu = cpu_by_index(index);

	memset(cpu, 0, sizeof(*cpu));
	cpu->index = index;
	cpu->apic_id = apic_id;
	cpu->caa_gpa = vcpu_caa_gpa(index);
	cpu->caa = (struct svsm_caa *)(uintptr_t)cpu->caa_gpa;
	cpu->job = job;
	cpu->job_arg = arg;
	memset(cpu->caa, 0, PAGE_SIZE);
	vmsa_init_ap((struct vmsa *)(uintptr_t)vcpu_vmsa_gpa(index), index);

	return svsm_create_vcpu(vcpu_vmsa_gpa(index), cpu->caa_gpa, apic_id);
}

int vcpu_run(u32 index)
{
	struct cpu *cpu = cpu_by_index(index);

	return hv_ap_create(cpu->apic_id, vcpu_vmsa_gpa(index), guest_sev_features());
}

bool vcpu_wait(u32 index, enum cpu_state state)
{
	struct cpu *cpu = cpu_by_index(index);

	for (u64 i = 0; i < VCPU_WAIT_SPINS; i++) {
		u32 s = __atomic_load_n(&cpu->state, __ATOMIC_ACQUIRE);

		if (s == CPU_FAILED)
			return false;
		if (s >= (u32)state)
			return true;
		cpu_relax();
	}
	return false;
}

u32 vcpu_delete(u32 index)
{
	return svsm_delete_vcpu(vcpu_vmsa_gpa(index));
}

/* entry.asm's ap_start calls this on the AP's own stack. */
__noreturn void ap_main(u64 index);
__noreturn void ap_main(u64 index)
{
	struct cpu *cpu = this_cpu();

	if (cpu != cpu_by_index((u32)index) || hv_register_ghcb(cpu)) {
		__atomic_store_n(&cpu->state, CPU_FAILED, __ATOMIC_RELEASE);
		halt_forever();
	}
	__atomic_store_n(&cpu->state, CPU_STARTED, __ATOMIC_RELEASE);
	if (cpu->job)
		cpu->job(cpu);
	__atomic_store_n(&cpu->state, CPU_DONE, __ATOMIC_RELEASE);
	halt_forever();
}
