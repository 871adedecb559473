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

enum cpu_exit_reason env_run(struct env *v)
{
	enum cpu_exit_reason r;

	do {
		atomic_store(&v->cpu.kick, 0);
		r = cpu_run(&v->cpu);
	} while (r == CPU_EXIT_KICK || r == CPU_EXIT_NONE);
	return r;
}
