// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU fd ioctls: creation, KVM_ARM_VCPU_INIT, KVM_ARM_VCPU_FINALIZE,
 * MP_STATE, vcpu events, ONE_REG/REG_LIST dispatch and KVM_RUN.  Semantics
 * and error codes follow arch/arm64/kvm/arm.c.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_host.h"
#include "run.h"
#include "vgic/vgic.h"

/* Feature bits KVM_ARM_VCPU_INIT knows of (KVM_VCPU_VALID_FEATURES). */
#define KVM_VCPU_VALID_FEATURES	(BIT(KVM_ARM_VCPU_HAS_EL2_E2H0 + 1) - 1)

/* ...and those this vkvm implements. */
#define VKVM_SUPPORTED_FEATURES	(BIT(KVM_ARM_VCPU_POWER_OFF) |		\
				 BIT(KVM_ARM_VCPU_PSCI_0_2) |		\
				 BIT(KVM_ARM_VCPU_SVE) |		\
				 BIT(KVM_ARM_VCPU_PTRAUTH_ADDRESS) |	\
				 BIT(KVM_ARM_VCPU_PTRAUTH_GENERIC) |	\
				 BIT(KVM_ARM_VCPU_PMU_V3) |		\
				 BIT(KVM_ARM_VCPU_HAS_EL2) |		\
				 BIT(KVM_ARM_VCPU_HAS_EL2_E2H0))

struct kvm_vcpu *kvm_vcpu_create(struct kvm *kvm, u32 id, int *fdp)
{
	size_t size = kvm_vcpu_mmap_size();
	struct kvm_vcpu *vcpu = NULL;
	char name[32];
	void *run;
	int fd, ret;

	snprintf(name, sizeof(name), "kvm-vcpu:%u", id);
	fd = vkvm_new_fd(name, size, O_CLOEXEC);
	if (fd < 0) {
		*fdp = fd;
		return NULL;
	}
	/* our view must not keep the caller's description (and the vCPU) alive */
	run = vkvm_mmap_unpinned(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (run == MAP_FAILED) {
		ret = -errno;
		goto out_err;
	}
	vcpu = aligned_alloc(64, (sizeof(*vcpu) + 63) & ~(size_t)63);
	if (!vcpu) {
		ret = -ENOMEM;
		goto out_err;
	}
	memset(vcpu, 0, sizeof(*vcpu));
	atomic_init(&vcpu->refcount, 1);
	vcpu->kvm = kvm;
	vcpu->vcpu_id = id;
	vcpu->run = run;
	vcpu->run_size = size;
	vcpu->steal.base = INVALID_GPA;
	vcpu->steal.fd = -1;
	pthread_mutex_init(&vcpu->lock, NULL);
	pthread_mutex_init(&vcpu->mp_lock, NULL);
	atomic_init(&vcpu->mp_state, KVM_MP_STATE_RUNNABLE);
	kvm_stats_init(&vcpu->stats);
	ret = run_wait_init(vcpu);
	if (ret)
		goto out_err;
	ret = cpu_init(&vcpu->cpu, &kvm->cpu_vm, (int)id);
	if (ret) {
		run_wait_destroy(vcpu);
		goto out_err;
	}
	vcpu->cpu.backend = vcpu;
	vcpu->cpu.poll_exit = &vcpu->run->immediate_exit;
	kvm_get(kvm);
	*fdp = fd;
	return vcpu;

out_err:
	if (run != MAP_FAILED)
		munmap(run, size);
	free(vcpu);
	close(fd);
	*fdp = ret;
	return NULL;
}

/* Called when the VM dies (or a creation fails): the vCPU's resources. */
void kvm_vcpu_destroy(struct kvm_vcpu *vcpu)
{
	kvm_timer_vcpu_destroy(vcpu);
	kvm_vgic_vcpu_destroy(vcpu);
	cpu_destroy(&vcpu->cpu);
	run_wait_destroy(vcpu);
	kvm_stats_destroy(&vcpu->stats);
	kvm_dirty_ring_free(vcpu);
	kvm_pvtime_vcpu_destroy(vcpu);
	munmap(vcpu->run, vcpu->run_size);
	pthread_mutex_destroy(&vcpu->lock);
	pthread_mutex_destroy(&vcpu->mp_lock);
	free(vcpu);
}

/* ---- KVM_ARM_VCPU_INIT ---------------------------------------------------- */

static int kvm_vcpu_init_check_features(const struct kvm_vcpu_init *init)
{
	u32 features = init->features[0];
	unsigned int i;

	for (i = 1; i < ARRAY_SIZE(init->features); i++)
		if (init->features[i])
			return -ENOENT;
	if (features & ~(u32)KVM_VCPU_VALID_FEATURES)
		return -ENOENT;
	/* E2H0 qualifies EL2 (kvm_vcpu_init_check_features()) */
	if ((features & BIT(KVM_ARM_VCPU_HAS_EL2_E2H0)) &&
	    !(features & BIT(KVM_ARM_VCPU_HAS_EL2)))
		return -EINVAL;
	/* Known to KVM, but not implemented here (no AArch32...) */
	if (features & ~(u32)VKVM_SUPPORTED_FEATURES)
		return -EINVAL;
	/* Address and generic authentication come together or not at all. */
	if (!(features & BIT(KVM_ARM_VCPU_PTRAUTH_ADDRESS)) !=
	    !(features & BIT(KVM_ARM_VCPU_PTRAUTH_GENERIC)))
		return -EINVAL;
	return 0;
}

static int kvm_arch_vcpu_ioctl_vcpu_init(struct kvm_vcpu *vcpu,
					 struct kvm_vcpu_init *init)
{
	struct kvm *kvm = vcpu->kvm;
	bool power_off = false;
	int ret;

	if (init->target != KVM_ARM_TARGET_GENERIC_V8)
		return -EINVAL;
	/* POWER_OFF only says how this INIT leaves the vCPU. */
	if (init->features[0] & BIT(KVM_ARM_VCPU_POWER_OFF)) {
		init->features[0] &= ~(u32)BIT(KVM_ARM_VCPU_POWER_OFF);
		power_off = true;
	}
	ret = kvm_vcpu_init_check_features(init);
	if (ret)
		return ret;

	pthread_mutex_lock(&kvm->lock);
	/* Every vCPU of a VM has the same features, fixed by the first INIT. */
	if (kvm->features_configured && kvm->features != init->features[0]) {
		pthread_mutex_unlock(&kvm->lock);
		return -EINVAL;
	}
	kvm->features = init->features[0];
	kvm->features_configured = true;
	pthread_mutex_unlock(&kvm->lock);

	if (!vcpu->initialized) {
		vcpu->features = init->features[0];
		if (vcpu_has_sve(vcpu))
			vcpu->sve_max_vq = VKVM_SVE_VQ_MAX;
	}
	kvm_reset_vcpu(vcpu);
	vcpu->initialized = true;
	vcpu->mmio_needed = false;
	atomic_store(&vcpu->mp_state,
		     power_off ? KVM_MP_STATE_STOPPED : KVM_MP_STATE_RUNNABLE);
	run_wake(vcpu);
	return 0;
}

/* ---- vcpu events ------------------------------------------------------------ */

static int kvm_arm_vcpu_get_events(struct kvm_vcpu *vcpu,
				   struct kvm_vcpu_events *events)
{
	memset(events, 0, sizeof(*events));
	/* the emulated CPU has RAS, so an SError always may carry an ESR */
	events->exception.serror_has_esr = 1;
	events->exception.serror_pending = kvm_serror_pending(vcpu);
	if (events->exception.serror_pending)
		events->exception.serror_esr = vcpu->cpu.vserror_esr;
	/* A pending external abort is delivered at once, never read back. */
	return 0;
}

static int kvm_arm_vcpu_set_events(struct kvm_vcpu *vcpu,
				   const struct kvm_vcpu_events *events)
{
	bool serror_pending = events->exception.serror_pending;
	bool has_esr = events->exception.serror_has_esr;
	bool dabt = events->exception.ext_dabt_pending;
	bool iabt = events->exception.ext_iabt_pending;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(events->reserved); i++)
		if (events->reserved[i])
			return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(events->exception.pad); i++)
		if (events->exception.pad[i])
			return -EINVAL;
	if (dabt && iabt)
		return -EINVAL;
	if (serror_pending && has_esr &&
	    (events->exception.serror_esr & ~ESR_ISS_MASK))
		return -EINVAL;

	if (dabt || iabt)
		kvm_inject_sea(vcpu, iabt, vcpu->fault.far);
	if (serror_pending)
		kvm_inject_serror_esr(vcpu, has_esr ? events->exception.serror_esr
						    : ESR_ISV);
	return 0;
}

/* ---- vCPU device attributes (kvm_arm_vcpu_arch_{set,get,has}_attr) ---- */

static int kvm_arm_vcpu_attr(struct kvm_vcpu *vcpu, unsigned int ioctl,
			     struct kvm_device_attr *attr)
{
	switch (attr->group) {
	case KVM_ARM_VCPU_PMU_V3_CTRL:
		if (ioctl == KVM_SET_DEVICE_ATTR)
			return kvm_arm_pmu_v3_set_attr(vcpu, attr);
		if (ioctl == KVM_GET_DEVICE_ATTR)
			return kvm_arm_pmu_v3_get_attr(vcpu, attr);
		return kvm_arm_pmu_v3_has_attr(vcpu, attr);
	case KVM_ARM_VCPU_TIMER_CTRL:
		if (ioctl == KVM_SET_DEVICE_ATTR)
			return kvm_arm_timer_set_attr(vcpu, attr);
		if (ioctl == KVM_GET_DEVICE_ATTR)
			return kvm_arm_timer_get_attr(vcpu, attr);
		return kvm_arm_timer_has_attr(vcpu, attr);
	case KVM_ARM_VCPU_PVTIME_CTRL:
		if (ioctl == KVM_SET_DEVICE_ATTR)
			return kvm_arm_pvtime_set_attr(vcpu, attr);
		if (ioctl == KVM_GET_DEVICE_ATTR)
			return kvm_arm_pvtime_get_attr(vcpu, attr);
		return kvm_arm_pvtime_has_attr(vcpu, attr);
	}
	return -ENXIO;
}

/* ---- KVM_SET_SIGNAL_MASK (kvm_vcpu_ioctl_set_sigmask) ----------------------- */

/* The kernel's sigset_t: one bit per signal, signal n at bit n - 1. */
#define KERNEL_SIGSET_SIZE	8

static int kvm_vcpu_ioctl_set_sigmask(struct kvm_vcpu *vcpu, void *argp)
{
	struct kvm_signal_mask head;
	sigset_t mask;
	u64 bits;
	int ret, sig;

	if (!argp) {
		vcpu->sigset_active = false;
		return 0;
	}
	ret = copy_from_user(&head, argp, sizeof(head));
	if (ret)
		return ret;
	if (head.len != KERNEL_SIGSET_SIZE)
		return -EINVAL;
	/* argp may be misaligned: no member access */
	ret = copy_from_user(&bits, (u8 *)argp + offsetof(struct kvm_signal_mask, sigset),
			     sizeof(bits));
	if (ret)
		return ret;
	sigemptyset(&mask);
	for (sig = 1; sig <= 64; sig++)
		if ((bits >> (sig - 1)) & 1 && sig != SIGKILL && sig != SIGSTOP)
			sigaddset(&mask, sig);
	ret = run_sigmask_set(vcpu, &mask);
	if (ret)
		return ret;
	vcpu->sigset = mask;
	vcpu->sigset_active = true;
	return 0;
}

/* KVM_RUN with the vCPU's signal mask, if one was set (run.c says how). */
static long kvm_vcpu_run_masked(struct kvm_vcpu *vcpu)
{
	if (!vcpu->sigset_active)
		return kvm_arch_vcpu_ioctl_run(vcpu);
	return run_sigmask_run(vcpu);
}

/* ---- ioctl dispatch ------------------------------------------------------------ */

/* KVM_RUN, counted in nr_running while it runs. */
static long kvm_vcpu_ioctl_run(struct kvm_vcpu *vcpu)
{
	long ret;

	/* pairs with kvm_quiescent(): either it sees us, or we see its memmap */
	atomic_fetch_add(&vcpu->kvm->nr_running, 1);
	atomic_thread_fence(memory_order_seq_cst);
	ret = kvm_memslots_sync(vcpu->kvm);
	if (!ret)
		ret = kvm_vcpu_run_masked(vcpu);
	atomic_fetch_sub(&vcpu->kvm->nr_running, 1);
	return ret;
}

/* KVM_SET_ONE_REG and KVM_GET_ONE_REG. */
static long kvm_vcpu_ioctl_one_reg(struct kvm_vcpu *vcpu, unsigned int ioctl,
				   void *argp)
{
	struct kvm_one_reg reg;
	int ret;

	if (!vcpu->initialized)
		return -ENOEXEC;
	ret = copy_from_user(&reg, argp, sizeof(reg));
	if (ret)
		return ret;
	/* a reset owed to PSCI CPU_ON comes before userspace's access */
	kvm_vcpu_apply_pending_reset(vcpu);
	if (ioctl == KVM_SET_ONE_REG)
		return kvm_arm_set_reg(vcpu, &reg);
	return kvm_arm_get_reg(vcpu, &reg);
}

/* KVM_GET_REG_LIST: the count always, the indices if they fit. */
static long kvm_vcpu_ioctl_reg_list(struct kvm_vcpu *vcpu, void *argp)
{
	struct kvm_reg_list list;
	u64 n;
	int ret;

	if (!vcpu->initialized)
		return -ENOEXEC;
	if (!vcpu_is_finalized(vcpu))
		return -EPERM;
	ret = copy_from_user(&list, argp, sizeof(list));
	if (ret)
		return ret;
	n = list.n;
	list.n = kvm_arm_num_regs(vcpu);
	ret = copy_to_user(argp, &list, sizeof(list));
	if (ret)
		return ret;
	if (n < list.n)
		return -E2BIG;
	/* argp may be misaligned (KVM accepts it): no member access */
	return kvm_arm_copy_reg_indices(vcpu, (u8 *)argp +
					offsetof(struct kvm_reg_list, reg));
}

/* KVM_SET_MP_STATE: runnable, stopped or suspended; wakes the vCPU. */
static long kvm_vcpu_ioctl_set_mp_state(struct kvm_vcpu *vcpu, void *argp)
{
	struct kvm_mp_state mp;
	int ret;

	ret = copy_from_user(&mp, argp, sizeof(mp));
	if (ret)
		return ret;
	switch (mp.mp_state) {
	case KVM_MP_STATE_RUNNABLE:
	case KVM_MP_STATE_STOPPED:
	case KVM_MP_STATE_SUSPENDED:
		atomic_store(&vcpu->mp_state, mp.mp_state);
		run_wake(vcpu);
		return 0;
	default:
		return -EINVAL;
	}
}

static long kvm_vcpu_ioctl_locked(struct kvm_vcpu *vcpu, unsigned int ioctl,
				  unsigned long arg)
{
	void *argp = (void *)arg;
	int ret;

	switch (ioctl) {
	case KVM_RUN:
		if (arg)
			return -EINVAL;
		return kvm_vcpu_ioctl_run(vcpu);

	case KVM_ARM_VCPU_INIT: {
		struct kvm_vcpu_init init;

		ret = copy_from_user(&init, argp, sizeof(init));
		if (ret)
			return ret;
		return kvm_arch_vcpu_ioctl_vcpu_init(vcpu, &init);
	}

	case KVM_SET_ONE_REG:
	case KVM_GET_ONE_REG:
		return kvm_vcpu_ioctl_one_reg(vcpu, ioctl, argp);

	case KVM_GET_REG_LIST:
		return kvm_vcpu_ioctl_reg_list(vcpu, argp);

	case KVM_ARM_VCPU_FINALIZE: {
		int what;

		if (!vcpu->initialized)
			return -ENOEXEC;
		ret = copy_from_user(&what, argp, sizeof(what));
		if (ret)
			return ret;
		return kvm_arm_vcpu_finalize(vcpu, what);
	}

	case KVM_GET_VCPU_EVENTS: {
		struct kvm_vcpu_events events;

		kvm_arm_vcpu_get_events(vcpu, &events);
		return copy_to_user(argp, &events, sizeof(events));
	}

	case KVM_SET_VCPU_EVENTS: {
		struct kvm_vcpu_events events;

		ret = copy_from_user(&events, argp, sizeof(events));
		if (ret)
			return ret;
		return kvm_arm_vcpu_set_events(vcpu, &events);
	}

	case KVM_GET_MP_STATE: {
		struct kvm_mp_state mp = { .mp_state = atomic_load(&vcpu->mp_state) };

		return copy_to_user(argp, &mp, sizeof(mp));
	}

	case KVM_SET_MP_STATE:
		return kvm_vcpu_ioctl_set_mp_state(vcpu, argp);

	case KVM_SET_GUEST_DEBUG:
		return kvm_arch_vcpu_ioctl_set_guest_debug(vcpu, argp);

	case KVM_SET_SIGNAL_MASK:
		return kvm_vcpu_ioctl_set_sigmask(vcpu, argp);

	case KVM_GET_STATS_FD: {
		char id[48];

		snprintf(id, sizeof(id), "kvm-%d/vcpu-%u", (int)getpid(), vcpu->vcpu_id);
		return kvm_stats_get_fd(&vcpu->stats, 1, id);
	}

	case KVM_SET_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR: {
		struct kvm_device_attr attr;

		ret = copy_from_user(&attr, argp, sizeof(attr));
		if (ret)
			return ret;
		return kvm_arm_vcpu_attr(vcpu, ioctl, &attr);
	}

	default:
		/* kvm_arch_vcpu_ioctl() on arm64 */
		return -EINVAL;
	}
}

long kvm_vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned int ioctl,
		    unsigned long arg)
{
	long ret;

	/* Like kvm_vcpu_ioctl(), one ioctl at a time per vCPU. */
	pthread_mutex_lock(&vcpu->lock);
	ret = kvm_vcpu_ioctl_locked(vcpu, ioctl, arg);
	pthread_mutex_unlock(&vcpu->lock);
	return ret;
}
