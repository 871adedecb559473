// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction throughput: the same integer workload (workload.c) as a vkvm
 * guest and as a user program under qemu-aarch64, in the same run.
 *
 *   cpu_bench [-n ITERS] [-Q QEMU] [-U WORKLOAD_USER] [-G GUEST_BIN] [-V] [-M] [-S]
 *
 * The guest's instruction count is exact: the workload costs a + b * ITERS
 * instructions; a and b come from single-stepping 1 and 2 iterations under
 * vkvm (KVM_SET_GUEST_DEBUG, one KVM_EXIT_DEBUG per instruction).  The
 * user build runs the same compiled workload function, so the count is
 * used for qemu's MIPS as well (the wrappers differ by a few instructions).
 * Without -n, ITERS is chosen so that qemu-aarch64 works about 2 s.  -V runs
 * the vkvm side alone (for profilers); -M makes the VM an MTE VM
 * (KVM_CAP_ARM_MTE) whose guest does not use tags: MTE's cost when off.
 * -S runs KVM_RUN under a KVM_SET_SIGNAL_MASK (the thread's own mask):
 * the cost of vkvm's look at pending signals while the guest runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <vkvm.h>

#include "vmclient.h"

#define RAM_SIZE	(16ULL << 20)

static uint8_t *image;
static uint32_t vm_features;
static bool kvm_sigmask;
static size_t image_len;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int load(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	image_len = (size_t)st.st_size;
	image = malloc(image_len);
	if (!image || read(fd, image, image_len) != (ssize_t)image_len)
		return -EIO;
	close(fd);
	return 0;
}

/* KVM_SET_SIGNAL_MASK: the thread's own mask, as the kernel's 8 bytes. */
static int set_kvm_sigmask(int vcpu)
{
	struct kvm_signal_mask *m = calloc(1, sizeof(*m) + 8);
	uint64_t bits = 0;
	sigset_t cur;
	int sig, ret = 0;

	if (!m)
		return -ENOMEM;
	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	for (sig = 1; sig <= 64; sig++)
		if (sigismember(&cur, sig) == 1)
			bits |= 1ULL << (sig - 1);
	m->len = 8;
	memcpy(m->sigset, &bits, 8);
	if (vkvm_ioctl(vcpu, KVM_SET_SIGNAL_MASK, m) < 0)
		ret = -errno;
	free(m);
	return ret;
}

/*
 * Run ITERS iterations in a fresh VM.  With step, count instructions (one
 * KVM_EXIT_DEBUG each, plus the final store).  Returns 0 or -errno.
 */
static int run_guest(uint32_t iters, int step, uint64_t *sum, uint64_t *insns, double *secs)
{
	struct kvm_guest_debug dbg = {
		.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP,
	};
	struct vmc v;
	uint64_t n = 0;
	double t0;
	int ret;

	ret = bench_vm_create(&v, RAM_SIZE, image, image_len, vm_features);
	ret = ret ?: vmc_set_reg(&v, VMC_X(0), iters);
	ret = ret ?: vmc_set_reg(&v, VMC_X(1), MMIO_GPA);
	if (!ret && step && vkvm_ioctl(v.vcpu, KVM_SET_GUEST_DEBUG, &dbg) < 0)
		ret = -errno;
	if (!ret && kvm_sigmask)
		ret = set_kvm_sigmask(v.vcpu);
	t0 = now();
	while (!ret) {
		ret = vmc_run(&v);
		if (ret)
			break;
		n++;
		if (v.run->exit_reason == KVM_EXIT_MMIO) {
			memcpy(sum, v.run->mmio.data, 8);
			break;
		}
		if (v.run->exit_reason != KVM_EXIT_DEBUG) {
			fprintf(stderr, "cpu_bench: unexpected exit %u\n", v.run->exit_reason);
			ret = -EIO;
		}
	}
	*secs = now() - t0;
	*insns = n;
	vmc_close(&v);
	return ret;
}

/* qemu-aarch64 WORKLOAD_USER ITERS: checksum and the nanoseconds it reports. */
static int run_qemu(const char *qemu, const char *user, uint32_t iters, uint64_t *sum,
		    double *secs)
{
	char cmd[PATH_MAX * 2 + 32];
	long long ns;
	FILE *p;
	int ok;

	snprintf(cmd, sizeof(cmd), "%s %s %u", qemu, user, iters);
	p = popen(cmd, "r");
	if (!p)
		return -errno;
	ok = fscanf(p, "%" SCNx64 " %lld", sum, &ns) == 2;
	if (pclose(p) != 0 || !ok)
		return -EIO;
	*secs = (double)ns * 1e-9;
	return 0;
}

int main(int argc, char **argv)
{
	static char dir[PATH_MAX], user[PATH_MAX], guest[PATH_MAX];
	const char *qemu = "qemu-aarch64", *u = user, *g = guest;
	uint32_t iters = 0;
	bool vkvm_only = false;
	uint64_t s1, s2, sq, sv, c1, c2, a, b, total, dummy;
	double tq, tv, t;
	int opt, ret;

	snprintf(dir, sizeof(dir), "%s", argv[0]);
	if (strrchr(dir, '/'))
		strrchr(dir, '/')[1] = 0;
	else
		strcpy(dir, "./");
	snprintf(user, sizeof(user), "%sworkload_user", dir);
	snprintf(guest, sizeof(guest), "%sworkload_guest.bin", dir);
	while ((opt = getopt(argc, argv, "n:Q:U:G:VMS")) != -1) {
		switch (opt) {
		case 'n': iters = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'Q': qemu = optarg; break;
		case 'U': u = optarg; break;
		case 'G': g = optarg; break;
		case 'V': vkvm_only = true; break;
		case 'M': vm_features |= VMC_FEATURE_MTE; break;
		case 'S': kvm_sigmask = true; break;
		default:
			fprintf(stderr, "usage: cpu_bench [-n ITERS] [-Q QEMU] [-U USER] [-G GUEST] [-V] [-M] [-S]\n");
			return 2;
		}
	}
	ret = load(g);
	if (ret) {
		fprintf(stderr, "cpu_bench: %s: %s\n", g, strerror(-ret));
		return 1;
	}

	/* exact instruction count: a + b * iters */
	ret = run_guest(1, 1, &s1, &c1, &t);
	ret = ret ?: run_guest(2, 1, &s2, &c2, &t);
	if (ret) {
		fprintf(stderr, "cpu_bench: single-step count: %s\n", strerror(-ret));
		return 1;
	}
	b = c2 - c1;
	a = c1 - b;
	printf("instructions: %" PRIu64 " + %" PRIu64 " per iteration "
	       "(single-stepped: %.0f steps/s)\n", a, b, (double)c2 / t);

	if (vkvm_only) {
		/* for profilers: the vkvm run alone, no peer and no ratio */
		ret = run_guest(iters ? iters : 100, 0, &sv, &dummy, &tv);
		if (ret) {
			fprintf(stderr, "cpu_bench: vkvm run: %s\n", strerror(-ret));
			return 1;
		}
		total = a + b * (iters ? iters : 100);
		printf("vkvm:         %.3f s, %.1f MIPS (checksum %016" PRIx64 ")\n",
		       tv, (double)total / tv * 1e-6, sv);
		return 0;
	}
	if (!iters) {
		if (run_qemu(qemu, u, 20, &dummy, &t) || t <= 0)
			return 1;
		iters = (uint32_t)(2.0 / (t / 20)) + 1;
	}
	total = a + b * iters;
	if (run_qemu(qemu, u, iters, &sq, &tq)) {
		fprintf(stderr, "cpu_bench: %s %s failed\n", qemu, u);
		return 1;
	}
	ret = run_guest(iters, 0, &sv, &dummy, &tv);
	if (ret) {
		fprintf(stderr, "cpu_bench: vkvm run: %s\n", strerror(-ret));
		return 1;
	}
	printf("iterations: %u, guest instructions: %" PRIu64 "\n", iters, total);
	printf("qemu-aarch64: %.3f s, %.1f MIPS (checksum %016" PRIx64 ")\n",
	       tq, (double)total / tq * 1e-6, sq);
	printf("vkvm:         %.3f s, %.1f MIPS (checksum %016" PRIx64 ")\n",
	       tv, (double)total / tv * 1e-6, sv);
	printf("ratio vkvm/qemu time: %.2fx (issue target: <= 4x)%s\n", tv / tq,
	       sq != sv ? "  CHECKSUMS DIFFER" : "");
	return sq != sv;
}
