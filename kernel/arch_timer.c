// SPDX-License-Identifier: GPL-2.0
/*
 * The generic timers (arch/arm64/kvm/arch_timer.c): EL1's virtual and
 * physical timers and, on a vCPU with EL2, the EL2 physical timer and
 * (FEAT_VHE) the EL2 virtual timer.
 *
 * CNTV_*, CNTP_*, CNTHP_* and CNTHV_* live in the system-register table
 * (sys_regs.c); here their outputs become level PPIs in the in-kernel GIC
 * (27, 30, 26 and 28 unless KVM_ARM_VCPU_TIMER_CTRL says otherwise): high
 * while ENABLE && !IMASK && counter >= CVAL.  The vCPU thread re-evaluates
 * them whenever the guest writes a timer register, reads a count past its
 * armed deadline, and each time the engine returns; a per-VM kicker
 * thread makes a running vCPU return at its next deadline, and a vCPU in
 * WFI sleeps exactly until then.
 */
#include <stdlib.h>
#include <time.h>

#include "kvm_host.h"
#include "run.h"
#include "vgic/vgic.h"

#define CNT_CTL_ENABLE	BIT(0)
#define CNT_CTL_IMASK	BIT(1)

static u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

/* The system counter: CLOCK_MONOTONIC at CPU_CNTFRQ_HZ (62.5 MHz, 16 ns). */
u64 kvm_phys_counter(void)
{
	return mono_ns() >> 4;
}

/*
 * ktime_get_snapshot() for KVM_PTP: CLOCK_REALTIME between two reads of
 * the counter's clock, the closest of three tries, the counter at their
 * midpoint.
 */
u64 kvm_counter_snapshot(u64 *real_ns)
{
	u64 best_gap = UINT64_MAX, cnt = 0;
	int i;

	for (i = 0; i < 3; i++) {
		struct timespec rt;
		u64 a, b;

		a = mono_ns();
		clock_gettime(CLOCK_REALTIME, &rt);
		b = mono_ns();
		if (b - a < best_gap) {
			best_gap = b - a;
			cnt = (a + (b - a) / 2) >> 4;
			*real_ns = (u64)rt.tv_sec * 1000000000ULL + (u64)rt.tv_nsec;
		}
	}
	return cnt;
}

u64 kvm_timer_voffset(struct kvm *kvm)
{
	return __atomic_load_n(&kvm->timer.voffset, __ATOMIC_RELAXED);
}

u64 kvm_timer_poffset(struct kvm *kvm)
{
	return __atomic_load_n(&kvm->timer.poffset, __ATOMIC_RELAXED);
}

/*
 * The virtual count's offset from the host counter, the one the EL1
 * virtual timer compares with.  Without EL2, the VM's voffset.  With EL2
 * the virtual count is the physical count less CNTVOFF_EL2 (Arm ARM D12.1:
 * CNTVCT_EL0 = CNTPCT_EL0 - CNTVOFF_EL2), as KVM bases a nested vCPU's
 * virtual timer on the VM's physical offset plus CNTVOFF_EL2.  (A direct
 * CNTVCT_EL0 read in the EL2&0 regime has no offset: sys_regs.c.)
 */
u64 kvm_timer_vcnt_offset(struct kvm_vcpu *vcpu)
{
	if (vcpu_has_el2(vcpu))
		return kvm_timer_poffset(vcpu->kvm) +
		       vcpu_state(vcpu)->sysreg[SR_CNTVOFF_EL2];
	return kvm_timer_voffset(vcpu->kvm);
}

static void timer_set_offsets(struct kvm *kvm, u64 voff, u64 poff)
{
	__atomic_store_n(&kvm->timer.voffset, voff, __ATOMIC_RELAXED);
	__atomic_store_n(&kvm->timer.poffset, poff, __ATOMIC_RELAXED);
}

/*
 * Ignored once KVM_ARM_SET_COUNTER_OFFSET fixed the VM's offset (api.rst).
 * Called with the vCPU's lock held, which that ioctl cannot take: the
 * flag does not change under us.
 */
void kvm_timer_set_cnt(struct kvm *kvm, bool ptimer, u64 cnt)
{
	if (!kvm->counter_offset_set)
		__atomic_store_n(ptimer ? &kvm->timer.poffset : &kvm->timer.voffset,
				 kvm_phys_counter() - cnt, __ATOMIC_RELAXED);
}

/* Caller holds kvm->lock (vCPU creation). */
void kvm_timer_vcpu_init(struct kvm_vcpu *vcpu)
{
	if (!vcpu->kvm->counter_offset_set)
		timer_set_offsets(vcpu->kvm, kvm_phys_counter(), 0);
}

void kvm_timer_vm_init(struct kvm *kvm)
{
	struct arch_timer_vm *t = &kvm->timer;
	pthread_condattr_t attr;

	t->vtimer_irq = KVM_VTIMER_IRQ_DEFAULT;
	t->ptimer_irq = KVM_PTIMER_IRQ_DEFAULT;
	t->hvtimer_irq = KVM_HVTIMER_IRQ_DEFAULT;
	t->hptimer_irq = KVM_HPTIMER_IRQ_DEFAULT;
	pthread_mutex_init(&t->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&t->cond, &attr);
	pthread_condattr_destroy(&attr);
}

void kvm_timer_vm_destroy(struct kvm *kvm)
{
	struct arch_timer_vm *t = &kvm->timer;

	pthread_mutex_lock(&t->lock);
	t->stop = true;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
	if (t->started)
		pthread_join(t->thread, NULL);
	free(t->vcpus);
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->lock);
}

void kvm_timer_vcpu_destroy(struct kvm_vcpu *vcpu)
{
	struct arch_timer_vm *t = &vcpu->kvm->timer;

	pthread_mutex_lock(&t->lock);
	if (t->vcpus && t->vcpus[vcpu->vcpu_idx] == vcpu)
		t->vcpus[vcpu->vcpu_idx] = NULL;
	pthread_mutex_unlock(&t->lock);
}

/* The kicker: wakes each vCPU whose deadline has come. */
static void *timer_kicker(void *arg)
{
	struct kvm *kvm = arg;
	struct arch_timer_vm *t = &kvm->timer;
	struct timespec ts;
	unsigned int i;
	u64 now, next;

	pthread_mutex_lock(&t->lock);
	while (!t->stop) {
		now = mono_ns();
		next = UINT64_MAX;
		for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
			struct kvm_vcpu *v = t->vcpus[i];

			if (!v || !v->timer.kick_ns)
				continue;
			if (v->timer.kick_ns <= now) {
				v->timer.kick_ns = 0;
				run_wake(v);
			} else if (v->timer.kick_ns < next) {
				next = v->timer.kick_ns;
			}
		}
		t->wait_ns = next;
		if (next == UINT64_MAX) {
			pthread_cond_wait(&t->cond, &t->lock);
		} else {
			ts.tv_sec = (time_t)(next / 1000000000ULL);
			ts.tv_nsec = (long)(next % 1000000000ULL);
			pthread_cond_timedwait(&t->cond, &t->lock, &ts);
		}
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

/*
 * Give the kicker @vcpu's deadline (0: none).  It is woken only for a
 * deadline earlier than the one it sleeps until: a later one or none it
 * finds when it wakes at that (a guest's tick disarms and rearms its
 * timer: one wake-up of the kicker, not two, and no signal for the
 * disarm).  The signal follows the unlock, so that the kicker does not
 * wake into a lock still held (a futex wait and wake more each time).
 */
static void timer_arm(struct kvm_vcpu *vcpu, u64 ns)
{
	struct arch_timer_vm *t = &vcpu->kvm->timer;
	bool wake = false;

	vcpu->timer.armed_ns = ns;
	pthread_mutex_lock(&t->lock);
	if (!t->vcpus)
		t->vcpus = calloc(KVM_MAX_VCPUS_NR, sizeof(*t->vcpus));
	if (t->vcpus) {
		t->vcpus[vcpu->vcpu_idx] = vcpu;
		vcpu->timer.kick_ns = ns;
		if (ns && !t->started && !t->stop)
			t->started = !pthread_create(&t->thread, NULL, timer_kicker,
						     vcpu->kvm);
		wake = ns && ns < t->wait_ns;
	}
	pthread_mutex_unlock(&t->lock);
	if (wake)
		pthread_cond_signal(&t->cond);
}

static bool timer_can_fire(u64 ctl)
{
	return (ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) == CNT_CTL_ENABLE;
}

/*
 * Host nanoseconds at which counter - @off reaches @cval, the counter being
 * @now_cnt and counter - @off below @cval (UINT64_MAX: beyond the host
 * clock's range).  The offset is any 64-bit value: userspace setting the
 * guest's count ahead of the host's (KVM_REG_ARM_TIMER_CNT) makes it
 * "negative", so the distance is computed in the guest's count, modulo 2^64.
 */
static u64 deadline_ns(u64 cval, u64 off, u64 now_cnt)
{
	u64 delta = cval - (now_cnt - off);

	if (delta >= (1ULL << 60) - now_cnt)
		return UINT64_MAX;
	return (now_cnt + delta) << 4;
}

/* Fold a timer's deadline, if it can fire and has not, into *next. */
static void timer_deadline(u64 ctl, u64 cval, u64 off, u64 now_cnt, u64 *next)
{
	u64 d;

	if (!timer_can_fire(ctl) || now_cnt - off >= cval)
		return;
	d = deadline_ns(cval, off, now_cnt);
	if (d < *next)
		*next = d;
}

/* The earliest deadline of a timer that can fire and has not: 0 if none. */
static u64 next_deadline(struct kvm_vcpu *vcpu, u64 now_cnt)
{
	const u64 *r = vcpu_state(vcpu)->sysreg;
	u64 next = UINT64_MAX, poff = kvm_timer_poffset(vcpu->kvm);

	timer_deadline(r[SR_CNTV_CTL_EL0], r[SR_CNTV_CVAL_EL0],
		       kvm_timer_vcnt_offset(vcpu), now_cnt, &next);
	timer_deadline(r[SR_CNTP_CTL_EL0], r[SR_CNTP_CVAL_EL0], poff, now_cnt, &next);
	/* CNTHP_* and CNTHV_* are 0 (disabled) without EL2; both count the
	 * physical count, with no offset (EL2's) */
	timer_deadline(r[SR_CNTHP_CTL_EL2], r[SR_CNTHP_CVAL_EL2], poff, now_cnt, &next);
	timer_deadline(r[SR_CNTHV_CTL_EL2], r[SR_CNTHV_CVAL_EL2], poff, now_cnt, &next);
	return next == UINT64_MAX ? 0 : next;
}

u64 kvm_timer_next_deadline_ns(struct kvm_vcpu *vcpu)
{
	return next_deadline(vcpu, kvm_phys_counter());
}

/*
 * The next edge of an event stream (D12.1.3): an event each time bit EVNTI
 * of @count changes in the direction EVNTDIR gives, i.e. every
 * 2^(EVNTI+1) ticks; with FEAT_ECV's EVNTIS, bit EVNTI + 8.  The next
 * change of the bit in either direction is returned, in host ns: at most
 * one spurious wake-up per edge, never a late one.  0 while disabled.
 */
static u64 evtstrm_next(u64 ctl, bool ecv, u64 now_cnt, u64 count)
{
	unsigned int n = CNTKCTL_EVNTI(ctl);

	if (!(ctl & CNTKCTL_EVNTEN))
		return 0;
	if (ecv && (ctl & CNTKCTL_EVNTIS))
		n += 8;
	return (now_cnt + (((count >> n) + 1) << n) - count) << 4;
}

/*
 * The earlier of the two event streams: CNTKCTL_EL1's on the virtual count
 * (none in the EL2&0 regime, E2H and TGE) and, with EL2, CNTHCTL_EL2's on
 * the physical count (EVNTEN, EVNTDIR, EVNTI and EVNTIS sit at the same
 * bits in both registers).
 */
u64 kvm_timer_evtstrm_next_ns(struct kvm_vcpu *vcpu)
{
	const struct cpu_state *s = vcpu_state(vcpu);
	const u64 *r = s->sysreg;
	u64 cnt = kvm_phys_counter(), next = 0, el2;
	bool ecv = cpu_ecv(s);

	if (!cpu_e2h_tge(s))
		next = evtstrm_next(r[SR_CNTKCTL_EL1], ecv, cnt,
				    cnt - kvm_timer_vcnt_offset(vcpu));
	if (vcpu_has_el2(vcpu)) {
		el2 = evtstrm_next(r[SR_CNTHCTL_EL2], ecv, cnt,
				   cnt - kvm_timer_poffset(vcpu->kvm));
		if (el2 && (!next || el2 < next))
			next = el2;
	}
	return next;
}

static void timer_set_level(struct kvm_vcpu *vcpu, bool *cur, bool level, u32 ppi)
{
	if (*cur == level)
		return;
	*cur = level;
	if (irqchip_in_kernel(vcpu->kvm))
		kvm_vgic_inject_irq(vcpu->kvm, vcpu, ppi, level);
}

static bool timer_fires(u64 ctl, u64 cval, u64 cnt)
{
	return timer_can_fire(ctl) && cnt >= cval;
}

void kvm_timer_sync(struct kvm_vcpu *vcpu)
{
	const u64 *r = vcpu_state(vcpu)->sysreg;
	struct arch_timer_cpu *tc = &vcpu->timer;
	struct arch_timer_vm *t = &vcpu->kvm->timer;
	u64 now, pcnt, next;

	/* nothing enabled, nothing raised, nothing armed: no clock read */
	if (!((r[SR_CNTV_CTL_EL0] | r[SR_CNTP_CTL_EL0] | r[SR_CNTHP_CTL_EL2] |
	       r[SR_CNTHV_CTL_EL2]) & CNT_CTL_ENABLE) &&
	    !tc->vlevel && !tc->plevel && !tc->hplevel && !tc->hvlevel && !tc->armed_ns)
		return;
	now = kvm_phys_counter();
	pcnt = now - kvm_timer_poffset(vcpu->kvm);
	timer_set_level(vcpu, &tc->vlevel,
			timer_fires(r[SR_CNTV_CTL_EL0], r[SR_CNTV_CVAL_EL0],
				    now - kvm_timer_vcnt_offset(vcpu)), t->vtimer_irq);
	timer_set_level(vcpu, &tc->plevel,
			timer_fires(r[SR_CNTP_CTL_EL0], r[SR_CNTP_CVAL_EL0], pcnt),
			t->ptimer_irq);
	timer_set_level(vcpu, &tc->hplevel,
			timer_fires(r[SR_CNTHP_CTL_EL2], r[SR_CNTHP_CVAL_EL2], pcnt),
			t->hptimer_irq);
	timer_set_level(vcpu, &tc->hvlevel,
			timer_fires(r[SR_CNTHV_CTL_EL2], r[SR_CNTHV_CVAL_EL2], pcnt),
			t->hvtimer_irq);
	next = next_deadline(vcpu, now);
	if (next != tc->armed_ns)
		timer_arm(vcpu, next);
}

/*
 * The comparators are continuous (D12.2.4): a guest that reads a count at
 * or past an armed deadline must find the timer's interrupt pending, not
 * wait for the kicker, which a loaded host may schedule late.
 */
void kvm_timer_counter_seen(struct kvm_vcpu *vcpu, u64 now_cnt)
{
	u64 armed = vcpu->timer.armed_ns;

	if (armed && armed <= now_cnt << 4)
		kvm_timer_sync(vcpu);
}

/* Without an in-kernel GIC a fired timer still ends WFI (kvm_cpu_has_pending_timer). */
bool kvm_timer_should_wake(struct kvm_vcpu *vcpu)
{
	return !irqchip_in_kernel(vcpu->kvm) &&
	       (vcpu->timer.vlevel || vcpu->timer.plevel || vcpu->timer.hplevel ||
		vcpu->timer.hvlevel);
}

/*
 * kvm_timer_enable(), at a vCPU's first KVM_RUN: the PPIs the vCPU uses
 * must differ (timer_irqs_are_valid(): the EL2 timers' too on a vCPU
 * with EL2).
 */
int kvm_timer_enable(struct kvm_vcpu *vcpu)
{
	struct kvm *kvm = vcpu->kvm;
	u32 irq[4];
	unsigned int i, j, n = vcpu_has_el2(vcpu) ? 4 : 2;

	if (!irqchip_in_kernel(kvm))
		return 0;
	if (!vgic_initialized(kvm))
		return -ENODEV;
	irq[0] = kvm->timer.vtimer_irq;
	irq[1] = kvm->timer.ptimer_irq;
	irq[2] = kvm->timer.hvtimer_irq;
	irq[3] = kvm->timer.hptimer_irq;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (irq[i] == irq[j])
				return -EINVAL;
	kvm->timer.ppis_immutable = true;
	return 0;
}

/* ---- KVM_ARM_VCPU_TIMER_CTRL on the vCPU fd ------------------------------------- */

static bool irq_is_ppi(int irq)
{
	return irq >= VGIC_NR_SGIS && irq < VGIC_NR_PRIVATE_IRQS;
}

/*
 * The VM's PPI of timer attribute @attr, or NULL (ENXIO).  The EL2 timers'
 * (HVTIMER, HPTIMER) too: Linux >= 6.10 offers them to every vCPU.
 */
static u32 *timer_attr_irq(struct kvm *kvm, u64 attr)
{
	switch (attr) {
	case KVM_ARM_VCPU_TIMER_IRQ_VTIMER:
		return &kvm->timer.vtimer_irq;
	case KVM_ARM_VCPU_TIMER_IRQ_PTIMER:
		return &kvm->timer.ptimer_irq;
	case KVM_ARM_VCPU_TIMER_IRQ_HVTIMER:
		return &kvm->timer.hvtimer_irq;
	case KVM_ARM_VCPU_TIMER_IRQ_HPTIMER:
		return &kvm->timer.hptimer_irq;
	}
	return NULL;
}

int kvm_arm_timer_set_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr)
{
	struct kvm *kvm = vcpu->kvm;
	u32 *ppi;
	int irq, ret;

	if (!irqchip_in_kernel(kvm))
		return -EINVAL;
	ret = copy_from_user(&irq, (void *)(uintptr_t)attr->addr, sizeof(irq));
	if (ret)
		return ret;
	if (!irq_is_ppi(irq))
		return -EINVAL;
	pthread_mutex_lock(&kvm->lock);
	ppi = timer_attr_irq(kvm, attr->attr);
	/* the PPIs are the VM's, fixed once a vCPU has run with them */
	if (kvm->timer.ppis_immutable)
		ret = -EBUSY;
	else if (!ppi)
		ret = -ENXIO;
	else
		*ppi = (u32)irq;
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

int kvm_arm_timer_get_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr)
{
	u32 *ppi = timer_attr_irq(vcpu->kvm, attr->attr);
	int irq;

	if (!ppi)
		return -ENXIO;
	irq = (int)*ppi;
	return copy_to_user((void *)(uintptr_t)attr->addr, &irq, sizeof(irq));
}

int kvm_arm_timer_has_attr(struct kvm_vcpu *vcpu, struct kvm_device_attr *attr)
{
	return timer_attr_irq(vcpu->kvm, attr->attr) ? 0 : -ENXIO;
}

/*
 * KVM_ARM_SET_COUNTER_OFFSET: one offset for both counters of every vCPU,
 * present and future; from then on KVM_REG_ARM_TIMER_CNT and PTIMER_CNT
 * writes are ignored.  Like lock_all_vcpus(), a vCPU inside an ioctl (in
 * KVM_RUN, typically) makes it EBUSY.
 */
int kvm_vm_ioctl_set_counter_offset(struct kvm *kvm,
				    const struct kvm_arm_counter_offset *offset)
{
	unsigned int i, j;
	int ret = 0;

	if (offset->reserved)
		return -EINVAL;
	pthread_mutex_lock(&kvm->lock);
	for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
		if (kvm->vcpus[i] && pthread_mutex_trylock(&kvm->vcpus[i]->lock)) {
			ret = -EBUSY;
			break;
		}
	}
	if (!ret) {
		kvm->counter_offset_set = true;
		kvm->counter_offset = offset->counter_offset;
		timer_set_offsets(kvm, offset->counter_offset, offset->counter_offset);
	}
	for (j = 0; j < i; j++)
		if (kvm->vcpus[j])
			pthread_mutex_unlock(&kvm->vcpus[j]->lock);
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}
