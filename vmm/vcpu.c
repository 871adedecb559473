// SPDX-License-Identifier: GPL-2.0
/*
 * One thread per vCPU: KVM_RUN, then handle the exit.  Run control (stop,
 * pause for the monitor, single step) is a few flags under vm->lock; a vCPU
 * is made to leave KVM_RUN by setting kvm_run.immediate_exit and sending it
 * SIG_KICK, the pattern Documentation/virt/kvm/api.rst recommends.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "diag.h"
#include "gdbstub.h"
#include "mmio.h"
#include "monitor.h"
#include "regs.h"
#include "vcpu.h"
#include "vmm.h"

#define SIG_KICK	SIGUSR1

static void kick_handler(int sig)
{
	(void)sig;
}

void vcpu_signals_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler;	/* no SA_RESTART: KVM_RUN returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIG_KICK, &sa, NULL);
}

void block_process_signals(sigset_t *old, int extra)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	if (extra)
		sigaddset(&block, extra);
	pthread_sigmask(SIG_BLOCK, &block, old);
}

void vcpu_kick(struct vcpu *vcpu)
{
	if (vcpu->run)
		__atomic_store_n(&vcpu->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	if (vcpu->started)
		pthread_kill(vcpu->thread, SIG_KICK);
}

static void kick_all(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++)
		vcpu_kick(&vm->vcpus[i]);
}

static _Thread_local bool on_vcpu_thread;

void vm_stop(struct vm *vm, int status)
{
	/*
	 * What waits for one write() goes out first, before the stop is
	 * seen: on a vCPU thread (a power-off, the test device, an error)
	 * waiting for the reader as the vCPU's own writes would, and no
	 * other thread ends that wait unless the run ends otherwise;
	 * elsewhere only if a reader takes it soon.
	 */
	if (on_vcpu_thread)
		console_flush();
	else
		console_flush_try();
	pthread_mutex_lock(&vm->lock);
	if (!vm->stopping) {
		vm->exit_status = status;
		vm->stopping = true;
	}
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
	/* a vCPU waiting for a reader to take its output gives up */
	console_out_stop();
	kick_all(vm);
}

void vm_pause(struct vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	vm->paused = true;
	vm->step_vcpu = -1;
	pthread_mutex_unlock(&vm->lock);
	kick_all(vm);
}

bool vm_wait_parked(struct vm *vm, unsigned int except)
{
	struct timespec ts;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	pthread_mutex_lock(&vm->lock);
	while (!vm->stopping && vm->parked + except < vm->running) {
		if (pthread_cond_timedwait(&vm->cond, &vm->lock, &ts) == ETIMEDOUT) {
			ok = false;
			break;
		}
	}
	pthread_mutex_unlock(&vm->lock);
	return ok;
}

void vm_resume(struct vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	vm->paused = false;
	vm->step_vcpu = -1;
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
}

/* Wait here while the VM is paused (unless this vCPU may single-step). */
void vcpu_park(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;

	pthread_mutex_lock(&vm->lock);
	while (vm->paused && !vm->stopping && vm->step_vcpu != (int)vcpu->id) {
		vm->parked++;
		pthread_cond_broadcast(&vm->cond);
		pthread_cond_wait(&vm->cond, &vm->lock);
		vm->parked--;
	}
	pthread_mutex_unlock(&vm->lock);
}

int vcpu_inject_abort(struct vcpu *vcpu, bool iabt)
{
	struct kvm_vcpu_events ev;

	memset(&ev, 0, sizeof(ev));
	if (iabt)
		ev.exception.ext_iabt_pending = 1;
	else
		ev.exception.ext_dabt_pending = 1;
	if (vcpu->vm->hv->ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev) < 0) {
		pr_err("vCPU %u: injecting an external %s abort: %s\n", vcpu->id,
		       iabt ? "instruction" : "data", strerror(errno));
		return -1;
	}
	vcpu->injected = true;
	return 0;
}

int vcpu_inject_serror(struct vcpu *vcpu, bool has_esr, uint64_t esr)
{
	struct kvm_vcpu_events ev;

	memset(&ev, 0, sizeof(ev));
	ev.exception.serror_pending = 1;
	ev.exception.serror_has_esr = has_esr;
	ev.exception.serror_esr = esr;
	if (vcpu->vm->hv->ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev) < 0) {
		pr_err("vCPU %u: injecting an SError: %s\n", vcpu->id, strerror(errno));
		return -1;
	}
	vcpu->injected = true;
	return 0;
}

int vcpu_set_single_step(struct vcpu *vcpu, bool on)
{
	struct kvm_guest_debug dbg;

	memset(&dbg, 0, sizeof(dbg));
	if (on)
		dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	if (vcpu->vm->hv->ioctl(vcpu->fd, KVM_SET_GUEST_DEBUG, &dbg) < 0) {
		pr_err("vCPU %u: KVM_SET_GUEST_DEBUG: %s\n", vcpu->id, strerror(errno));
		return -1;
	}
	return 0;
}

/* A monitor `step` of this vCPU ends here; true if one was in progress. */
static bool step_finished(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	bool stepping;

	pthread_mutex_lock(&vm->lock);
	stepping = vm->step_vcpu == (int)vcpu->id;
	if (stepping) {
		vm->step_vcpu = -1;
		vm->step_done = true;
		pthread_cond_broadcast(&vm->cond);
	}
	pthread_mutex_unlock(&vm->lock);
	return stepping;
}

/* Complete an unhandled access as "ignore": reads as zero, writes dropped. */
static int complete_ignored(struct vcpu *vcpu, bool nisv)
{
	uint64_t pc;

	if (!nisv) {
		/* KVM completes the read into Rt from mmio.data and skips it */
		if (!vcpu->run->mmio.is_write)
			memset(vcpu->run->mmio.data, 0, sizeof(vcpu->run->mmio.data));
		return 0;
	}
	/* no syndrome: KVM cannot complete it, so skip the instruction ourselves */
	if (vcpu_get_reg(vcpu, REG_PC, &pc) < 0 || vcpu_set_reg(vcpu, REG_PC, pc + 4) < 0) {
		pr_err("vCPU %u: cannot advance PC: %s\n", vcpu->id, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A guest whose abort handler returns to the access (or that loops over
 * unbacked addresses) makes one exit after another: their diagnostics are
 * rate-limited, one site per kind of exit.  Those that end the run, or wait
 * for the user in the monitor, cannot repeat by themselves and always print.
 */
static struct log_site mmio_site, nisv_site, sea_site;

static int unhandled_access(struct vcpu *vcpu, const struct access *a, bool nisv)
{
	struct vm *vm = vcpu->vm;
	struct log_site *site = nisv ? &nisv_site : &mmio_site;

	switch (vm->cfg->policy) {
	case POLICY_ABORT:
		if (!vm->cap_ext_dabt) {
			diag_access(vcpu, a, "abort, but this hypervisor cannot inject external "
				    "aborts (no KVM_CAP_ARM_INJECT_EXT_DABT): exiting", NULL);
			vcpu_dump_regs(vcpu, stderr);
			vm_stop(vm, VMM_EXIT_UNHANDLED);
			return -1;
		}
		diag_access(vcpu, a, "abort: injecting a synchronous external data abort", site);
		if (vcpu_inject_abort(vcpu, false) < 0) {
			vm_stop(vm, VMM_EXIT_UNHANDLED);
			return -1;
		}
		return 0;
	case POLICY_IGNORE:
		diag_access(vcpu, a, nisv ? "ignore: access dropped, instruction skipped (PC + 4)"
				      : "ignore: reads as zero, writes dropped", site);
		return complete_ignored(vcpu, nisv) < 0 ? (vm_stop(vm, VMM_EXIT_INTERNAL), -1) : 0;
	case POLICY_STOP:
		diag_access(vcpu, a, "stop: VM paused in the monitor", NULL);
		vcpu->injected = false;
		step_finished(vcpu);	/* a step that stopped on this access is over */
		if (!monitor_enter(vm, (int)vcpu->id, true)) {
			fprintf(stderr, "vmm: no console input for the monitor; exiting\n");
			vcpu_dump_regs(vcpu, stderr);
			vm_stop(vm, VMM_EXIT_UNHANDLED);
			return -1;
		}
		vcpu_park(vcpu);
		if (vm->stopping)
			return -1;
		/* `cont` without an `inject`: complete the access as "ignore" */
		if (!vcpu->injected && complete_ignored(vcpu, nisv) < 0) {
			vm_stop(vm, VMM_EXIT_INTERNAL);
			return -1;
		}
		return 0;
	case POLICY_LKVM:
		/* kvmtool's words for it, only with --debug-mmio */
		if (vm->cfg->debug_mmio)
			pr_diag("Warning: Ignoring MMIO %s at %016" PRIx64 " (length %u)\n",
				a->is_write > 0 ? "write" : "read", a->ipa, a->size);
		return complete_ignored(vcpu, nisv) < 0 ? (vm_stop(vm, VMM_EXIT_INTERNAL), -1) : 0;
	case POLICY_EXIT:
		diag_access(vcpu, a, "exit: register dump follows, exit status 4", NULL);
		vcpu_dump_regs(vcpu, stderr);
		vm_stop(vm, VMM_EXIT_UNHANDLED);
		return -1;
	}
	return -1;
}

static int handle_mmio(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	struct access a = {
		.what = "MMIO",
		.ipa = run->mmio.phys_addr,
		.ipa_valid = true,
		.size = run->mmio.len,
		.is_write = run->mmio.is_write,
	};
	unsigned int i;

	if (mmio_dispatch(vcpu->vm, vcpu->id, run->mmio.phys_addr, run->mmio.data,
			  run->mmio.len, run->mmio.is_write))
		return 0;
	if (a.is_write && a.size <= 8) {
		a.value_valid = true;
		for (i = 0; i < a.size; i++)
			a.value |= (uint64_t)run->mmio.data[i] << (8 * i);
	}
	return unhandled_access(vcpu, &a, false);
}

static int handle_nisv(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	struct access a = {
		.what = "MMIO without a valid syndrome (KVM_EXIT_ARM_NISV)",
		.ipa = run->arm_nisv.fault_ipa,
		.ipa_valid = true,
		.is_write = (run->arm_nisv.esr_iss >> 6) & 1,	/* ISS.WnR */
		.esr = run->arm_nisv.esr_iss,
		.esr_valid = true,
		.esr_is_iss = true,
	};

	return unhandled_access(vcpu, &a, true);
}

static int handle_sea(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	uint64_t esr = run->arm_sea.esr;
	unsigned int ec = (esr >> 26) & 0x3f;
	/* EC 0x20/0x21: instruction abort; 0x24/0x25 (and anything else): data */
	bool iabt = ec == 0x20 || ec == 0x21;
	struct access a = {
		.what = "synchronous external abort (KVM_EXIT_ARM_SEA)",
		.ipa = run->arm_sea.gpa,
		.ipa_valid = run->arm_sea.flags & KVM_EXIT_ARM_SEA_FLAG_GPA_VALID,
		.is_write = iabt ? 0 : (int)((esr >> 6) & 1),
		.esr = esr,
		.esr_valid = true,
		.gva = run->arm_sea.gva,
		.gva_valid = !((esr >> 10) & 1),	/* ESR.FnV */
	};

	diag_access(vcpu, &a, iabt ? "injecting a synchronous external instruction abort"
				   : "injecting a synchronous external data abort", &sea_site);
	if (vcpu_inject_abort(vcpu, iabt) < 0) {
		vm_stop(vcpu->vm, VMM_EXIT_INTERNAL);
		return -1;
	}
	return 0;
}

static int handle_system_event(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;

	switch (vcpu->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		pr_info("vCPU %u: guest powered off\n", vcpu->id);
		vm_stop(vm, VMM_EXIT_OK);
		return -1;
	case KVM_SYSTEM_EVENT_RESET:
		pr_info("vCPU %u: guest asked for a reset; vmm does not reboot (exit status %d)\n",
			vcpu->id, VMM_EXIT_RESET);
		vm_stop(vm, VMM_EXIT_RESET);
		return -1;
	case KVM_SYSTEM_EVENT_CRASH:
		pr_err("vCPU %u: guest reported a crash\n", vcpu->id);
		vm_stop(vm, VMM_EXIT_CRASH);
		return -1;
	case KVM_SYSTEM_EVENT_WAKEUP:
	case KVM_SYSTEM_EVENT_SUSPEND:
		return 0;	/* resume at once: there is nothing to wait for */
	}
	pr_err("vCPU %u: unknown system event %u\n", vcpu->id, vcpu->run->system_event.type);
	vm_stop(vm, VMM_EXIT_INTERNAL);
	return -1;
}

static int handle_debug(struct vcpu *vcpu)
{
	char insn[160];
	uint64_t pc = 0;

	if (gdbstub_debug_exit(vcpu))
		return 0;
	if (step_finished(vcpu))
		return 0;
	vcpu_get_reg(vcpu, REG_PC, &pc);
	diag_insn(vcpu, pc, insn, sizeof(insn));
	pr_diag("step: vCPU %u PC %#" PRIx64 "  %s\n", vcpu->id, pc, insn);
	return 0;
}

static void fatal_exit(struct vcpu *vcpu, const char *what)
{
	pr_err("vCPU %u: %s\n", vcpu->id, what);
	vcpu_dump_regs(vcpu, stderr);
	vm_stop(vcpu->vm, VMM_EXIT_INTERNAL);
}

static int handle_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	char msg[256];
	size_t off;
	unsigned int i;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		return handle_mmio(vcpu);
	case KVM_EXIT_ARM_NISV:
		return handle_nisv(vcpu);
	case KVM_EXIT_ARM_SEA:
		return handle_sea(vcpu);
	case KVM_EXIT_SYSTEM_EVENT:
		return handle_system_event(vcpu);
	case KVM_EXIT_INTR:
		return 0;
	case KVM_EXIT_DEBUG:
		return handle_debug(vcpu);
	case KVM_EXIT_INTERNAL_ERROR:
		off = (size_t)snprintf(msg, sizeof(msg),
				       "KVM_EXIT_INTERNAL_ERROR, suberror %u", run->internal.suberror);
		for (i = 0; i < run->internal.ndata && i < 16 && off < sizeof(msg); i++)
			off += (size_t)snprintf(msg + off, sizeof(msg) - off, "%s%#llx",
						i ? " " : ", data ",
						(unsigned long long)run->internal.data[i]);
		fatal_exit(vcpu, msg);
		return -1;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(msg, sizeof(msg), "KVM_EXIT_FAIL_ENTRY, reason %#llx on CPU %u",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason,
			 run->fail_entry.cpu);
		fatal_exit(vcpu, msg);
		return -1;
	}
	snprintf(msg, sizeof(msg), "unexpected exit reason %u", run->exit_reason);
	fatal_exit(vcpu, msg);
	return -1;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;
	struct vm *vm = vcpu->vm;
	char name[16];
	int ret, err;

	on_vcpu_thread = true;
	snprintf(name, sizeof(name), "vcpu%u", vcpu->id);
	pthread_setname_np(pthread_self(), name);
	for (;;) {
		vcpu_park(vcpu);
		if (vm->stopping)
			break;
		ret = vm->hv->ioctl(vcpu->fd, KVM_RUN, 0);
		err = errno;
		/* writes the guest made before this exit come first (QEMU's kvm_cpu_exec) */
		mmio_coalesced_drain(vm, vcpu->id);
		/*
		 * Console characters held for one write() go out before
		 * anything but an MMIO access (the console's LSR polls) is
		 * handled: a power-off, reset or error comes after them.
		 */
		if (ret < 0 || vcpu->run->exit_reason != KVM_EXIT_MMIO)
			console_flush();
		if (ret < 0) {
			if (err == EINTR || err == EAGAIN) {
				__atomic_store_n(&vcpu->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
				continue;
			}
			pr_err("vCPU %u: KVM_RUN: %s\n", vcpu->id, strerror(err));
			vcpu_dump_regs(vcpu, stderr);
			vm_stop(vm, VMM_EXIT_INTERNAL);
			break;
		}
		if (handle_exit(vcpu) < 0)
			break;
	}
	mmio_coalesced_drain(vm, vcpu->id);
	console_flush();
	pthread_mutex_lock(&vm->lock);
	vm->running--;
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
	return NULL;
}

int vcpu_start(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	sigset_t old;
	int ret;

	/* signals for the process go to the main thread, never to a vCPU */
	block_process_signals(&old, SIGALRM);
	pthread_mutex_lock(&vm->lock);
	vm->running++;
	pthread_mutex_unlock(&vm->lock);
	ret = pthread_create(&vcpu->thread, NULL, vcpu_thread, vcpu);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		pthread_mutex_lock(&vm->lock);
		vm->running--;
		pthread_mutex_unlock(&vm->lock);
		pr_err("vCPU %u: cannot start its thread: %s\n", vcpu->id, strerror(ret));
		return -1;
	}
	vcpu->started = true;
	return 0;
}
