// SPDX-License-Identifier: GPL-2.0
/*
 * vkvm's descriptors against a hostile (or merely unusual) caller: dup,
 * dup2, fork, close(2) instead of vkvm_close(), number reuse, the fd limit,
 * many objects.  KVM's rule is the reference: an object belongs to its open
 * file description and lives as long as any descriptor (or mapping) of that
 * description does (docs/abi.md, "Descriptors").
 *
 * Whether an object is gone is seen through the descriptors it holds: a
 * vCPU owns an eventfd that goes only with its VM, so a VM with a vCPU is
 * released exactly when the process is back to the descriptors it had.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "ioctl_util.h"

/* An ioctl that only an object of kind @k answers with success. */
static long kind_probe(int fd, enum kind k)
{
	struct kvm_device_attr attr = {
		.group = KVM_DEV_ARM_VGIC_GRP_CTRL, .attr = KVM_DEV_ARM_VGIC_CTRL_INIT,
	};
	struct kvm_mp_state mp;

	switch (k) {
	case K_SYSTEM:
		return kio_val(fd, KVM_GET_API_VERSION, 0);
	case K_VM:
		/* the system fd says EINVAL to this one (kvm_arch_dev_ioctl) */
		return kio_val(fd, KVM_ARM_PREFERRED_TARGET, 0) == -EFAULT ? 0 : -1;
	case K_VCPU:
		return kio(fd, KVM_GET_MP_STATE, &mp);
	case K_DEVICE:
	default:
		return kio(fd, KVM_HAS_DEVICE_ATTR, &attr);
	}
}

static bool kind_works(int fd, enum kind k)
{
	long r = kind_probe(fd, k);

	return k == K_SYSTEM ? r == KVM_API_VERSION : r == 0;
}

/* Calls that give vkvm the occasion to look at objects whose dups were closed. */
static void nudge(void)
{
	int i;

	for (i = 0; i < 4; i++)
		ck_assert_int_eq(vkvm_close(open_sys()), 0);
}

/* Issue 11, item 7: the reproducer. */
START_TEST(dup_of_system_fd_survives_close_with_another_open)
{
	int s1 = open_sys(), s2 = open_sys(), d = dup(s1), vm;
	void *p;

	ck_assert_int_ge(d, 0);
	ck_assert_int_eq(vkvm_close(s1), 0);
	ck_assert_int_eq(kio_val(d, KVM_GET_API_VERSION, 0), KVM_API_VERSION);
	p = vkvm_mmap(NULL, 4096, PROT_READ, MAP_SHARED, d, 0);
	ck_assert_ptr_eq(p, MAP_FAILED);
	ck_assert_int_eq(errno, ENODEV);
	vm = (int)kio_val(d, KVM_CREATE_VM, 0);
	ck_assert_int_ge(vm, 0);
	ck_assert_int_eq(vkvm_close(vm), 0);
	ck_assert_int_eq(vkvm_close(d), 0);
	ck_assert_int_eq(kio_val(s2, KVM_GET_API_VERSION, 0), KVM_API_VERSION);
	ck_assert_int_eq(vkvm_close(s2), 0);
}
END_TEST

/* For each kind: a dup works on after vkvm_close() of the original, and is the last. */
START_TEST(dup_outlives_original)
{
	enum kind k = (enum kind)_i;
	int base = nr_open_fds(), d;
	struct objs o;

	objs_create(&o);
	d = dup(o.fd[k]);
	ck_assert_int_ge(d, 0);
	ck_assert_int_eq(vkvm_close(o.fd[k]), 0);
	o.fd[k] = -1;
	ck_assert_msg(kind_works(d, k), "%s dup after close of the original", kind_names[k]);
	/* the other objects are untouched */
	for (int j = 0; j < K_NR; j++)
		if (o.fd[j] >= 0)
			ck_assert(kind_works(o.fd[j], (enum kind)j));
	objs_close(&o);
	ck_assert(kind_works(d, k));
	ck_assert_int_eq(vkvm_close(d), 0);
	nudge();
	ck_assert_int_eq(nr_open_fds(), base);
}
END_TEST

/* For each kind: vkvm_close() of a dup leaves the original working. */
START_TEST(close_of_dup_keeps_original)
{
	enum kind k = (enum kind)_i;
	int base = nr_open_fds(), d;
	struct objs o;

	objs_create(&o);
	d = dup(o.fd[k]);
	ck_assert(kind_works(d, k));
	ck_assert_int_eq(vkvm_close(d), 0);
	ck_assert_msg(kind_works(o.fd[k], k), "%s after close of its dup", kind_names[k]);
	/* a dup2 to a chosen number, and close(2) of it */
	ck_assert_int_eq(dup2(o.fd[k], 900), 900);
	ck_assert(kind_works(900, k));
	ck_assert_int_eq(close(900), 0);
	ck_assert(kind_works(o.fd[k], k));
	objs_close(&o);
	nudge();
	ck_assert_int_eq(nr_open_fds(), base);
}
END_TEST

/* A dup closed with close(2) after vkvm_close() of the original: found dead later. */
START_TEST(orphan_dup_closed_with_close)
{
	int base = nr_open_fds(), dvm, dvcpu;
	struct objs o;

	objs_create(&o);
	dvm = dup(o.fd[K_VM]);
	dvcpu = dup(o.fd[K_VCPU]);
	objs_close(&o);
	/* the VM lives on: its vCPU can still be initialised and run */
	ck_assert_int_eq(vcpu_init(dvcpu, 0), 0);
	ck_assert_int_eq(close(dvm), 0);
	ck_assert_int_eq(close(dvcpu), 0);
	nudge();
	ck_assert_int_eq(nr_open_fds(), base);
}
END_TEST

/* A new object gets the number of one whose dup is still open. */
START_TEST(number_reuse_with_dup_open)
{
	int sys = open_sys(), vm1 = create_vm(sys), vm2, d, v;

	v = create_vcpu(vm1, 0);
	d = dup(vm1);
	ck_assert_int_eq(vkvm_close(vm1), 0);
	vm2 = create_vm(sys);
	ck_assert_int_eq(vm2, vm1);		/* the lowest free number */
	/* d is still the first VM (vCPU 0 exists), vm2 a fresh one */
	ck_assert_int_eq(kio_val(d, KVM_CREATE_VCPU, 0), -EEXIST);
	v = (int)kio_val(vm2, KVM_CREATE_VCPU, 0);
	ck_assert_int_ge(v, 0);
	ck_assert_int_eq(vkvm_close(v), 0);
	ck_assert_int_eq(vkvm_close(vm2), 0);
	ck_assert_int_eq(vkvm_close(d), 0);
	ck_assert_int_eq(vkvm_close(sys), 0);
}
END_TEST

/* dup2 over a vkvm number: the number now names the other object, as in KVM. */
START_TEST(dup2_over_a_vkvm_fd)
{
	int sys = open_sys(), vm1 = create_vm(sys), vm2 = create_vm(sys), v;

	v = create_vcpu(vm1, 0);
	ck_assert_int_eq(dup2(vm1, vm2), vm2);
	ck_assert_int_eq(kio_val(vm2, KVM_CREATE_VCPU, 0), -EEXIST);
	ck_assert_int_eq(vkvm_close(vm2), 0);
	ck_assert_int_eq(kio_val(vm1, KVM_CREATE_VCPU, 0), -EEXIST);
	ck_assert_int_eq(vkvm_close(v), 0);
	ck_assert_int_eq(vkvm_close(vm1), 0);
	ck_assert_int_eq(vkvm_close(sys), 0);
}
END_TEST

/* close(2) of a vkvm fd, then an unrelated file gets its number. */
START_TEST(plain_close_then_number_reused)
{
	int sys = open_sys(), vm = create_vm(sys), fd;
	void *p;

	ck_assert_int_eq(close(vm), 0);
	fd = open("/dev/zero", O_RDWR);
	ck_assert_int_eq(fd, vm);
	/* the number is /dev/zero's now: the system call answers */
	ck_assert_int_eq(kio_val(fd, KVM_CHECK_EXTENSION, KVM_CAP_ONE_REG), -ENOTTY);
	ck_assert_int_eq(kio_val(fd, KVM_RUN, 0), -ENOTTY);
	p = vkvm_mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);		/* /dev/zero maps */
	munmap(p, 4096);
	ck_assert_int_eq(vkvm_close(fd), 0);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	ck_assert_int_eq(vkvm_close(sys), 0);
}
END_TEST

/* close(2) of a vCPU fd, then a vkvm object of another kind gets its number. */
START_TEST(plain_close_then_new_object)
{
	int sys = open_sys(), vm = create_vm(sys), vcpu = create_vcpu(vm, 0), vm2;

	ck_assert_int_eq(vcpu_init(vcpu, 0), 0);
	ck_assert_int_eq(close(vcpu), 0);
	vm2 = create_vm(sys);
	ck_assert_int_eq(vm2, vcpu);
	/* KVM_RUN believes the cache; the cache was updated by the creation */
	ck_assert_int_eq(kio_val(vm2, KVM_RUN, 0), -EINVAL);
	ck_assert(kind_works(vm2, K_VM));
	ck_assert_int_eq(vkvm_close(vm2), 0);
	ck_assert_int_eq(vkvm_close(vm), 0);
	ck_assert_int_eq(vkvm_close(sys), 0);
}
END_TEST

START_TEST(bad_numbers)
{
	int sys = open_sys(), vm = create_vm(sys);

	ck_assert_int_eq(kio_val(-1, KVM_GET_API_VERSION, 0), -EBADF);
	ck_assert_int_eq(kio_val(-1, KVM_RUN, 0), -EBADF);
	ck_assert_int_eq(kio_val(INT32_MAX, KVM_RUN, 0), -EBADF);
	ck_assert_int_eq(kio_val(100000, KVM_GET_API_VERSION, 0), -EBADF);
	ck_assert_ptr_eq(vkvm_mmap(NULL, 4096, PROT_READ, MAP_SHARED, -1, 0), MAP_FAILED);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(vkvm_close(-1), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(vkvm_close(100000), -1);
	ck_assert_int_eq(errno, EBADF);
	/* closing twice: the second is EBADF and touches nothing else */
	ck_assert_int_eq(vkvm_close(vm), 0);
	ck_assert_int_eq(vkvm_close(vm), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(kio_val(vm, KVM_CREATE_VCPU, 0), -EBADF);
	ck_assert_int_eq(kio_val(vm, KVM_RUN, 0), -EBADF);
	ck_assert(kind_works(sys, K_SYSTEM));
	ck_assert_int_eq(vkvm_close(sys), 0);
}
END_TEST

/* vkvm_mmap() of kvm_run does not keep the vCPU; mmap(2) of the fd does, as in KVM. */
START_TEST(mappings_and_lifetime)
{
	int base = nr_open_fds(), sys = open_sys(), vm = create_vm(sys);
	int vcpu = create_vcpu(vm, 0);
	long size = kio_val(sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	struct kvm_run *run, *raw;

	run = vkvm_mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	ck_assert_ptr_ne(run, MAP_FAILED);
	raw = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	ck_assert_ptr_ne(raw, MAP_FAILED);
	ck_assert_int_eq(vkvm_close(vcpu), 0);
	ck_assert_int_eq(vkvm_close(vm), 0);
	ck_assert_int_eq(vkvm_close(sys), 0);
	/* raw pins the vCPU's description, the vCPU pins the VM */
	nudge();
	ck_assert_int_gt(nr_open_fds(), base);
	run->immediate_exit = 1;
	ck_assert_int_eq(raw->immediate_exit, 1);
	munmap(raw, (size_t)size);
	nudge();
	ck_assert_int_eq(nr_open_fds(), base);
	/* a mapping from vkvm_mmap() stays readable after the VM is gone */
	ck_assert_int_eq(run->immediate_exit, 1);
	munmap(run, (size_t)size);
}
END_TEST

/* After fork(): VM, vCPU and device ioctls are EIO in the child, as in KVM. */
START_TEST(fork_child)
{
	int base = nr_open_fds(), p[2], status;
	struct objs o;
	char c;
	pid_t pid;

	objs_create(&o);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int ok = 1, vm;

		ok &= kio_val(o.fd[K_SYSTEM], KVM_GET_API_VERSION, 0) == KVM_API_VERSION;
		ok &= kind_probe(o.fd[K_VM], K_VM) != 0 &&
		      kio_val(o.fd[K_VM], KVM_CREATE_VCPU, 1) == -EIO;
		ok &= kio_val(o.fd[K_VCPU], KVM_RUN, 0) == -EIO;
		ok &= kind_probe(o.fd[K_DEVICE], K_DEVICE) == -EIO;
		/* a VM of the child's own works */
		vm = (int)kio_val(o.fd[K_SYSTEM], KVM_CREATE_VM, 0);
		ok &= vm >= 0 && kio_val(vm, KVM_CREATE_VCPU, 0) >= 0;
		/* closing the parent's objects here leaves them to the parent */
		ok &= vkvm_close(o.fd[K_VM]) == 0 && vkvm_close(o.fd[K_VCPU]) == 0;
		if (write(p[1], "x", 1) != 1)
			ok = 0;
		_exit(ok ? 0 : 1);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(p[0]);
	/* the parent's objects work on */
	for (int k = 0; k < K_NR; k++)
		ck_assert(kind_works(o.fd[k], (enum kind)k));
	objs_close(&o);
	nudge();
	ck_assert_int_eq(nr_open_fds(), base);
}
END_TEST

/* A child holding the descriptions keeps the objects alive, as in KVM. */
START_TEST(fork_child_holds_objects)
{
	int base = nr_open_fds(), p[2], q[2], status;
	struct objs o;
	char c;
	pid_t pid;

	objs_create(&o);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(pipe(q), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[1]);
		close(q[0]);
		if (write(q[1], "x", 1) != 1 || read(p[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(p[0]);
	close(q[1]);
	ck_assert_int_eq(read(q[0], &c, 1), 1);
	objs_close(&o);
	nudge();
	ck_assert_int_gt(nr_open_fds(), base + 2);	/* the VM is alive */
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	close(p[1]);
	close(q[0]);
	nudge();
	ck_assert_int_eq(nr_open_fds(), base);
}
END_TEST

/* At the fd limit: a clean EMFILE from every creating call, nothing leaked. */
START_TEST(fd_limit)
{
	int base = nr_open_fds(), sys = open_sys(), vm = create_vm(sys), fds[64], n = 0, i;
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	struct rlimit old, lim;
	long r;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	lim = old;
	lim.rlim_cur = (rlim_t)nr_open_fds() + 16;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &lim), 0);
	for (;;) {
		r = kio_val(sys, KVM_CREATE_VM, 0);
		if (r < 0)
			break;
		ck_assert_int_lt(n, 64);
		fds[n++] = (int)r;
	}
	ck_assert_int_eq(r, -EMFILE);
	i = nr_open_fds();
	ck_assert_int_eq(kio_val(vm, KVM_CREATE_VCPU, 0), -EMFILE);
	ck_assert_int_eq(kio(vm, KVM_CREATE_DEVICE, &cd), -EMFILE);
	ck_assert_int_eq(vkvm_open(O_RDWR), -1);
	ck_assert_int_eq(errno, EMFILE);
	ck_assert_int_eq(nr_open_fds(), i);
	/* one number free: a VM fits, a vCPU (memfd + eventfd) does not */
	ck_assert_int_eq(vkvm_close(fds[--n]), 0);
	ck_assert_int_eq(kio_val(vm, KVM_CREATE_VCPU, 0), -EMFILE);
	ck_assert_int_eq(nr_open_fds(), i - 1);
	fds[n] = (int)kio_val(sys, KVM_CREATE_VM, 0);
	ck_assert_int_ge(fds[n++], 0);
	/* the vCPU id is free for a later attempt */
	ck_assert_int_eq(vkvm_close(fds[--n]), 0);
	ck_assert_int_eq(vkvm_close(fds[--n]), 0);
	fds[n] = (int)kio_val(vm, KVM_CREATE_VCPU, 0);
	ck_assert_int_ge(fds[n++], 0);
	/* closing at the limit works (vkvm_close needs no extra descriptor) */
	ck_assert_int_eq(kio_val(sys, KVM_CREATE_VM, 0), -EMFILE);
	while (n)
		ck_assert_int_eq(vkvm_close(fds[--n]), 0);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	ck_assert_int_eq(vkvm_close(vm), 0);
	ck_assert_int_eq(vkvm_close(sys), 0);
	nudge();
	ck_assert_int_eq(nr_open_fds(), base);
}
END_TEST

/* Many VMs (issue 11 item 5: closing was quadratic); the time is in bench/. */
START_TEST(many_vms)
{
	int base = nr_open_fds(), sys = open_sys(), n = 4000, i, *vms;
	struct rlimit lim;

	getrlimit(RLIMIT_NOFILE, &lim);
	if ((rlim_t)n + 64 > lim.rlim_cur)
		n = (int)lim.rlim_cur - 64;
	vms = calloc((size_t)n, sizeof(*vms));
	ck_assert_ptr_nonnull(vms);
	for (i = 0; i < n; i++)
		vms[i] = create_vm(sys);
	for (i = 0; i < n; i += 2)
		ck_assert_int_eq(vkvm_close(vms[i]), 0);
	for (i = 1; i < n; i += 2)
		ck_assert(kind_works(vms[i], K_VM));
	for (i = n - 1; i > 0; i -= 2)
		ck_assert_int_eq(vkvm_close(vms[i]), 0);
	free(vms);
	ck_assert_int_eq(vkvm_close(sys), 0);
	ck_assert_int_eq(nr_open_fds(), base);
}
END_TEST

int main(void)
{
	TCase *tc;
	/* 120 s: generous, catches a hang (or a quadratic close), never times a pass */
	Suite *s = check_suite_case("ioctl_fd", "fd", 120, &tc);

	tcase_add_test(tc, dup_of_system_fd_survives_close_with_another_open);
	tcase_add_loop_test(tc, dup_outlives_original, 0, K_NR);
	tcase_add_loop_test(tc, close_of_dup_keeps_original, 0, K_NR);
	tcase_add_test(tc, orphan_dup_closed_with_close);
	tcase_add_test(tc, number_reuse_with_dup_open);
	tcase_add_test(tc, dup2_over_a_vkvm_fd);
	tcase_add_test(tc, plain_close_then_number_reused);
	tcase_add_test(tc, plain_close_then_new_object);
	tcase_add_test(tc, bad_numbers);
	tcase_add_test(tc, mappings_and_lifetime);
	tcase_add_test(tc, fork_child);
	tcase_add_test(tc, fork_child_holds_objects);
	tcase_add_test(tc, fd_limit);
	tcase_add_test(tc, many_vms);
	return run_tap(s);
}
