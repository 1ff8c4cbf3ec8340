// SPDX-License-Identifier: MIT
/* A VMPL0 AP's initial VMSA (include/sev/vmsa.h; AMD APM vol 2 #24593, appendix B, table B-4 (VMSA
 * layout)). */
#include "sev/vmsa.h"
#include "lib/string.h"

void vmsa_init_ap(struct vmsa *v, const struct vmsa_ap_params *p)
{
	memset(v, 0, sizeof(*v));
	v->cs = (struct vmsa_seg){ .selector = p->cs_sel,
				   .attrib = vmsa_attrib_from_desc(p->cs_desc),
				   .limit = 0xffffffff,
				   .base = 0 };
	/* DS, ES, SS, FS null (64-bit mode, CPL 0); GS carries the per-CPU base. */
	v->gs.base = p->gs_base;
	v->gdtr = (struct vmsa_seg){ .limit = p->gdt_limit, .base = p->gdt_base };
	v->idtr = (struct vmsa_seg){ .limit = p->idt_limit, .base = p->idt_base };
	v->tr = (struct vmsa_seg){
		.selector = p->tr_sel, .attrib = VMSA_TR_ATTRIB, .limit = 0x67, .base = p->tss_base
	};
	v->vmpl = 0;
	v->cpl = 0;
	v->efer = p->efer;
	v->cr4 = p->cr4;
	v->cr3 = p->cr3;
	v->cr0 = p->cr0;
	v->dr7 = VMSA_DR7_RESET;
	v->dr6 = VMSA_DR6_RESET;
	v->rflags = VMSA_RFLAGS_RESET;
	v->rip = p->rip;
	v->rsp = p->rsp;
	v->g_pat = VMSA_G_PAT_RESET;
	v->sev_features = p->sev_features;
	v->xcr0 = VMSA_XCR0_RESET;
	v->mxcsr = VMSA_MXCSR_RESET;
	v->x87_ftw = VMSA_X87_FTW_RESET;
	v->x87_fcw = VMSA_X87_FCW_RESET;
}
