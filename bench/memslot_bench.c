// SPDX-License-Identifier: GPL-2.0
/*
 * Memslots: the cost of many of them, and of changing them under a
 * running vCPU.
 *
 *   memslot_bench [-n SLOTS] [-m MOVES]
 *
 * 1. Adds SLOTS memslots (default 32,767, KVM_CAP_NR_MEMSLOTS) of 2 MiB,
 *    one after the other in guest and host address (as Linux's
 *    set_memory_region_test does), then deletes them: time per call.
 * 2. With 1,000 slots and one vCPU spinning in the guest on its own
 *    thread, moves one slot back and forth MOVES times (default 5,000):
 *    time per move, and the heap before and after (the replaced memory
 *    maps must be freed while the vCPU runs, not kept).
 * 3. Dirty logging: a vCPU stores to the 512 pages of a 2 MiB slot in a
 *    loop for a second, without logging, then with logging while the host
 *    fetches the log (KVM_GET_DIRTY_LOG) every millisecond: the guest's
 *    stores per second each way, and the time per fetch.
 */
#include <errno.h>
#include <stdbool.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <vkvm.h>

#define SLOT_SIZE	(2ULL << 20)
#define GPA_BASE	(1ULL << 32)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static size_t heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int set_slot(int vm, unsigned int id, uint64_t gpa, uint64_t size, void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = id, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)hva,
	};

	return vkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r);
}

/* Add n slots, delete them: seconds for each phase. */
static void many_slots(int sys, unsigned int n)
{
	int vm = vkvm_ioctl(sys, KVM_CREATE_VM, 0);
	char *mem = mmap(NULL, n * SLOT_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	size_t heap0 = heap_bytes(), heap1;
	double t0, t1, t2;
	unsigned int i;

	if (vm < 0 || mem == MAP_FAILED)
		die("VM or memory");
	t0 = now();
	for (i = 0; i < n; i++)
		if (set_slot(vm, i, GPA_BASE + i * SLOT_SIZE, SLOT_SIZE, mem + i * SLOT_SIZE))
			die("adding a slot");
	t1 = now();
	heap1 = heap_bytes();
	if (set_slot(vm, n, GPA_BASE + n * SLOT_SIZE, SLOT_SIZE, mem) == 0 && n == 32767)
		fprintf(stderr, "slot 32767 accepted\n");
	for (i = 0; i < n; i++)
		if (set_slot(vm, i, 0, 0, NULL))
			die("deleting a slot");
	t2 = now();
	printf("%u slots: added in %.3f s (%.1f us each), deleted in %.3f s (%.1f us each); "
	       "heap +%.1f MiB with all of them\n", n, t1 - t0, (t1 - t0) * 1e6 / n,
	       t2 - t1, (t2 - t1) * 1e6 / n, (double)(heap1 - heap0) / (1 << 20));
	vkvm_close(vm);
	munmap(mem, n * SLOT_SIZE);
}

struct spinner {
	int vcpu;
	struct kvm_run *run;
	long ret;
};

static void *spin(void *arg)
{
	struct spinner *s = arg;

	s->ret = vkvm_ioctl(s->vcpu, KVM_RUN, 0);
	return NULL;
}

/* n slots, a vCPU spinning in slot 0, slot 1 moved back and forth. */
static void moves_while_running(int sys, unsigned int n, unsigned int moves)
{
	static const uint32_t spin_code = 0x14000000;	/* b . */
	struct kvm_vcpu_init init;
	struct kvm_one_reg reg;
	struct spinner s;
	int vm = vkvm_ioctl(sys, KVM_CREATE_VM, 0);
	char *mem = mmap(NULL, n * SLOT_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint64_t pc = GPA_BASE;
	size_t heap0, heap1;
	pthread_t th;
	unsigned int i;
	double t0, t1;

	if (vm < 0 || mem == MAP_FAILED)
		die("VM or memory");
	for (i = 0; i < n; i++)
		if (set_slot(vm, i, GPA_BASE + i * SLOT_SIZE, SLOT_SIZE, mem + i * SLOT_SIZE))
			die("adding a slot");
	memcpy(mem, &spin_code, sizeof(spin_code));
	s.vcpu = vkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
	if (s.vcpu < 0 || vkvm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init))
		die("vCPU");
	if (vkvm_ioctl(s.vcpu, KVM_ARM_VCPU_INIT, &init))
		die("KVM_ARM_VCPU_INIT");
	reg.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		 KVM_REG_ARM_CORE_REG(regs.pc);
	reg.addr = (uint64_t)(uintptr_t)&pc;
	if (vkvm_ioctl(s.vcpu, KVM_SET_ONE_REG, &reg))
		die("PC");
	s.run = vkvm_mmap(NULL, (size_t)vkvm_ioctl(sys, KVM_GET_VCPU_MMAP_SIZE, 0),
			  PROT_READ | PROT_WRITE, MAP_SHARED, s.vcpu, 0);
	if (s.run == MAP_FAILED)
		die("kvm_run");
	pthread_create(&th, NULL, spin, &s);
	usleep(10000);
	heap0 = heap_bytes();
	t0 = now();
	for (i = 0; i < moves; i++) {
		uint64_t gpa = GPA_BASE + ((i & 1) ? 1 : n) * SLOT_SIZE;

		if (set_slot(vm, 1, gpa, SLOT_SIZE, mem + SLOT_SIZE))
			die("moving a slot");
	}
	t1 = now();
	heap1 = heap_bytes();
	s.run->immediate_exit = 1;
	pthread_join(th, NULL);
	printf("%u slots, vCPU running: %u moves in %.3f s (%.1f us each); heap %+.1f MiB "
	       "after them (KVM_RUN: %ld)\n", n, moves, t1 - t0, (t1 - t0) * 1e6 / moves,
	       ((double)heap1 - (double)heap0) / (1 << 20), s.ret);
	vkvm_close(s.vcpu);
	vkvm_close(vm);
	munmap(mem, n * SLOT_SIZE);
}

static void set_x(int vcpu, unsigned int n, uint64_t v)
{
	struct kvm_one_reg reg = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		      KVM_REG_ARM_CORE_REG(regs.regs[n]),
		.addr = (uint64_t)(uintptr_t)&v,
	};

	if (vkvm_ioctl(vcpu, KVM_SET_ONE_REG, &reg))
		die("KVM_SET_ONE_REG");
}

static uint64_t get_x(int vcpu, unsigned int n)
{
	uint64_t v;
	struct kvm_one_reg reg = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		      KVM_REG_ARM_CORE_REG(regs.regs[n]),
		.addr = (uint64_t)(uintptr_t)&v,
	};

	if (vkvm_ioctl(vcpu, KVM_GET_ONE_REG, &reg))
		die("KVM_GET_ONE_REG");
	return v;
}

/* One second of the store loop; with log, fetch it every millisecond. */
static void store_second(int vm, struct spinner *s, bool log, double *rate,
			 double *fetch_us, unsigned int *fetches)
{
	static uint64_t bitmap[SLOT_SIZE / 4096 / 64];
	struct kvm_dirty_log dl = { .slot = 1, .dirty_bitmap = bitmap };
	double t0, t1, tf = 0;
	pthread_t th;

	set_x(s->vcpu, 5, 0);
	s->run->immediate_exit = 0;
	*fetches = 0;
	pthread_create(&th, NULL, spin, s);
	t0 = now();
	while ((t1 = now()) - t0 < 1.0) {
		usleep(1000);
		if (!log)
			continue;
		t1 = now();
		if (vkvm_ioctl(vm, KVM_GET_DIRTY_LOG, &dl))
			die("KVM_GET_DIRTY_LOG");
		tf += now() - t1;
		(*fetches)++;
	}
	s->run->immediate_exit = 1;
	pthread_join(th, NULL);
	t1 = now();
	*rate = (double)get_x(s->vcpu, 5) / (t1 - t0);
	*fetch_us = *fetches ? tf * 1e6 / *fetches : 0;
}

static void dirty_log_while_running(int sys)
{
	static const uint32_t code[] = {
		0xf8266845,	/* str x5, [x2, x6] */
		0x8b0400c6,	/* add x6, x6, x4 */
		0x8a0700c6,	/* and x6, x6, x7 */
		0x910004a5,	/* add x5, x5, #1 */
		0x17fffffc,	/* b   (the str) */
	};
	struct kvm_userspace_memory_region r = {
		.slot = 1, .guest_phys_addr = GPA_BASE + SLOT_SIZE, .memory_size = SLOT_SIZE,
	};
	struct kvm_vcpu_init init;
	struct kvm_one_reg reg;
	struct spinner s;
	int vm = vkvm_ioctl(sys, KVM_CREATE_VM, 0);
	char *mem = mmap(NULL, 2 * SLOT_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint64_t pc = GPA_BASE;
	double rate0, rate1, fetch_us;
	unsigned int fetches;

	if (vm < 0 || mem == MAP_FAILED)
		die("VM or memory");
	memcpy(mem, code, sizeof(code));
	if (set_slot(vm, 0, GPA_BASE, SLOT_SIZE, mem))
		die("slot 0");
	r.userspace_addr = (uint64_t)(uintptr_t)(mem + SLOT_SIZE);
	if (vkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r))
		die("slot 1");
	s.vcpu = vkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
	if (s.vcpu < 0 || vkvm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) ||
	    vkvm_ioctl(s.vcpu, KVM_ARM_VCPU_INIT, &init))
		die("vCPU");
	reg.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		 KVM_REG_ARM_CORE_REG(regs.pc);
	reg.addr = (uint64_t)(uintptr_t)&pc;
	if (vkvm_ioctl(s.vcpu, KVM_SET_ONE_REG, &reg))
		die("PC");
	set_x(s.vcpu, 2, GPA_BASE + SLOT_SIZE);
	set_x(s.vcpu, 4, 7 * 4096);		/* page after page, 7 apart */
	set_x(s.vcpu, 6, 0);
	set_x(s.vcpu, 7, SLOT_SIZE - 4096);
	s.run = vkvm_mmap(NULL, (size_t)vkvm_ioctl(sys, KVM_GET_VCPU_MMAP_SIZE, 0),
			  PROT_READ | PROT_WRITE, MAP_SHARED, s.vcpu, 0);
	if (s.run == MAP_FAILED)
		die("kvm_run");
	store_second(vm, &s, false, &rate0, &fetch_us, &fetches);
	r.flags = KVM_MEM_LOG_DIRTY_PAGES;
	if (vkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r))
		die("logging on");
	store_second(vm, &s, true, &rate1, &fetch_us, &fetches);
	printf("dirty logging, 512 pages stored to in a loop: %.1f M stores/s without, "
	       "%.1f M stores/s with a fetch every ms (%u fetches, %.1f us each)\n",
	       rate0 / 1e6, rate1 / 1e6, fetches, fetch_us);
	vkvm_close(s.vcpu);
	vkvm_close(vm);
	munmap(mem, 2 * SLOT_SIZE);
}

int main(int argc, char **argv)
{
	unsigned int n = 32767, moves = 5000;
	int sys, opt;

	while ((opt = getopt(argc, argv, "n:m:")) != -1) {
		if (opt == 'n')
			n = (unsigned int)strtoul(optarg, NULL, 0);
		else if (opt == 'm')
			moves = (unsigned int)strtoul(optarg, NULL, 0);
		else
			return fprintf(stderr, "usage: %s [-n SLOTS] [-m MOVES]\n", argv[0]), 2;
	}
	sys = vkvm_open(0);
	if (sys < 0)
		die("vkvm_open");
	many_slots(sys, n);
	moves_while_running(sys, 1000, moves);
	dirty_log_while_running(sys);
	vkvm_close(sys);
	return 0;
}
