/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The freestanding runtime of the bare-metal guests: start code, EL1
 * exception vectors with a handler table, ns16550a output, printf, PSCI over
 * HVC, the test-exit device, and PASS/FAIL reporting.
 */
#ifndef GUESTS_RT_H
#define GUESTS_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "../platform.h"

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1UL << (n))
#define noreturn	_Noreturn

/* ---- VMSAv8-64 stage-1 descriptor bits, 4K granule (Arm ARM D8) ---- */
#define D_VALID		BIT(0)
#define D_TABLE		(BIT(0) | BIT(1))	/* levels 0-2: next table */
#define D_BLOCK		BIT(0)			/* levels 1-2 */
#define D_PAGE		(BIT(0) | BIT(1))	/* level 3 */
#define D_ATTR(i)	((u64)(i) << 2)
#define D_AP_RO		BIT(7)			/* AP[2]: read-only (EL1) */
#define D_SH_INNER	(3UL << 8)
#define D_AF		BIT(10)
#define D_PXN		BIT(53)
#define D_UXN		BIT(54)

/* ---- system registers and barriers ---- */
#define read_sysreg(r) ({ u64 __v; asm volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) asm volatile("msr " #r ", %0" : : "r"((u64)(v)) : "memory")
#define isb()		asm volatile("isb" : : : "memory")
#define dsb(opt)	asm volatile("dsb " #opt : : : "memory")

/*
 * MMIO with single-register, no-writeback instructions, so that every
 * access to an unbacked IPA has a valid syndrome (ISV=1) and the
 * hypervisor can emulate it (KVM_EXIT_MMIO).
 */
static inline u8 readb(unsigned long a)
{ u32 v; asm volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); return (u8)v; }
static inline u16 readw(unsigned long a)
{ u32 v; asm volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); return (u16)v; }
static inline u32 readl(unsigned long a)
{ u32 v; asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline u64 readq(unsigned long a)
{ u64 v; asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline void writeb(u8 v, unsigned long a)
{ asm volatile("strb %w0, [%1]" : : "r"((u32)v), "r"(a) : "memory"); }
static inline void writew(u16 v, unsigned long a)
{ asm volatile("strh %w0, [%1]" : : "r"((u32)v), "r"(a) : "memory"); }
static inline void writel(u32 v, unsigned long a)
{ asm volatile("str %w0, [%1]" : : "r"(v), "r"(a) : "memory"); }
static inline void writeq(u64 v, unsigned long a)
{ asm volatile("str %0, [%1]" : : "r"(v), "r"(a) : "memory"); }

/* ESR_ELx fields, EC and FSC codes, control-register bits: the shared
 * header of architectural constants */
#include "../../include/arm64.h"

/* ---- exceptions ---- */
struct rt_frame {
	u64 x[31];
	u64 elr, spsr, esr, far, sp_el0;
	u64 pad;
};

/* vector index 0..15 as laid out at VBAR_EL1; the kind is index & 3 */
enum { VEC_SYNC, VEC_IRQ, VEC_FIQ, VEC_SERROR };
#define VEC_CUR_SP0	0
#define VEC_CUR_SPX	4
#define VEC_LOW64	8
#define VEC_LOW32	12

/*
 * A handler returns 1 when it handled the exception (after adjusting the
 * frame, e.g. frame->elr += 4 to skip a faulting instruction), 0 to report
 * it as unexpected (which ends the run with status 2).
 */
typedef int (*rt_handler)(struct rt_frame *f, unsigned int vec);

void rt_set_sync_handler(unsigned int ec, rt_handler h);
void rt_set_handler(unsigned int kind, rt_handler h);	/* IRQ, FIQ, SError */
void rt_dump_frame(const struct rt_frame *f, unsigned int vec);
const char *rt_ec_name(unsigned int ec);

/*
 * The common test pattern: rt_expect_sync(EC) arms a recorder for that EC
 * that copies ESR/FAR/ELR/SPSR into rt_last and skips the instruction;
 * rt_caught counts recorded exceptions.
 */
struct rt_exc_record {
	u64 esr, far, elr, spsr;
	unsigned int vec;
};
extern volatile struct rt_exc_record rt_last;
extern volatile unsigned int rt_caught;
int rt_record_and_skip(struct rt_frame *f, unsigned int vec);
int rt_record(struct rt_frame *f, unsigned int vec);

/* ---- console ---- */
void uart_putc(char c);
/* Set by a guest that finds itself on another platform (guests/el2.c) */
extern void (*rt_putc_hook)(char c);
extern void (*rt_exit_hook)(unsigned int status);
void puts_raw(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- PSCI (Arm DEN0022) over HVC ---- */
#define PSCI_VERSION		0x84000000U
#define PSCI_CPU_OFF		0x84000002U
#define PSCI_CPU_ON		0xC4000003U
#define PSCI_AFFINITY_INFO	0xC4000004U
#define PSCI_SYSTEM_OFF		0x84000008U
#define PSCI_SYSTEM_RESET	0x84000009U
#define PSCI_FEATURES		0x8400000AU
#define PSCI_SYSTEM_RESET2	0xC4000012U
#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMS	(-2)
#define PSCI_DENIED		(-3)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON_PENDING		(-5)
#define PSCI_AFF_ON		0
#define PSCI_AFF_OFF		1
#define PSCI_AFF_ON_PENDING	2

long psci_call(u32 fn, u64 a1, u64 a2, u64 a3);
noreturn void psci_cpu_off(void);
noreturn void psci_system_off(void);

/* CPU_ON context: rt_secondary_entry (start.S) reads it through x0 */
struct rt_cpu_boot {
	u64 stack_top;
	void (*fn)(void *arg);
	void *arg;
};
void rt_secondary_entry(void);
long rt_cpu_on(u64 mpidr, struct rt_cpu_boot *boot);

/* ---- results ---- */
extern u64 rt_dtb;
int check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * A check a spec may excuse where the platform is known to differ: when !ok
 * and known, "TAG: ..." instead of "FAIL: ..." and no failure; the spec
 * rejects ^TAG wherever the difference is not allowed (guests/guests.cfg).
 */
int check_known(int ok, int known, const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void rt_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* word is in the DTB's /chosen/bootargs (vmm run -p, a spec's params) */
int rt_bootarg(const char *word);
/* A big-endian word of the DTB at p; whether the NUL-ended string at p is s */
u32 rt_dtb_be32(unsigned long p);
int rt_dtb_str_eq(unsigned long p, const char *s);
int rt_report(const char *guest);	/* "RESULT: PASS|FAIL" (and how many excused); the status */
noreturn void rt_exit(unsigned int status);
int main(void);

/* ---- freestanding libc bits (GCC may call these) ---- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
