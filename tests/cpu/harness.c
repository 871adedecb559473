// SPDX-License-Identifier: GPL-2.0
/* The engine tests' stand-in backend; see harness.h. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness.h"

static int tap_n, tap_failed;

void tap_ok(int ok, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!ok)
		tap_failed++;
	printf("%sok %d - ", ok ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

int env_init(struct env *v, size_t ram_size)
{
	size_t guard = 65536;
	uint8_t *m;

	memset(v, 0, sizeof(*v));
	m = mmap(NULL, ram_size + 2 * guard, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		return -1;
	v->ram = m + guard;
	v->ram_size = ram_size;
	if (mprotect(v->ram, ram_size, PROT_READ | PROT_WRITE))
		return -1;
	v->map = calloc(1, sizeof(*v->map) + 2 * sizeof(v->map->r[0]));
	v->map->nr = 1;
	v->map->r[0].gpa = RAM_GPA;
	v->map->r[0].size = ram_size;
	v->map->r[0].hva = v->ram;
	atomic_store(&v->vm.memmap, v->map);
	atomic_store(&v->vm.memmap_gen, 1);
	v->vm.ipa_bits = 40;
	return cpu_init(&v->cpu, &v->vm, 0);
}

void env_destroy(struct env *v)
{
	cpu_destroy(&v->cpu);
	munmap(v->ram - 65536, v->ram_size + 2 * 65536);
	free(v->map);
}

void env_reset(struct env *v, uint64_t pc)
{
	struct cpu_state *s = &v->cpu.state;

	memset(s, 0, sizeof(*s));
	s->pstate = PSR_MODE_EL1h | PSR_DAIF_MASK;
	s->pc = pc;
	s->sysreg[SR_SCTLR_EL1] = 0x30d00800;	/* RES1 bits, MMU off */
	s->sysreg[SR_CPACR_EL1] = 3 << 20;
	v->cpu.single_step = false;
	atomic_store(&v->cpu.irq_lines, 0);
	cpu_flush_caches(&v->cpu);
}

void *env_ptr(struct env *v, uint64_t gpa)
{
	return v->ram + (gpa - RAM_GPA);
}

void env_load(struct env *v, uint64_t gpa, const void *p, size_t len)
{
	memcpy(env_ptr(v, gpa), p, len);
}

unsigned int pt_start_level(unsigned int g)
{
	return 3 - (48 - g - 1) / (g - 3);
}

static uint64_t pt_alloc(struct pt *m)
{
	uint64_t a = m->next;

	m->next += 1ULL << m->g;
	memset(env_ptr(m->v, a), 0, 1ULL << m->g);
	return a;
}

void pt_init(struct pt *m, struct env *v, unsigned int g, uint64_t base)
{
	m->v = v;
	m->g = g;
	m->next = base;
	m->root = pt_alloc(m);
}

uint64_t *pt_entry(struct pt *m, uint64_t table, unsigned int level, uint64_t va)
{
	unsigned int stride = m->g - 3, shift = m->g + stride * (3 - level);
	unsigned int bits = level == pt_start_level(m->g) ? 48 - shift : stride;
	uint64_t idx = (va >> shift) & ((1ULL << bits) - 1);

	return (uint64_t *)env_ptr(m->v, table + 8 * idx);
}

uint64_t pt_map(struct pt *m, uint64_t va, uint64_t pa, unsigned int level, uint64_t attrs)
{
	uint64_t table = m->root;
	unsigned int l;

	for (l = pt_start_level(m->g); l < level; l++) {
		uint64_t *e = pt_entry(m, table, l, va);

		if (!(*e & 1))
			*e = pt_alloc(m) | 3;
		table = *e & 0x0000fffffffff000ULL & ~((1ULL << m->g) - 1);
	}
	*pt_entry(m, table, level, va) = pa | attrs | (level == 3 ? 3 : 1);
	return table + ((uint8_t *)pt_entry(m, table, level, va) - (uint8_t *)env_ptr(m->v, table));
}

void pt_enable(struct pt *m)
{
	static const unsigned int tg0[] = { [12] = 0, [14] = 2, [16] = 1 };
	struct cpu_state *s = &m->v->cpu.state;

	s->sysreg[SR_MAIR_EL1] = 0x00ff;
	s->sysreg[SR_TCR_EL1] = 16 | ((uint64_t)tg0[m->g] << 14) | (5ULL << 32) |
				(16ULL << 16) | (2ULL << 30) | (1ULL << 23);
	s->sysreg[SR_TTBR0_EL1] = m->root;
	s->sysreg[SR_SCTLR_EL1] |= 1;
	cpu_flush_tlb(&m->v->cpu);
}

enum cpu_exit_reason env_run(struct env *v)
{
	enum cpu_exit_reason r;

	do {
		atomic_store(&v->cpu.kick, 0);
		r = cpu_run(&v->cpu);
	} while (r == CPU_EXIT_KICK || r == CPU_EXIT_NONE);
	return r;
}
