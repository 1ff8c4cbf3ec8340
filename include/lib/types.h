/* SPDX-License-Identifier: MIT */
/* Basic types and helpers shared by every module (freestanding and host builds). */
#ifndef CSVSM_LIB_TYPES_H
#define CSVSM_LIB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_2M_SHIFT 21
#define PAGE_2M_SIZE (1UL << PAGE_2M_SHIFT)
#define PAGES_PER_2M (PAGE_2M_SIZE / PAGE_SIZE)

#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
/* Bits h..l set, h >= l, 64-bit. */
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))

#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif

/* Overflow-checked arithmetic: true when the result does not fit. */
#define check_add_overflow(a, b, res) __builtin_add_overflow(a, b, res)
#define check_mul_overflow(a, b, res) __builtin_mul_overflow(a, b, res)

#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define __noreturn __attribute__((noreturn))
#define __maybe_unused __attribute__((unused))
#define __section(s) __attribute__((section(s)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Single, untorn access to memory another vCPU, VMPL or the hypervisor may change. */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier() __asm__ __volatile__("" ::: "memory")

#endif
