// SPDX-License-Identifier: GPL-2.0
/*
 * The descriptor table: the cost of creating and closing many VMs.
 *
 *   fdtab_bench [-n VMS] [-c]
 *
 * Creates VMS VMs on one system fd (with -c, each with one vCPU), then
 * closes them all with vkvm_close(), in creation order.  Prints the time per
 * create and per close, and the memory each VM costs (resident set and
 * heap, before and after).  Without -n it creates as many as the fd limit
 * (RLIMIT_NOFILE) leaves room for, up to 20,000.  Then, with the limit
 * lowered to what is open plus 32, it creates VMs until EMFILE and checks
 * that the failed creation left no descriptor and that closing everything
 * brings the process back to where it started.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <vkvm.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long resident_kib(void)
{
	long size, resident;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &resident) != 2)
		resident = -1;
	fclose(f);
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static long heap_kib(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (long)((mi.uordblks + mi.hblkhd) / 1024);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* opendir's own */
}

/* A VM (and with @vcpu its vCPU 0): the VM fd, or -errno. */
static int create_vm(int sys, int vcpu, int *vcpu_fd)
{
	int vm = vkvm_ioctl(sys, KVM_CREATE_VM, 0UL), err;

	*vcpu_fd = -1;
	if (vm < 0)
		return -errno;
	if (!vcpu)
		return vm;
	*vcpu_fd = vkvm_ioctl(vm, KVM_CREATE_VCPU, 0UL);
	if (*vcpu_fd < 0) {
		err = errno;
		vkvm_close(vm);
		return -err;
	}
	return vm;
}

static int run(int sys, int n, int vcpu)
{
	int *vms = calloc(n, sizeof(*vms)), *vcpus = calloc(n, sizeof(*vcpus));
	long rss0, rss1, rss2, heap0, heap1, heap2;
	double t0, t1, t2;
	int i, created = 0, fds0 = open_fds();

	if (!vms || !vcpus)
		return 1;
	rss0 = resident_kib();
	heap0 = heap_kib();
	t0 = now();
	for (i = 0; i < n; i++) {
		vms[i] = create_vm(sys, vcpu, &vcpus[i]);
		if (vms[i] < 0) {
			fprintf(stderr, "fdtab_bench: VM %d: %s\n", i, strerror(-vms[i]));
			break;
		}
		created++;
	}
	t1 = now();
	rss1 = resident_kib();
	heap1 = heap_kib();
	for (i = 0; i < created; i++) {
		if (vcpu)
			vkvm_close(vcpus[i]);
		vkvm_close(vms[i]);
	}
	t2 = now();
	malloc_trim(0);
	rss2 = resident_kib();
	heap2 = heap_kib();

	printf("%d VMs%s: create %.3f s (%.1f us each), close %.3f s (%.1f us each)\n",
	       created, vcpu ? " with one vCPU each" : "", t1 - t0,
	       (t1 - t0) / created * 1e6, t2 - t1, (t2 - t1) / created * 1e6);
	printf("  memory per VM: resident %.1f KiB, heap %.1f KiB; after closing: "
	       "resident %+ld KiB, heap %+ld KiB, fds %+d\n",
	       (double)(rss1 - rss0) / created, (double)(heap1 - heap0) / created,
	       rss2 - rss0, heap2 - heap0, open_fds() - fds0);
	free(vms);
	free(vcpus);
	return created == n ? 0 : 1;
}

/* Create VMs until the fd limit: a clean EMFILE, nothing leaked. */
static int at_limit(int sys)
{
	struct rlimit old, lim;
	int fds0 = open_fds(), vms[64], vcpu, n = 0, err = 0, i, bad;
	long heap0 = heap_kib(), heap1;

	getrlimit(RLIMIT_NOFILE, &old);
	lim = old;
	lim.rlim_cur = (rlim_t)fds0 + 32;
	if (setrlimit(RLIMIT_NOFILE, &lim)) {
		perror("setrlimit");
		return 1;
	}
	while (n < 64) {
		int vm = create_vm(sys, 0, &vcpu);

		if (vm < 0) {
			err = -vm;
			break;
		}
		vms[n++] = vm;
	}
	for (i = 0; i < n; i++)
		vkvm_close(vms[i]);
	setrlimit(RLIMIT_NOFILE, &old);
	heap1 = heap_kib();
	bad = err != EMFILE || open_fds() != fds0;
	printf("at the fd limit (%llu): %d VMs, then %s; "
	       "after closing them: fds %+d, heap %+ld KiB%s\n",
	       (unsigned long long)lim.rlim_cur, n, err ? strerror(err) : "no error",
	       open_fds() - fds0, heap1 - heap0, bad ? "  WRONG" : "");
	return bad;
}

int main(int argc, char **argv)
{
	struct rlimit lim;
	int n = 0, vcpu = 0, sys, ret, opt;

	while ((opt = getopt(argc, argv, "n:c")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else if (opt == 'c')
			vcpu = 1;
		else
			return 2;
	}
	getrlimit(RLIMIT_NOFILE, &lim);
	if (!n) {
		n = (int)(lim.rlim_cur > 20064 ? 20000 : lim.rlim_cur - 64);
		if (vcpu)
			n /= 3;		/* the VM, the vCPU and its wake-up eventfd */
	}
	printf("fd limit %llu, %d fds open\n", (unsigned long long)lim.rlim_cur, open_fds());
	sys = vkvm_open(O_RDWR | O_CLOEXEC);
	if (sys < 0) {
		perror("vkvm_open");
		return 1;
	}
	ret = run(sys, n, vcpu);
	ret |= at_limit(sys);
	vkvm_close(sys);
	return ret;
}
