// SPDX-License-Identifier: GPL-2.0
/*
 * Stolen time for the guest, as arch/arm64/kvm/pvtime.c and
 * Documentation/virt/kvm/arm/pvtime.rst describe it: userspace places a
 * 64-byte structure per vCPU in guest memory (KVM_ARM_VCPU_PVTIME_CTRL),
 * the guest finds it with SMCCC PV_TIME_ST (Arm DEN0057A), and the
 * backend adds to its stolen_time, at every vCPU load, the time the vCPU
 * thread spent runnable but waiting for a host CPU.
 *
 * That time is KVM's own source, the scheduler's run_delay of the thread,
 * which Linux exports as the second field of /proc/thread-self/schedstat
 * (CONFIG_SCHED_INFO).  Without that file there is no PV time, as in KVM
 * without sched_info_on(): KVM_CAP_STEAL_TIME 0 and the attribute ENXIO.
 * (The thread's CPU time against the wall clock would count the vCPU's
 * own sleeps in WFI as stolen.)
 */
#include <endian.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "arm_smccc.h"
#include "kvm_host.h"

#define SCHEDSTAT	"/proc/thread-self/schedstat"

/* struct pvclock_vcpu_stolen_time: all fields little-endian */
#define ST_REVISION		0
#define ST_ATTRIBUTES		4
#define ST_STOLEN_TIME		8
#define ST_SIZE			64

/* run_delay in a schedstat file's text ("<run> <run_delay> <slices>"), ns */
static bool parse_run_delay(int fd, u64 *ns)
{
	char buf[96], *p = buf;
	u64 delay = 0;
	ssize_t n;
	int field;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* the second decimal field; by hand, not sscanf() (issue 18) */
	for (field = 0; field < 2; field++) {
		while (*p == ' ')
			p++;
		if (*p < '0' || *p > '9')
			return false;
		for (delay = 0; *p >= '0' && *p <= '9'; p++)
			delay = delay * 10 + (u64)(*p - '0');
	}
	*ns = delay;
	return true;
}

/* run_delay of the calling thread, ns; false if the host does not say */
static bool thread_run_delay(u64 *ns)
{
	int fd = open(SCHEDSTAT, O_RDONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = parse_run_delay(fd, ns);
	close(fd);
	return ok;
}

bool kvm_arm_pvtime_supported(void)
{
	static _Atomic int supported = -1;
	int s = atomic_load(&supported);
	u64 ns;

	if (s < 0) {
		s = thread_run_delay(&ns);
		atomic_store(&supported, s);
	}
	return s;
}

/*
 * run_delay of the calling vCPU thread.  The vCPU keeps the file open for
 * the thread that opened it (/proc/thread-self names the opener): three
 * syscalls an update become one pread().  Another thread calling KVM_RUN
 * opens its own; a descriptor outliving its thread reads ESRCH, and is
 * opened again.  Closed with the vCPU (kvm_pvtime_vcpu_destroy).
 */
static u64 current_run_delay(struct kvm_vcpu *vcpu)
{
	pthread_t self = pthread_self();
	u64 ns = 0;

	if (vcpu->steal.fd >= 0 && pthread_equal(vcpu->steal.fd_thread, self) &&
	    parse_run_delay(vcpu->steal.fd, &ns))
		return ns;
	if (vcpu->steal.fd >= 0)
		close(vcpu->steal.fd);
	vcpu->steal.fd = open(SCHEDSTAT, O_RDONLY | O_CLOEXEC);
	vcpu->steal.fd_thread = self;
	if (vcpu->steal.fd >= 0)
		parse_run_delay(vcpu->steal.fd, &ns);
	return ns;
}

void kvm_pvtime_vcpu_destroy(struct kvm_vcpu *vcpu)
{
	if (vcpu->steal.fd >= 0)
		close(vcpu->steal.fd);
	vcpu->steal.fd = -1;
}

/*
 * What KVM's kvm_put_guest() of an unchanged stolen_time leaves behind:
 * its page marked dirty in a logging slot (bitmap or ring), where a store
 * there would succeed.
 */
static void mark_steal_dirty(struct kvm *kvm, u64 gpa)
{
	struct kvm_memslot *s;

	pthread_mutex_lock(&kvm->lock);
	s = kvm_gpa_to_memslot(kvm, gpa);
	if (s && s->dirty && gpa - s->base_gpa < s->size && !s->gmem_gone &&
	    !(s->flags & KVM_MEM_READONLY))
		kvm_memslot_mark_dirty(s, gpa, sizeof(u64));
	pthread_mutex_unlock(&kvm->lock);
}

static u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

/*
 * KVM_REQ_RECORD_STEAL, on the vCPU thread.  KVM raises it whenever the
 * host schedules the vCPU thread in; the in-process backend cannot see
 * that, so it updates at KVM_RUN and between guest entries, and reads
 * run_delay at most every STEAL_TICK_NS (the guest reads stolen time at
 * its scheduler ticks).  A KVM_RUN sooner than that after the last read
 * (most are: a console's LSR poll exits every few microseconds) only
 * marks the page dirty, as KVM's store of it would: what run_delay grew
 * by meanwhile goes in at the next read, so the sum stays exact and at
 * most a tick late.  A KVM_RUN from a thread other than the one read
 * last reads at once.
 */
#define STEAL_TICK_NS	4000000ULL

static void record_steal(struct kvm_vcpu *vcpu, u64 t)
{
	u64 base = vcpu->steal.base, last = vcpu->steal.last_steal, now, le;

	vcpu->steal.last_update = t;
	now = current_run_delay(vcpu);
	/*
	 * Nothing stolen since the last update (the thread went back to the
	 * guest without waiting for a CPU): KVM would write the value it
	 * read back.  Only the dirty log can tell, so skip the two copies
	 * through the kernel and mark the page.
	 */
	if (now == last) {
		mark_steal_dirty(vcpu->kvm, base + ST_STOLEN_TIME);
		return;
	}
	if (kvm_read_guest(vcpu->kvm, base + ST_STOLEN_TIME, &le, sizeof(le)))
		return;
	vcpu->steal.last_steal = now;
	le = htole64(le64toh(le) + (now - last));
	kvm_write_guest(vcpu->kvm, base + ST_STOLEN_TIME, &le, sizeof(le));
}

static bool steal_read_due(struct kvm_vcpu *vcpu, u64 t)
{
	return t - vcpu->steal.last_update >= STEAL_TICK_NS || vcpu->steal.fd < 0 ||
	       !pthread_equal(vcpu->steal.fd_thread, pthread_self());
}

void kvm_update_stolen_time(struct kvm_vcpu *vcpu)
{
	u64 t;

	if (vcpu->steal.base == INVALID_GPA)
		return;
	t = mono_ns();
	if (steal_read_due(vcpu, t))
		record_steal(vcpu, t);
	else
		mark_steal_dirty(vcpu->kvm, vcpu->steal.base + ST_STOLEN_TIME);
}

void kvm_steal_time_tick(struct kvm_vcpu *vcpu)
{
	u64 t;

	if (vcpu->steal.base == INVALID_GPA)
		return;
	t = mono_ns();
	if (t - vcpu->steal.last_update >= STEAL_TICK_NS)
		record_steal(vcpu, t);
}

/* PV_TIME_FEATURES: what PV_TIME_ST answers */
long kvm_hypercall_pv_features(struct kvm_vcpu *vcpu)
{
	u32 feature = (u32)vcpu_state(vcpu)->x[1];

	switch (feature) {
	case ARM_SMCCC_HV_PV_TIME_FEATURES:
	case ARM_SMCCC_HV_PV_TIME_ST:
		if (vcpu->steal.base != INVALID_GPA)
			return SMCCC_RET_SUCCESS;
		break;
	}
	return SMCCC_RET_NOT_SUPPORTED;
}

/* PV_TIME_ST: a zeroed structure, counting from now; its IPA */
u64 kvm_init_stolen_time(struct kvm_vcpu *vcpu)
{
	static const u8 zero[ST_SIZE];
	u64 base = vcpu->steal.base;

	if (base == INVALID_GPA)
		return base;
	vcpu->steal.last_steal = current_run_delay(vcpu);
	vcpu->steal.last_update = mono_ns();
	kvm_write_guest(vcpu->kvm, base, zero, sizeof(zero));
	return base;
}

int kvm_arm_pvtime_set_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr)
{
	u64 ipa;
	int ret;

	if (!kvm_arm_pvtime_supported() || attr->attr != KVM_ARM_VCPU_PVTIME_IPA)
		return -ENXIO;
	ret = copy_from_user(&ipa, (void *)(uintptr_t)attr->addr, sizeof(ipa));
	if (ret)
		return ret;
	if (ipa & (ST_SIZE - 1))
		return -EINVAL;
	if (vcpu->steal.base != INVALID_GPA)
		return -EEXIST;
	/* KVM checks the page the structure starts in */
	if (!kvm_gpa_in_memslot(vcpu->kvm, ipa))
		return -EINVAL;
	vcpu->steal.base = ipa;
	return 0;
}

int kvm_arm_pvtime_get_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr)
{
	u64 ipa = vcpu->steal.base;

	if (!kvm_arm_pvtime_supported() || attr->attr != KVM_ARM_VCPU_PVTIME_IPA)
		return -ENXIO;
	return copy_to_user((void *)(uintptr_t)attr->addr, &ipa, sizeof(ipa));
}

int kvm_arm_pvtime_has_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr)
{
	(void)vcpu;
	if (attr->attr == KVM_ARM_VCPU_PVTIME_IPA && kvm_arm_pvtime_supported())
		return 0;
	return -ENXIO;
}
