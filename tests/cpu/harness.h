/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in backend for the engine's tests: one VM with one RAM region
 * surrounded by PROT_NONE guard pages, a vCPU at EL1, a tiny system-register
 * table, stage-1 page tables in guest RAM, and TAP output helpers.
 */
#ifndef TESTS_CPU_HARNESS_H
#define TESTS_CPU_HARNESS_H

#include <stdatomic.h>
#include <stdio.h>

#include "../../kernel/cpu/cpu.h"

#define RAM_GPA		0x40000000ULL
#define MMIO_GPA	0x09000000ULL	/* nothing there: stage-2 aborts */

struct env {
	struct cpu_vm vm;
	struct cpu_memmap *map;
	uint8_t *ram;
	size_t ram_size;
	struct cpu cpu;
};

int env_init(struct env *v, size_t ram_size);
void env_destroy(struct env *v);
/* Reset the vCPU: EL1h, DAIF masked, MMU off, PC at gpa. */
void env_reset(struct env *v, uint64_t pc);
void env_load(struct env *v, uint64_t gpa, const void *p, size_t len);
void *env_ptr(struct env *v, uint64_t gpa);
/* cpu_hook_yield() calls so far (fake_sysregs.c) */
extern unsigned int fake_yield_hooks;
/* Run until an exit other than a kick; returns the exit reason. */
enum cpu_exit_reason env_run(struct env *v);

/*
 * Stage-1 tables for TTBR0_EL1 built in guest RAM (48-bit VA, 4K/16K/64K
 * granule), tables allocated from base upwards.
 */
struct pt {
	struct env *v;
	unsigned int g;		/* granule shift */
	uint64_t next;		/* next free table IPA */
	uint64_t root;
};

#define D_AF		(1ULL << 10)
#define D_AP_EL0	(1ULL << 6)
#define D_AP_RO		(1ULL << 7)
#define D_ATTR(n)	((uint64_t)(n) << 2)	/* MAIR index, see pt_enable() */
#define D_SH_IS		(3ULL << 8)

void pt_init(struct pt *m, struct env *v, unsigned int g, uint64_t base);
unsigned int pt_start_level(unsigned int g);
uint64_t *pt_entry(struct pt *m, uint64_t table, unsigned int level, uint64_t va);
/* Map va -> pa with a leaf at level; returns the leaf descriptor's IPA */
uint64_t pt_map(struct pt *m, uint64_t va, uint64_t pa, unsigned int level, uint64_t attrs);
/* MMU on with these tables: MAIR attr0 Normal WB, attr1 Device-nGnRnE;
 * TTBR1 walks disabled (EPD1); the TLB flushed */
void pt_enable(struct pt *m);

/* TAP */
void tap_ok(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tap_done(void);

#endif
