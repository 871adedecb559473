/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic timers (arch_timer.c), as include/kvm/arm_arch_timer.h keeps
 * them: per-VM PPI numbers and a host thread that kicks a running vCPU at
 * its next deadline; per-vCPU output levels.  EL1's virtual and physical
 * timers, and on a vCPU with EL2 the EL2 physical timer (CNTHP_*).
 */
#ifndef VKVM_ARCH_TIMER_H
#define VKVM_ARCH_TIMER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define KVM_VTIMER_IRQ_DEFAULT	27
#define KVM_PTIMER_IRQ_DEFAULT	30
/* KVM's defaults for the EL2 timers (arch_timer.c, default_hptimer_irq...) */
#define KVM_HVTIMER_IRQ_DEFAULT	28
#define KVM_HPTIMER_IRQ_DEFAULT	26

struct kvm_vcpu;

struct arch_timer_vm {
	uint32_t vtimer_irq, ptimer_irq;
	uint32_t hvtimer_irq, hptimer_irq;	/* used by vCPUs with EL2 */
	bool ppis_immutable;	/* a vCPU ran with them */
	/*
	 * The counters' offsets, the VM's as KVM (>= 6.4) keeps them in its
	 * timer_data: the guest counts host - offset.  Any thread may move
	 * them (ONE_REG on one vCPU moves every vCPU's count): atomic.
	 */
	uint64_t voffset, poffset;
	/* vCPUs with a deadline, by vcpu_idx; under lock */
	struct kvm_vcpu **vcpus;
	/* the kicker: sleeps until the earliest vCPU deadline */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	/* under lock: the deadline it sleeps until (UINT64_MAX: none) */
	uint64_t wait_ns;
	pthread_t thread;
	bool started, stop;
};

struct arch_timer_cpu {
	bool vlevel, plevel;	/* what the timers drive into the GIC */
	bool hplevel, hvlevel;	/* CNTHP (EL2), CNTHV (EL2, FEAT_VHE) */
	uint64_t armed_ns;	/* deadline given to the kicker (0: none) */
	uint64_t kick_ns;	/* under arch_timer_vm.lock: the kicker's copy */
};

#endif
