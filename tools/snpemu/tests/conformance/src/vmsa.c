/*
 * VMSA construction and the AP-creation NAE.
 */
#include "vmsa.h"
#include "insn.h"

#define VMSA_CS 0x010
#define VMSA_SS 0x020
#define VMSA_DS 0x030
#define VMSA_ES 0x000
#define VMSA_GDTR 0x060
#define VMSA_IDTR 0x080
#define VMSA_TR 0x090
#define VMSA_VMPL 0x0ca
#define VMSA_CPL 0x0cb
#define VMSA_CR4 0x148
#define VMSA_CR3 0x150
#define VMSA_CR0 0x158
#define VMSA_DR7 0x160
#define VMSA_DR6 0x168
#define VMSA_RFLAGS 0x170
#define VMSA_RIP 0x178
#define VMSA_RSP 0x1d8
#define VMSA_GPAT 0x268
#define VMSA_XCR0 0x3e8
#define VMSA_MXCSR 0x408
#define VMSA_X87_FTW 0x40c
#define VMSA_X87_FCW 0x410

/* Segment attributes in the VMSA's compressed format (facts §6). */
#define ATTR_CODE64 0x0a9b /* G, L, P, S, type 0xb: the GDT's CS descriptor */
#define ATTR_DATA 0x0c93   /* G, D/B, P, S, type 3 */
#define ATTR_TSS64 0x008b  /* P, busy 64-bit TSS */

u64 vm_sev_features(void)
{
	return sev_status >> 2;
}

u64 vmpl_sev_features(int vmpl)
{
	/* VMPL1 runs with the features of the BIOS VMSA the host built (metadata page type 5) */
	if (vmpl == 1)
		return *(const volatile u64 *)(_image_end + 0x2000 + VMSA_SEV_FEATURES);
	return vm_sev_features();
}

void vmsa_set(u64 gpa, unsigned int off, u64 v)
{
	*(volatile u64 *)((u8 *)priv_ptr(gpa) + off) = v;
}

u64 vmsa_get(u64 gpa, unsigned int off)
{
	return *(volatile u64 *)((u8 *)priv_ptr(gpa) + off);
}

static void vmsa_seg(u8 *v, unsigned int off, u16 sel, u16 attrib, u32 limit, u64 base)
{
	*(u16 *)(v + off) = sel;
	*(u16 *)(v + off + 2) = attrib;
	*(u32 *)(v + off + 4) = limit;
	*(u64 *)(v + off + 8) = base;
}

void vmsa_build(u64 gpa, int vmpl, u64 rip, u64 rsp)
{
	u8 *v = priv_ptr(gpa);

	memset(v, 0, PAGE_SIZE);
	vmsa_seg(v, VMSA_CS, CONF_CS_SEL, ATTR_CODE64, 0xffffffff, 0);
	vmsa_seg(v, VMSA_SS, CONF_DS_SEL, ATTR_DATA, 0xffffffff, 0);
	vmsa_seg(v, VMSA_DS, CONF_DS_SEL, ATTR_DATA, 0xffffffff, 0);
	vmsa_seg(v, VMSA_ES, CONF_DS_SEL, ATTR_DATA, 0xffffffff, 0);
	vmsa_seg(v, VMSA_GDTR, 0, 0, (u32)(gdt_end - gdt - 1), (u64)gdt);
	vmsa_seg(v, VMSA_IDTR, 0, 0, IDT_ENTRIES * 16 - 1, (u64)idt);
	vmsa_seg(v, VMSA_TR, 0, ATTR_TSS64, 0x67, (u64)tss);
	v[VMSA_VMPL] = (u8)vmpl;
	v[VMSA_CPL] = 0;
	*(u64 *)(v + VMSA_EFER) = CONF_EFER; /* SVME set: the VMSA is runnable (facts §6) */
	*(u64 *)(v + VMSA_CR4) = CONF_CR4;
	*(u64 *)(v + VMSA_CR3) = vmpl == 0 ? read_cr3() : va_to_gpa(vmpl1_pml4) | CONF_CBIT;
	*(u64 *)(v + VMSA_CR0) = CONF_CR0;
	*(u64 *)(v + VMSA_DR7) = 0x400;
	*(u64 *)(v + VMSA_DR6) = 0xffff0ff0;
	*(u64 *)(v + VMSA_RFLAGS) = 0x2;
	*(u64 *)(v + VMSA_RIP) = rip;
	*(u64 *)(v + VMSA_RSP) = rsp;
	*(u64 *)(v + VMSA_GPAT) = 0x0007040600070406ULL;
	*(u64 *)(v + VMSA_SEV_FEATURES) = vmpl_sev_features(vmpl);
	*(u64 *)(v + VMSA_XCR0) = 1;
	*(u32 *)(v + VMSA_MXCSR) = 0x1f80;
	*(u16 *)(v + VMSA_X87_FTW) = 0x5555;
	*(u16 *)(v + VMSA_X87_FCW) = 0x40;
}

/* CPL 3 in 64-bit mode: CS/SS/DS/ES with DPL 3 and RPL 3 (GDT selectors 0x18/0x20 + 3, which
 * the payload never loads: VMRUN takes the segments from the VMSA), page tables @cr3. */
#define ATTR_CODE64_USER 0x0afb
#define ATTR_DATA_USER 0x0cf3

void vmsa_make_user(u64 gpa, u64 cr3)
{
	u8 *v = priv_ptr(gpa);

	vmsa_seg(v, VMSA_CS, 0x1b, ATTR_CODE64_USER, 0xffffffff, 0);
	vmsa_seg(v, VMSA_SS, 0x23, ATTR_DATA_USER, 0xffffffff, 0);
	vmsa_seg(v, VMSA_DS, 0x23, ATTR_DATA_USER, 0xffffffff, 0);
	vmsa_seg(v, VMSA_ES, 0x23, ATTR_DATA_USER, 0xffffffff, 0);
	v[VMSA_CPL] = 3;
	*(u64 *)(v + VMSA_CR3) = cr3;
}

struct nae ap_creation(unsigned int req, int vmpl, u32 apic_id, u64 vmsa_gpa, u64 features)
{
	struct cpu *c = this_cpu();

	ghcb_clear(c);
	if (req != AP_DESTROY)
		ghcb_set(c, GHCB_RAX, features);
	return ghcb_call(c, NAE_AP_CREATION, req | ((u64)vmpl << 16) | ((u64)apic_id << 32),
			 vmsa_gpa);
}
