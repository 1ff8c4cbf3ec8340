/*
 * snpemu's test instrument: the port interface the VMPL1 test firmware (tests/guest/fw) uses to
 * look at the emulated machine from the outside. Shared by snpemu (tools/snpemu/l1/instrument.c)
 * and the test firmware; tools/snpemu/README.md "The test instrument" explains it.
 *
 * NOT part of the SEV-SNP model. No real host has anything like it, and a guest must never
 * trust what a host says about the RMP: these ports exist only because snpemu is the test
 * harness and answers honestly. svsm.bin never uses them (snpemu stops the run, exit 4, if
 * the image's own VMPL touches one).
 *
 * Every access is a 32-bit IN or OUT through the GHCB IOIO event (string forms work too).
 * The cursor is per vCPU.
 */
#ifndef SNPEMU_INSTRUMENT_H
#define SNPEMU_INSTRUMENT_H

/* OUT: the cursor's GPA, bits 31:0 / 63:32 (each write keeps the other half). */
#define SNPEMU_TI_GPA_LO 0x05d0
#define SNPEMU_TI_GPA_HI 0x05d4
/* IN: the RMP word (below) of the 4 KiB page at the cursor, then the cursor moves on 4 KiB,
 * so that `rep insd` reads the entries of consecutive pages. */
#define SNPEMU_TI_RMP 0x05d8
/*
 * The read watch of one page: counts the image's (the SVSM's) accesses to the page, each at
 * the 8-byte word its address falls in, by trapping every one of them (the page is unmapped
 * for the image's VMPL; each access faults, is counted, and is let through for exactly one
 * instruction, or one iteration of a rep string instruction).
 *   OUT SNPEMU_TI_WATCH: 1 arms the watch on the cursor's page (counts reset; the page must
 *       be private and validated), 0 disarms it. One page at a time, for the whole machine.
 *   IN  SNPEMU_TI_WATCH: 1 while armed, 0 otherwise.
 *   IN  SNPEMU_TI_WATCH_READS / _WRITES: accesses counted; SNPEMU_TI_WATCH_MAX: the most
 *       reads of any one 8-byte word; SNPEMU_TI_WATCH_WRITABLE: reads made while a higher
 *       VMPL (the guest's) could still write the page, by the RMP or through a translation
 *       cached before access was taken away in the reader's call without a TLB flush since
 *       (the books of --stats "calls").
 */
#define SNPEMU_TI_WATCH 0x05dc
#define SNPEMU_TI_WATCH_READS 0x05e0
#define SNPEMU_TI_WATCH_MAX 0x05e4
#define SNPEMU_TI_WATCH_WRITES 0x05e8
#define SNPEMU_TI_WATCH_WRITABLE 0x05ec
#define SNPEMU_TI_FIRST 0x05d0
#define SNPEMU_TI_LAST 0x05ef

/*
 * The RMP word. Permission masks as RMPADJUST's attribute bits 11:8 (facts §4): read,
 * write, user-execute, supervisor-execute. VMPL0 has full access to every assigned page and
 * has no mask. A GPA outside guest memory reads SNPEMU_RMPQ_MAGIC alone.
 */
#define SNPEMU_RMPQ_ASSIGNED (1U << 0)
#define SNPEMU_RMPQ_VALIDATED (1U << 1)
#define SNPEMU_RMPQ_2M (1U << 2)
#define SNPEMU_RMPQ_VMSA (1U << 3)
#define SNPEMU_RMPQ_PERM_SHIFT(vmpl) (4 * (vmpl)) /* VMPL 1..3: bits 7:4, 11:8, 15:12 */
#define SNPEMU_RMPQ_PERM(word, vmpl) (((word) >> SNPEMU_RMPQ_PERM_SHIFT(vmpl)) & 0xfU)
#define SNPEMU_RMPQ_MEMORY (1U << 16) /* the GPA is guest memory (RAM, firmware, SVSM) */
#define SNPEMU_RMPQ_MAGIC_MASK 0xff000000U
#define SNPEMU_RMPQ_MAGIC 0x52000000U /* 'R': an unassigned port reads all ones instead */

#define SNPEMU_PERM_R 0x1U
#define SNPEMU_PERM_W 0x2U
#define SNPEMU_PERM_UX 0x4U
#define SNPEMU_PERM_SX 0x8U
#define SNPEMU_PERM_RWX 0xfU

#endif
