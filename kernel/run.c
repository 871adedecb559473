// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_RUN: run the vCPU on the calling thread until something needs
 * userspace.  A vCPU that waits (WFI, powered off) sleeps in ppoll() on an
 * eventfd, so an idle guest costs no host CPU, and a signal delivered to the
 * thread while it sleeps ends KVM_RUN with EINTR as in KVM.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "cpu/id_regs.h"
#include "vgic/vgic.h"

static int wake_fd_of(struct kvm_vcpu *vcpu)
{
	return vcpu->wake_fd;
}

int run_wait_init(struct kvm_vcpu *vcpu)
{
	vcpu->sig_fd = -1;
	vcpu->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return vcpu->wake_fd < 0 ? -errno : 0;
}

void run_wait_destroy(struct kvm_vcpu *vcpu)
{
	if (vcpu->wake_fd >= 0)
		close(vcpu->wake_fd);
	vcpu->wake_fd = -1;
	if (vcpu->sig_fd >= 0)
		close(vcpu->sig_fd);
	vcpu->sig_fd = -1;
}

void run_wake(struct kvm_vcpu *vcpu)
{
	uint64_t one = 1;

	atomic_store(&vcpu->cpu.kick, 1);
	if (write(wake_fd_of(vcpu), &one, sizeof(one)) < 0) {
		/* EAGAIN: the counter is saturated, a wake-up is pending anyway */
	}
}

static void drain_wake(struct kvm_vcpu *vcpu)
{
	uint64_t v;

	if (read(wake_fd_of(vcpu), &v, sizeof(v)) < 0) {
		/* EAGAIN: nothing was pending */
	}
}

/*
 * Sleep until woken, or until @deadline_ns (CLOCK_MONOTONIC; 0: none).
 * Returns -EINTR if a signal arrived, 0 otherwise; the caller re-checks
 * its condition.
 */
/*
 * A wait blocks the asynchronous signals from its first check of its
 * condition to its end, and ppoll() unblocks them (@mask: the thread's own
 * mask) only while it sleeps: a signal that arrives between two sleeps
 * stays pending and ends the next one at once, so it always ends KVM_RUN
 * with EINTR (with the handler it had).  Faults stay unblocked.
 */
static void run_block_async(sigset_t *mask)
{
	sigset_t block;

	sigfillset(&block);
	sigdelset(&block, SIGSEGV);
	sigdelset(&block, SIGBUS);
	sigdelset(&block, SIGILL);
	sigdelset(&block, SIGFPE);
	sigdelset(&block, SIGTRAP);
	pthread_sigmask(SIG_BLOCK, &block, mask);
}

static void run_wait_begin(sigset_t *mask)
{
	run_block_async(mask);
}

static void run_wait_end(const sigset_t *mask)
{
	pthread_sigmask(SIG_SETMASK, mask, NULL);
}

static int run_sleep(struct kvm_vcpu *vcpu, u64 deadline_ns, const sigset_t *mask)
{
	/* with a KVM signal mask, its signals wake the sleep undelivered */
	struct pollfd pfd[2] = {
		{ .fd = wake_fd_of(vcpu), .events = POLLIN },
		{ .fd = vcpu->sigset_active ? vcpu->sig_fd : -1, .events = POLLIN },
	};
	struct timespec now, ts, *tsp = NULL;
	u64 now_ns;

	if (deadline_ns) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		now_ns = (u64)now.tv_sec * 1000000000ULL + (u64)now.tv_nsec;
		now_ns = deadline_ns > now_ns ? deadline_ns - now_ns : 0;
		ts.tv_sec = (time_t)(now_ns / 1000000000ULL);
		ts.tv_nsec = (long)(now_ns % 1000000000ULL);
		tsp = &ts;
	}
	if (ppoll(pfd, 2, tsp, mask) < 0 && errno == EINTR)
		return -EINTR;
	if (pfd[1].revents & POLLIN)
		return -EINTR;
	drain_wake(vcpu);
	return 0;
}

/*
 * KVM_SET_SIGNAL_MASK.  KVM runs the guest with the vCPU's mask in place of
 * the thread's and ends KVM_RUN with EINTR when a signal that mask lets
 * through is pending; the signal is delivered (or stays pending) when
 * KVM_RUN returns, under the thread's own mask.  vkvm runs the guest on
 * the caller's thread, so a signal let through would be delivered in the
 * middle of the engine, its default action (no handler) ending the
 * process.  So while KVM_RUN runs with a KVM mask the thread blocks every
 * asynchronous signal, and vkvm looks at the pending ones: at entry, every
 * RUN_SIG_POLL_EVERY engine checks (cpu.sig_poll_left), and through
 * sig_fd, a signalfd of the signals the KVM mask lets through, while it
 * sleeps.  Faults stay unblocked.
 */
#define RUN_SIG_POLL_EVERY	1024

/* The signals @kvm_mask does not block, for the signalfd; 0 or -errno. */
int run_sigmask_set(struct kvm_vcpu *vcpu, const sigset_t *kvm_mask)
{
	sigset_t through;
	int sig, fd;

	sigemptyset(&through);
	for (sig = 1; sig <= 64; sig++)
		if (!sigismember(kvm_mask, sig) && sig != SIGKILL && sig != SIGSTOP)
			sigaddset(&through, sig);
	fd = signalfd(vcpu->sig_fd, &through, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	vcpu->sig_fd = fd;
	vcpu->sig_through = through;
	return 0;
}

/* Is a signal pending that the vCPU's KVM mask lets through? */
bool run_signal_pending(struct kvm_vcpu *vcpu)
{
	sigset_t pending;
	const unsigned long *p = (const unsigned long *)&pending;
	const unsigned long *t = (const unsigned long *)&vcpu->sig_through;
	unsigned int i;

	vcpu->cpu.sig_poll_left = RUN_SIG_POLL_EVERY;
	if (sigpending(&pending))
		return false;
	/* the kernel's 64 signals, bit n - 1 for signal n (glibc's layout) */
	for (i = 0; i < 64 / (8 * sizeof(long)); i++)
		if (p[i] & t[i])
			return true;
	return false;
}

/* KVM_RUN under the vCPU's KVM signal mask (see above). */
int run_sigmask_run(struct kvm_vcpu *vcpu)
{
	sigset_t old;
	int ret;

	run_block_async(&old);
	ret = kvm_arch_vcpu_ioctl_run(vcpu);
	vcpu->cpu.sig_poll_left = 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static u64 run_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static bool vcpu_has_pending_irq(struct kvm_vcpu *vcpu)
{
	return atomic_load(&vcpu->cpu.irq_lines) != 0;
}

/* WFI: wait for an interrupt, a timer deadline, a kick or a signal. */
int kvm_vcpu_block(struct kvm_vcpu *vcpu)
{
	u64 *stat = vcpu->stats.data;
	bool kicked = false;
	u64 start = 0;
	sigset_t mask;
	int ret = 0;

	run_wait_begin(&mask);
	stat[VCPU_STAT_BLOCKING] = 1;
	for (;;) {
		/* a timer that fired raises its PPI (or, with no GIC, ends WFI) */
		kvm_timer_sync(vcpu);
		if (vcpu_has_pending_irq(vcpu) || kvm_timer_should_wake(vcpu))
			break;
		if (atomic_load(&vcpu->mp_state) == KVM_MP_STATE_STOPPED)
			break;
		if (!start)
			start = run_now_ns();
		if (vcpu->run->immediate_exit ||
		    run_sleep(vcpu, kvm_timer_next_deadline_ns(vcpu), &mask)) {
			ret = -EINTR;
			break;
		}
		if (atomic_exchange(&vcpu->cpu.kick, 0)) {
			/* the timer kicker's kick is the vCPU's own deadline */
			kvm_timer_sync(vcpu);
			kicked = !vcpu->timer.vlevel && !vcpu->timer.plevel &&
				 !vcpu->timer.hplevel && !vcpu->timer.hvlevel;
			break;
		}
	}
	stat[VCPU_STAT_BLOCKING] = 0;
	if (start) {
		stat[VCPU_STAT_HALT_WAIT_NS] += run_now_ns() - start;
		if (!ret)
			stat[VCPU_STAT_HALT_WAKEUP]++;
		/* woken by another thread (an IPI, PSCI...), not its own timer */
		if (kicked)
			stat[VCPU_STAT_HALT_WAKEUP_KICK]++;
	}
	run_wait_end(&mask);
	return ret;
}

/*
 * WFE.  The wake-up events the backend sees (an interrupt, a timer, a kick,
 * a signal, an SEV through cpu_hook_sev()) end the wait at once.  Two are
 * not signalled: the clearing of the exclusive monitor by another vCPU's
 * (or the VMM's) store, which is how Linux's spinlocks and
 * smp_cond_load_*() wait, and the generic timer's event stream.  The wait
 * looks at those on wake-ups WFE_POLL_MIN_NS after it starts, then at
 * doubling intervals up to WFE_POLL_MAX_NS, so that a short wait ends
 * soon after its event and a long one costs ~250 wake-ups a second; an
 * event-stream edge is a deadline of its own.  (WFE may end without an
 * event: the architecture allows it, not the reverse.)
 */
#define WFE_POLL_MIN_NS	20000ULL
#define WFE_POLL_MAX_NS	4000000ULL


int kvm_vcpu_wfe(struct kvm_vcpu *vcpu)
{
	u64 poll = WFE_POLL_MIN_NS, evtstrm = kvm_timer_evtstrm_next_ns(vcpu);
	u64 now, deadline, d;
	int slack, ret = 0;
	sigset_t mask;

	/* the thread's timer slack (50 us by default) would round the
	 * short polls up */
	slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
	if (slack > 1000)
		prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	atomic_store(&vcpu->in_wfe, true);
	run_wait_begin(&mask);
	for (;;) {
		kvm_timer_sync(vcpu);
		if (vcpu_has_pending_irq(vcpu) || kvm_timer_should_wake(vcpu) ||
		    cpu_wfe_event(&vcpu->cpu))
			break;
		if (atomic_load(&vcpu->mp_state) == KVM_MP_STATE_STOPPED)
			break;
		if (vcpu->run->immediate_exit) {
			ret = -EINTR;
			break;
		}
		now = run_now_ns();
		if (evtstrm && now >= evtstrm)
			break;
		deadline = now + poll;
		d = kvm_timer_next_deadline_ns(vcpu);
		if (d && d < deadline)
			deadline = d;
		if (evtstrm && evtstrm < deadline)
			deadline = evtstrm;
		if (run_sleep(vcpu, deadline, &mask)) {
			ret = -EINTR;
			break;
		}
		if (atomic_exchange(&vcpu->cpu.kick, 0))
			break;
		poll = poll * 2 < WFE_POLL_MAX_NS ? poll * 2 : WFE_POLL_MAX_NS;
	}
	run_wait_end(&mask);
	atomic_store(&vcpu->in_wfe, false);
	if (slack > 1000)
		prctl(PR_SET_TIMERSLACK, (unsigned long)slack, 0, 0, 0);
	return ret;
}

/*
 * A vCPU spins on YIELD (Linux's and kvm-unit-tests' cpu_relax()), waiting
 * for another PE; cpu_hook_yield() runs every CPU_YIELD_SPIN-th YIELD.
 * With other vCPUs in the VM, a spin that has lasted YIELD_SPIN_NS naps
 * YIELD_NAP_NS on the vCPU's wake-up eventfd: its host CPU goes to the
 * vCPU it waits for, and an interrupt for it (run_wake()) ends the nap at
 * once.  A short spin stays a spin (an IPI round trip on an idle host
 * takes a few microseconds).  sched_yield() was no good on a busy host:
 * EEVDF charges a yielding thread a whole slice of virtual time, and the
 * two spinning vCPUs of an IPI round trip then waited milliseconds for
 * their turns (kvm-unit-tests' micro-bench ipi: 79 us to 3.8 ms at load
 * 10-15 on 2 cores); a sleeper keeps its place.  A nap an interrupt ended
 * starts a new spin; the timer slack is 1 us while in KVM_RUN (50 us by
 * default, which stretched each nap threefold).
 */
#define YIELD_SPIN_NS	50000ULL
#define YIELD_NAP_NS	20000L
#define YIELD_GAP_NS	1000000ULL	/* hooks further apart: a new spin */

/* the thread's timer slack before its first nap in this KVM_RUN, or -1 */
static __thread int yield_saved_slack = -1;

void cpu_hook_yield(struct cpu *cpu)
{
	static __thread u64 spin_start, last;
	struct kvm_vcpu *self = cpu->backend;
	struct pollfd pfd = { .fd = wake_fd_of(self), .events = POLLIN };
	struct timespec nap = { .tv_sec = 0, .tv_nsec = YIELD_NAP_NS };
	u64 now;

	if (__atomic_load_n(&self->kvm->created_vcpus, __ATOMIC_RELAXED) <= 1 ||
	    atomic_load_explicit(&cpu->kick, memory_order_relaxed))
		return;
	now = run_now_ns();
	if (now - last > YIELD_GAP_NS || !spin_start)
		spin_start = now;
	last = now;
	if (now - spin_start < YIELD_SPIN_NS)
		return;
	if (yield_saved_slack < 0) {
		yield_saved_slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
		if (yield_saved_slack > 1000)
			prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	}
	/* a signal ends the nap (EINTR) and is handled as while running */
	if (ppoll(&pfd, 1, &nap, NULL) > 0) {
		drain_wake(self);	/* the kick flag says the rest */
		spin_start = 0;		/* woken: what follows is a new wait */
	}
	last = run_now_ns();
}

/* SEV on @cpu's vCPU: wake the others that wait in WFE (they see sev_gen). */
void cpu_hook_sev(struct cpu *cpu)
{
	struct kvm_vcpu *self = cpu->backend, *v;
	struct kvm *kvm = self->kvm;
	uint64_t one = 1;
	unsigned int i;

	for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
		v = kvm->vcpus[i];
		if (!v || v == self || !atomic_load(&v->in_wfe))
			continue;
		if (write(wake_fd_of(v), &one, sizeof(one)) < 0) {
			/* EAGAIN: a wake-up is pending anyway */
		}
	}
}

/* Powered off: sleep until PSCI CPU_ON or KVM_SET_MP_STATE. */
static int vcpu_wait_powered_on(struct kvm_vcpu *vcpu)
{
	sigset_t mask;
	int ret = 0;

	if (atomic_load(&vcpu->mp_state) != KVM_MP_STATE_STOPPED)
		return 0;
	run_wait_begin(&mask);
	while (atomic_load(&vcpu->mp_state) == KVM_MP_STATE_STOPPED) {
		if (vcpu->run->immediate_exit || run_sleep(vcpu, 0, &mask)) {
			ret = -EINTR;
			break;
		}
	}
	run_wait_end(&mask);
	return ret;
}

/*
 * kvm_vgic_map_resources() and kvm_timer_enable(): until the GIC's frames
 * are mapped every KVM_RUN fails with their error.
 */
static int kvm_vcpu_irqchip_ready(struct kvm_vcpu *vcpu)
{
	int ret;

	if (!irqchip_in_kernel(vcpu->kvm))
		return 0;
	if (!vcpu->kvm->vgic.ready) {
		ret = kvm_vgic_map_resources(vcpu->kvm);
		if (ret)
			return ret;
	}
	return kvm_timer_enable(vcpu);
}

int kvm_arch_vcpu_ioctl_run(struct kvm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	bool emulated = false;
	int ret;

	if (!vcpu->initialized)
		return -ENOEXEC;
	if (!vcpu->has_run_once) {
		if (!vcpu_is_finalized(vcpu))
			return -EPERM;
		ret = kvm_arm_pmu_v3_enable(vcpu);
		if (ret)
			return ret;
		vcpu->has_run_once = true;
		vcpu->kvm->has_run_once = true;
		kvm_finalize_id_regs(vcpu->kvm);
	}
	ret = kvm_vcpu_irqchip_ready(vcpu);
	if (ret)
		return ret;

	if (run->exit_reason == KVM_EXIT_MMIO)
		emulated = kvm_handle_mmio_return(vcpu);

	if (run->immediate_exit)
		return -EINTR;

	run->exit_reason = KVM_EXIT_UNKNOWN;
	/* userspace may have write-protected guest RAM since the last run */
	cpu_forget_host_writes(&vcpu->cpu);
	kvm_running_vcpu = vcpu;
	kvm_update_stolen_time(vcpu);		/* KVM: at vcpu_load */
	for (bool entry = true;; entry = false) {
		/* KVM: a signal pending at entry, before the guest runs */
		if (entry && vcpu->sigset_active && run_signal_pending(vcpu)) {
			ret = -EINTR;
			break;
		}
		/* KVM_REQ_DIRTY_RING_SOFT_FULL: userspace harvests first */
		if (kvm_dirty_ring_soft_full(vcpu)) {
			run->exit_reason = KVM_EXIT_DIRTY_RING_FULL;
			ret = 0;
			break;
		}
		/*
		 * Single-step: an instruction the backend or userspace
		 * completed (MMIO, HVC, WFx, an injected abort) was the step.
		 * KVM leaves PSTATE.SS clear after it (active-pending), so the
		 * next entry takes the step exception before any instruction.
		 */
		if (emulated && vcpu->cpu.single_step) {
			ret = kvm_exit_step_done(vcpu);
			break;
		}
		ret = vcpu_wait_powered_on(vcpu);
		if (ret)
			break;
		kvm_vcpu_apply_pending_reset(vcpu);
		kvm_steal_time_tick(vcpu);
		atomic_store(&vcpu->cpu.kick, 0);
		kvm_timer_sync(vcpu);
		cpu_run(&vcpu->cpu);
		ret = handle_exit(vcpu);
		if (ret <= 0)
			break;
		emulated = vcpu->cpu.exit.reason != CPU_EXIT_NONE &&
			   vcpu->cpu.exit.reason != CPU_EXIT_KICK;
	}
	kvm_running_vcpu = NULL;
	if (yield_saved_slack >= 0) {
		if (yield_saved_slack > 1000)
			prctl(PR_SET_TIMERSLACK, (unsigned long)yield_saved_slack, 0, 0, 0);
		yield_saved_slack = -1;
	}
	if (ret == -EINTR) {
		run->exit_reason = KVM_EXIT_INTR;
		vcpu->stats.data[VCPU_STAT_SIGNAL_EXITS]++;
	}
	return ret;
}

int kvm_arch_vcpu_ioctl_set_guest_debug(struct kvm_vcpu *vcpu, void *argp)
{
	struct kvm_guest_debug dbg;
	int ret;

	if (!vcpu->initialized)
		return -ENOEXEC;
	ret = copy_from_user(&dbg, argp, sizeof(dbg));
	if (ret)
		return ret;
	if (dbg.control & ~(u32)KVM_GUESTDBG_VALID_MASK)
		return -EINVAL;
	if (!(dbg.control & KVM_GUESTDBG_ENABLE))
		dbg.control = 0;	/* as KVM: everything off */
	vcpu->cpu.single_step = dbg.control & KVM_GUESTDBG_SINGLESTEP;
	vcpu->cpu.host_debug.sw_bp = dbg.control & KVM_GUESTDBG_USE_SW_BP;
	vcpu->cpu.host_debug.hw = dbg.control & KVM_GUESTDBG_USE_HW;
	if (vcpu->cpu.host_debug.hw) {
		/* KVM_CAP_GUEST_DEBUG_HW_BPS/WPS of them; the rest ignored */
		memset(vcpu->cpu.host_debug.bcr, 0, sizeof(vcpu->cpu.host_debug.bcr));
		memset(vcpu->cpu.host_debug.wcr, 0, sizeof(vcpu->cpu.host_debug.wcr));
		memcpy(vcpu->cpu.host_debug.bcr, dbg.arch.dbg_bcr, CPU_DBG_BRPS * sizeof(u64));
		memcpy(vcpu->cpu.host_debug.bvr, dbg.arch.dbg_bvr, sizeof(dbg.arch.dbg_bvr));
		memcpy(vcpu->cpu.host_debug.wcr, dbg.arch.dbg_wcr, CPU_DBG_WRPS * sizeof(u64));
		memcpy(vcpu->cpu.host_debug.wvr, dbg.arch.dbg_wvr, sizeof(dbg.arch.dbg_wvr));
	}
	return 0;
}
