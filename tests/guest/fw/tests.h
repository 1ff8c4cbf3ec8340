/*
 * What the test groups share: the environment main.c discovered, the scratch pages, the
 * addresses no request may touch, and small page helpers.
 */
#ifndef CSVSM_GUEST_TESTS_H
#define CSVSM_GUEST_TESTS_H

#include "lib/types.h"
#include "layout.h"
#include "svsm.h"

struct guest_env {
	struct svsm_info svsm;
	unsigned int cbit;
	u64 sev_features;
	u64 hv_features;
	u32 ncpus;
	u32 apic_id[MAX_CPUS]; /* [0] is the BSP's */
};
extern struct guest_env env;

/*
 * Results the facts leave open (facts §7 marks these formats SPEC-T only, and [L]/[C] answer
 * UNSUPPORTED_CALL / "unsupported"). Change them here when the SVSM side decides.
 */
#define EXPECT_MEMORY_CALLS SVSM_ERR_UNSUPPORTED_CALL /* DEPOSIT_MEM and WITHDRAW_MEM */
/* CONFIGURE_VTOM: the query (RCX bit 0) succeeds with RCX = 0, "vTOM unsupported"; the
 * configure form is then INVALID_REQUEST ([L], [C]). */
#define EXPECT_VTOM_QUERY SVSM_SUCCESS
#define EXPECT_VTOM_CONFIGURE SVSM_ERR_INVALID_REQUEST

/* Scratch pages in pre-validated RAM (SCRATCH_BASE). */
enum scratch_page {
	SCR_REQ,      /* PVALIDATE requests */
	SCR_REQ_NEXT, /* the page after it, for requests that run over the end */
	SCR_CAA_NEW,  /* REMAP_CA target */
	SCR_VMSA,     /* hostile CREATE_VCPU VMSA */
	SCR_VMSA_CAA, /* and its calling area */
	SCR_PLAIN,    /* an ordinary page */
	SCR_LIMIT_V0, /* VMSAs and calling areas of the per-vCPU VMSA limit (test_vcpu.c) */
	SCR_LIMIT_V1,
	SCR_LIMIT_V2,
	SCR_LIMIT_V3,
	SCR_LIMIT_V4,
	SCR_LIMIT_C0,
	SCR_LIMIT_C1,
	SCR_COUNT,
};
_Static_assert(SCR_COUNT <= SCRATCH_PAGES, "scratch pages");

static inline u64 scratch_gpa(enum scratch_page p)
{
	return SCRATCH_BASE + (u64)p * PAGE_SIZE;
}

/* Test pages (start shared, TEST_4K_BASE). Each group uses its own range. */
static inline u64 test_page(u32 i)
{
	return TEST_4K_BASE + (u64)i * PAGE_SIZE;
}

/*
 * Guest-physical addresses no request may use: no RAM (256 GiB, far above any --mem the tests
 * use, below the SVSM), MMIO (the I/O APIC), and the top page (base + size overflows).
 */
#define GPA_NO_RAM 0x4000000000ULL
#define GPA_MMIO 0xfec00000ULL
#define GPA_TOP 0xfffffffffffff000ULL

static inline void *gpa_ptr(u64 gpa)
{
	return (void *)(uintptr_t)gpa;
}

/* Page helpers (testlib.c). A probe returns 0 or the fault (vc.h PROBE_FAULT); the others
 * probe first and return false for a page that is not accessible, so they never fault. */
u64 page_probe_read(u64 gpa);
u64 page_probe_write(u64 gpa);
bool page_is_zero(u64 gpa);
bool page_fill(u64 gpa, u64 seed);
bool page_holds(u64 gpa, u64 seed);
/* Readable and writable, and keeps what is written (the page is validated and ours). */
bool page_usable(u64 gpa);
/* Page state change to private of n 4 KiB pages (a check line on failure). */
bool make_private(u64 gpa, u32 n);

/* PVALIDATE helpers: a request of one entry in SCR_REQ; *next (if not NULL) is the request's
 * next field afterwards. */
struct svsm_pvalidate_req *pvalidate_req_at(u64 gpa);
u32 pvalidate_call(u64 req_gpa);
u32 pvalidate_one(u64 entry, u16 *next);
static inline u32 validate_4k(u64 gpa, bool ignore_cf)
{
	return pvalidate_one(PVAL_ENTRY(gpa, PVAL_SIZE_4K, true, ignore_cf), NULL);
}
static inline u32 rescind_4k(u64 gpa, bool ignore_cf)
{
	return pvalidate_one(PVAL_ENTRY(gpa, PVAL_SIZE_4K, false, ignore_cf), NULL);
}

/* The groups, in the order main.c runs them. */
void test_discovery(void);
void test_rmp(void);
void test_core(void);
void test_pvalidate(void);
void test_request_reads(void);
void test_remap_ca(void);
void test_vcpu(void);
void test_smp(void);
void test_attest(void);
void test_faulting_addresses(void);
void test_registers_preserved(void);

/* Race images (test_race.c): one case each, GUEST_MODE_RACE + the case. */
enum race_case {
	RACE_BUSY,
	RACE_PVALIDATE,
	RACE_CAA,
	RACE_VMSAS,
	RACE_ENTRIES,
	RACE_ATTEST,
};
void test_race(enum race_case which);

/* Fatal modes (fatal.c): never return when the SVSM and snpemu do their job. */
void fatal_svsm_read(void);
void fatal_vmsa_write(void);

#endif
