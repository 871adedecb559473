// SPDX-License-Identifier: GPL-2.0
/*
 * Data aborts outside guest memory: KVM_EXIT_MMIO for instructions with a
 * valid syndrome, KVM_EXIT_ARM_NISV (when userspace asked for it) for the
 * rest; completion of an MMIO read on the next KVM_RUN (arch/arm64/kvm/mmio.c).
 */
#include "run.h"

static unsigned int dabt_len(u64 esr)
{
	return 1u << ((esr >> ESR_SAS_SHIFT) & 3);
}

static unsigned int dabt_rt(u64 esr)
{
	return (esr >> ESR_SRT_SHIFT) & 0x1f;
}

static u64 vcpu_get_reg(struct kvm_vcpu *vcpu, unsigned int rt)
{
	return rt == 31 ? 0 : vcpu_state(vcpu)->x[rt];
}

/* Write: @len bytes of Rt; read: into Rt with SSE and SF, as on completion. */
static void mmio_read_to_rt(struct kvm_vcpu *vcpu, u64 data, unsigned int len)
{
	u64 esr = vcpu->fault.esr;
	unsigned int rt = dabt_rt(esr);

	if ((esr & ESR_SSE) && len < 8) {
		unsigned int shift = 64 - 8 * len;

		data = (u64)((int64_t)(data << shift) >> shift);
	}
	if (!(esr & ESR_SF))
		data &= 0xffffffffULL;
	if (rt != 31)
		vcpu_state(vcpu)->x[rt] = data;
}

/* An access the in-kernel MMIO bus handles is completed here; true if so. */
static bool kvm_io_bus_mmio(struct kvm_vcpu *vcpu, u64 ipa, unsigned int len)
{
	u64 esr = vcpu->fault.esr, data;
	u8 buf[8] = { 0 };
	unsigned int i;

	if (esr & ESR_WNR) {
		data = vcpu_get_reg(vcpu, dabt_rt(esr));
		for (i = 0; i < len; i++)
			buf[i] = (u8)(data >> (8 * i));
		if (kvm_io_bus_write(vcpu, ipa, len, buf))
			return false;
	} else {
		if (kvm_io_bus_read(vcpu, ipa, len, buf))
			return false;
		for (data = 0, i = 0; i < len; i++)
			data |= (u64)buf[i] << (8 * i);
		mmio_read_to_rt(vcpu, data, len);
	}
	vcpu_state(vcpu)->pc += 4;
	return true;
}

int io_mem_abort(struct kvm_vcpu *vcpu, u64 fault_ipa)
{
	struct kvm_run *run = vcpu->run;
	u64 esr = vcpu->fault.esr;
	unsigned int len, i;
	u64 data;

	if (!(esr & ESR_ISV)) {
		if (vcpu->kvm->nisv_to_user) {
			run->exit_reason = KVM_EXIT_ARM_NISV;
			run->arm_nisv.esr_iss = esr & (ESR_CM | ESR_WNR |
						       ESR_FSC_MASK);
			run->arm_nisv.fault_ipa = fault_ipa;
			return 0;
		}
		/* KVM: "Data abort outside memslots with no valid syndrome info" */
		return -ENOSYS;
	}

	len = dabt_len(esr);
	/* The in-kernel devices (GIC, ioeventfds) first: no exit for them. */
	if (kvm_io_bus_mmio(vcpu, fault_ipa, len)) {
		vcpu->stats.data[VCPU_STAT_MMIO_EXIT_KERNEL]++;
		return 1;
	}
	vcpu->stats.data[VCPU_STAT_MMIO_EXIT_USER]++;
	run->mmio.is_write = !!(esr & ESR_WNR);
	run->mmio.phys_addr = fault_ipa;
	run->mmio.len = len;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (run->mmio.is_write) {
		data = vcpu_get_reg(vcpu, dabt_rt(esr));
		for (i = 0; i < len; i++)
			run->mmio.data[i] = (u8)(data >> (8 * i));
	}
	run->exit_reason = KVM_EXIT_MMIO;
	vcpu->mmio_needed = true;
	return 0;
}

bool kvm_handle_mmio_return(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	u64 esr = vcpu->fault.esr;
	unsigned int len, i;
	u64 data = 0;

	if (!vcpu->mmio_needed)
		return false;
	vcpu->mmio_needed = false;

	if (!(esr & ESR_WNR)) {
		len = dabt_len(esr);
		for (i = 0; i < len; i++)
			data |= (u64)run->mmio.data[i] << (8 * i);
		mmio_read_to_rt(vcpu, data, len);
	}
	/* The access is emulated: the guest resumes after the instruction. */
	vcpu_state(vcpu)->pc += 4;
	return true;
}
