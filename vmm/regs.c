// SPDX-License-Identifier: GPL-2.0
/* vCPU registers through KVM_GET/SET_ONE_REG. */
#include <stdio.h>

#include "regs.h"
#include "vmm.h"

int vcpu_get_reg(struct vcpu *vcpu, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	*val = 0;
	return vcpu->vm->hv->ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg);
}

int vcpu_set_reg(struct vcpu *vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&val };

	return vcpu->vm->hv->ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg);
}

static const struct { const char *name; uint64_t id; } sysregs[] = {
	{ "SCTLR_EL1", REG_SCTLR_EL1 },
	{ "VBAR_EL1", REG_VBAR_EL1 },
	{ "ESR_EL1", REG_ESR_EL1 },
	{ "FAR_EL1", REG_FAR_EL1 },
	{ "TCR_EL1", REG_TCR_EL1 },
	{ "TTBR0_EL1", REG_TTBR0_EL1 },
	{ "TTBR1_EL1", REG_TTBR1_EL1 },
	{ "MPIDR_EL1", REG_MPIDR_EL1 },
};

/* "EL1h", "EL0t" ... from PSTATE.M */
static const char *mode_name(uint64_t pstate)
{
	static const char *const names[16] = {
		[0x0] = "EL0t", [0x4] = "EL1t", [0x5] = "EL1h",
		[0x8] = "EL2t", [0x9] = "EL2h",
	};
	const char *n = (pstate & 0x10) ? NULL : names[pstate & 0xf];

	return n ? n : "AArch32/?";
}

void vcpu_dump_regs(struct vcpu *vcpu, FILE *out)
{
	uint64_t v[31], sp, pc, pstate, sp_el1, elr, spsr, r;
	char line[4096];
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < 31; i++)
		if (vcpu_get_reg(vcpu, REG_X(i), &v[i]) < 0)
			goto fail;
	if (vcpu_get_reg(vcpu, REG_SP, &sp) < 0 || vcpu_get_reg(vcpu, REG_PC, &pc) < 0 ||
	    vcpu_get_reg(vcpu, REG_PSTATE, &pstate) < 0 ||
	    vcpu_get_reg(vcpu, REG_SP_EL1, &sp_el1) < 0 ||
	    vcpu_get_reg(vcpu, REG_ELR_EL1, &elr) < 0 ||
	    vcpu_get_reg(vcpu, REG_SPSR_EL1, &spsr) < 0)
		goto fail;

#define OUT(...) off += (size_t)snprintf(line + off, off < sizeof(line) ? sizeof(line) - off : 0, __VA_ARGS__)
	OUT("vCPU %u registers:\n", vcpu->id);
	OUT("  PC  %016llx  PSTATE %08llx (%s%s%s%s%s, DAIF %c%c%c%c)\n",
	    (unsigned long long)pc, (unsigned long long)pstate, mode_name(pstate),
	    (pstate >> 31) & 1 ? " N" : "", (pstate >> 30) & 1 ? " Z" : "",
	    (pstate >> 29) & 1 ? " C" : "", (pstate >> 28) & 1 ? " V" : "",
	    (pstate >> 9) & 1 ? 'D' : '-', (pstate >> 8) & 1 ? 'A' : '-',
	    (pstate >> 7) & 1 ? 'I' : '-', (pstate >> 6) & 1 ? 'F' : '-');
	for (i = 0; i < 31; i++)
		OUT("  %sx%-2u %016llx%s", i < 10 ? " " : "", i,
		    (unsigned long long)v[i], i % 4 == 3 || i == 30 ? "\n" : "");
	OUT("  SP_EL0    %016llx  SP_EL1    %016llx\n", (unsigned long long)sp,
	    (unsigned long long)sp_el1);
	OUT("  ELR_EL1   %016llx  SPSR_EL1  %016llx\n", (unsigned long long)elr,
	    (unsigned long long)spsr);
	for (i = 0; i < sizeof(sysregs) / sizeof(sysregs[0]); i++) {
		if (vcpu_get_reg(vcpu, sysregs[i].id, &r) < 0)
			OUT("  %-9s (unreadable)     %s", sysregs[i].name, i % 2 ? "\n" : "");
		else
			OUT("  %-9s %016llx  %s", sysregs[i].name, (unsigned long long)r,
			    i % 2 ? "\n" : "");
	}
#undef OUT
	if (off >= sizeof(line))
		off = sizeof(line) - 1;
	fwrite(line, 1, off, out);
	fflush(out);
	return;
fail:
	fprintf(out, "vCPU %u: registers cannot be read\n", vcpu->id);
	fflush(out);
}
