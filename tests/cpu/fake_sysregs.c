// SPDX-License-Identifier: GPL-2.0
/*
 * The backend's system-register hooks, reduced to what the engine tests
 * need: a few registers backed by cpu_state slots, PSTATE-like operands,
 * and the TLB flush on translation-control writes (as kernel/sys_regs.c).
 */
#include <stddef.h>

#include "../../kernel/cpu/cpu.h"

struct sys_reg_desc {
	uint32_t enc;
	int slot;		/* enum cpu_sysreg, or one of the specials */
	int el0;		/* readable/writable at EL0 */
	int flush;
};

enum { SP_NZCV = -1, SP_DAIF = -2, SP_CURRENTEL = -3, SP_SP_EL0 = -4,
       SP_ELR = -5, SP_SPSR = -6, SP_SPSEL = -7, SP_PAN = -8 };

static const struct sys_reg_desc regs[] = {
	{ SYS_SCTLR_EL1, SR_SCTLR_EL1, 0, 1 },
	{ SYS_CPACR_EL1, SR_CPACR_EL1, 0, 0 },
	{ SYS_TTBR0_EL1, SR_TTBR0_EL1, 0, 1 },
	{ SYS_TTBR1_EL1, SR_TTBR1_EL1, 0, 1 },
	{ SYS_TCR_EL1, SR_TCR_EL1, 0, 1 },
	{ SYS_ESR_EL1, SR_ESR_EL1, 0, 0 },
	{ SYS_FAR_EL1, SR_FAR_EL1, 0, 0 },
	{ SYS_PAR_EL1, SR_PAR_EL1, 0, 0 },
	{ SYS_MAIR_EL1, SR_MAIR_EL1, 0, 1 },
	{ SYS_VBAR_EL1, SR_VBAR_EL1, 0, 0 },
	{ SYS_TPIDR_EL0, SR_TPIDR_EL0, 1, 0 },
	{ SYS_TPIDR_EL1, SR_TPIDR_EL1, 0, 0 },
	{ SYS_NZCV, SP_NZCV, 1, 0 },
	{ SYS_DAIF, SP_DAIF, 0, 0 },
	{ SYS_CurrentEL, SP_CURRENTEL, 0, 0 },
	{ SYS_SP_EL0, SP_SP_EL0, 0, 0 },
	{ SYS_ELR_EL1, SP_ELR, 0, 0 },
	{ SYS_SPSR_EL1, SP_SPSR, 0, 0 },
	{ SYS_SPSel, SP_SPSEL, 0, 0 },
	{ SYS_PAN, SP_PAN, 0, 0 },
	{ SYS_DCZID_EL0, SR_DCZID_EL0, 1, 0 },
	{ SYS_DISR_EL1, SR_DISR_EL1, 0, 0 },
};

const struct sys_reg_desc *sys_reg_lookup(uint32_t enc)
{
	size_t i;

	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (regs[i].enc == enc)
			return &regs[i];
	return NULL;
}

static uint64_t *special(struct cpu_state *s, int slot)
{
	switch (slot) {
	case SP_SP_EL0: return &s->sp_el0;
	case SP_ELR: return &s->elr_el1;
	case SP_SPSR: return &s->spsr[CPU_SPSR_EL1];
	default: return NULL;
	}
}

static const uint64_t special_mask[] = {
	[-SP_NZCV] = PSR_NZCV_MASK, [-SP_DAIF] = PSR_DAIF_MASK,
	[-SP_CURRENTEL] = 0xc, [-SP_SPSEL] = 1, [-SP_PAN] = PSR_PAN_BIT,
};

int sys_reg_read(struct cpu *cpu, const struct sys_reg_desc *d, uint64_t *val)
{
	struct cpu_state *s = &cpu->state;
	uint64_t *p;

	if (cpu_current_el(s) == 0 && !d->el0)
		return -1;
	if (d->slot >= 0) {
		*val = s->sysreg[d->slot];
		return 0;
	}
	p = special(s, d->slot);
	*val = p ? *p : s->pstate & special_mask[-d->slot];
	return 0;
}

int sys_reg_write(struct cpu *cpu, const struct sys_reg_desc *d, uint64_t val)
{
	struct cpu_state *s = &cpu->state;
	uint64_t *p;

	if (cpu_current_el(s) == 0 && !d->el0)
		return -1;
	if (d->slot == SP_CURRENTEL)
		return -1;
	if (d->slot >= 0) {
		s->sysreg[d->slot] = val;
		if (d->flush)
			cpu_flush_tlb(cpu);
		return 0;
	}
	p = special(s, d->slot);
	if (p)
		*p = val;
	else
		s->pstate = (s->pstate & ~special_mask[-d->slot]) |
			    (val & special_mask[-d->slot]);
	return 0;
}

/* One vCPU: nobody else waits in WFE. */
void cpu_hook_sev(struct cpu *cpu)
{
}

/* No dirty ring: always room, nothing to log */
bool cpu_hook_dirty_ring_room(struct cpu *cpu)
{
	return true;
}

void cpu_hook_page_dirtied(struct cpu *cpu, const struct cpu_mem_region *reg, uint64_t gpa)
{
}

/* One vCPU: nobody to give the host CPU to; counted for test_engine. */
unsigned int fake_yield_hooks;

void cpu_hook_yield(struct cpu *cpu)
{
	fake_yield_hooks++;
}

/* The PMU's overflow interrupt request, as last reported. */
bool fake_pmu_irq;

void cpu_hook_pmu_irq(struct cpu *cpu, bool level)
{
	fake_pmu_irq = level;
}
