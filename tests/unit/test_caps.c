// SPDX-License-Identifier: GPL-2.0
/*
 * Capabilities of issue #16 item 9, as Linux 7.x KVM behaves:
 * KVM_SET_USER_MEMORY_REGION2, KVM_GET_STATS_FD (VM and vCPU),
 * KVM_CAP_ARM_SYSTEM_SUSPEND, KVM_ARM_SET_COUNTER_OFFSET and the SMCCC
 * filter (KVM_ARM_VM_SMCCC_CTRL).  Guest code is hand-assembled A64.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vkvm_test.h"

#define RAM_GPA		0x80000000ULL
#define RAM_SIZE	0x10000ULL
#define MMIO_GPA	0x0a000000ULL
#define PC_ID		CORE_REG(regs.pc, KVM_REG_SIZE_U64)
#define X(n)		CORE_REG(regs.regs[n], KVM_REG_SIZE_U64)

#define PSCI_VERSION_FN		0x84000000ULL
#define PSCI_FEATURES_FN	0x8400000aULL
#define SYSTEM_SUSPEND_FN	0xc400000eULL
#define SYSTEM_SUSPEND32_FN	0x8400000eULL

static const uint32_t code[] = {
	0xd4000002,	/* 0x00: hvc #0 */
	0xf9000120,	/* str x0, [x9] */
	0x14000000,	/* b . */
	0xd4000003,	/* 0x0c: smc #0 */
	0xf9000120,	/* str x0, [x9] */
	0x14000000,	/* b . */
	0x14000000,	/* 0x18: b . */
};

struct cvm {
	struct tvm t;
	void *ram;
};

/* A VM whose RAM slot is made with KVM_SET_USER_MEMORY_REGION2. */
static void cvm_create(struct cvm *c)
{
	struct kvm_userspace_memory_region2 mem = {
		.slot = 0, .guest_phys_addr = RAM_GPA, .memory_size = RAM_SIZE,
	};
	uint64_t v = MMIO_GPA;

	tvm_create(&c->t);
	c->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(c->ram, MAP_FAILED);
	memcpy(c->ram, code, sizeof(code));
	mem.userspace_addr = (uint64_t)(uintptr_t)c->ram;
	ck_assert_int_eq(kio(c->t.vm, KVM_SET_USER_MEMORY_REGION2, &mem), 0);
	ck_assert_int_eq(tvm_init(c->t.vcpu, F(PSCI_0_2)), 0);
	ck_assert_int_eq(set_reg(c->t.vcpu, X(9), &v), 0);
}

static void cvm_destroy(struct cvm *c)
{
	tvm_destroy(&c->t);
	munmap(c->ram, RAM_SIZE);
}

/* HVC (or SMC #0) with x0..x2; returns the exit reason, x0 in *ret. */
static uint32_t call(struct cvm *c, int smc, uint64_t fn, uint64_t a1, uint64_t a2,
		     int64_t *ret)
{
	uint64_t pc = RAM_GPA + (smc ? 0xc : 0);

	ck_assert_int_eq(set_reg(c->t.vcpu, PC_ID, &pc), 0);
	ck_assert_int_eq(set_reg(c->t.vcpu, X(0), &fn), 0);
	ck_assert_int_eq(set_reg(c->t.vcpu, X(1), &a1), 0);
	ck_assert_int_eq(set_reg(c->t.vcpu, X(2), &a2), 0);
	c->t.run->exit_reason = 0;
	ck_assert_int_eq(kio_val(c->t.vcpu, KVM_RUN, 0), 0);
	*ret = (int64_t)get_reg64(c->t.vcpu, X(0));
	return c->t.run->exit_reason;
}

static int64_t call_ok(struct cvm *c, uint64_t fn, uint64_t a1)
{
	int64_t r;

	ck_assert_int_eq(call(c, 0, fn, a1, 0, &r), KVM_EXIT_MMIO);
	return r;
}

/* ---- KVM_SET_USER_MEMORY_REGION2 ------------------------------------------ */

START_TEST(user_memory2)
{
	struct kvm_userspace_memory_region2 m2 = {
		.slot = 1, .guest_phys_addr = 0x100000000ULL, .memory_size = RAM_SIZE,
	};
	struct cvm c;
	void *more;

	cvm_create(&c);
	ck_assert_int_eq(kio_val(c.t.sys, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY2), 1);
	/* the slot made with REGION2 is the guest's RAM: it runs from it */
	ck_assert_int_eq(call_ok(&c, PSCI_VERSION_FN, 0), 0x10003);

	more = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(more, MAP_FAILED);
	m2.userspace_addr = (uint64_t)(uintptr_t)more;
	/* the guest_memfd flag wants a guest_memfd (test_gmem.c): a VM's fd is not */
	m2.flags = KVM_MEM_GUEST_MEMFD;
	m2.guest_memfd = (uint32_t)c.t.vm;
	ck_assert_int_eq(kio(c.t.vm, KVM_SET_USER_MEMORY_REGION2, &m2), -EINVAL);
	m2.guest_memfd = 0;
	m2.flags = 1u << 7;
	ck_assert_int_eq(kio(c.t.vm, KVM_SET_USER_MEMORY_REGION2, &m2), -EINVAL);
	/* the guest_memfd fields are not looked at without the flag */
	m2.flags = 0;
	m2.guest_memfd = 1234;
	m2.guest_memfd_offset = 0x1000;
	ck_assert_int_eq(kio(c.t.vm, KVM_SET_USER_MEMORY_REGION2, &m2), 0);
	/* and the first structure reaches the same slots */
	struct kvm_userspace_memory_region m1 = {
		.slot = 1, .guest_phys_addr = 0x100000000ULL, .memory_size = 0,
	};
	ck_assert_int_eq(kio(c.t.vm, KVM_SET_USER_MEMORY_REGION, &m1), 0);
	ck_assert_int_eq(kio(c.t.vm, KVM_SET_USER_MEMORY_REGION, &m1), -EINVAL);
	munmap(more, RAM_SIZE);
	cvm_destroy(&c);
}
END_TEST

/* ---- KVM_GET_STATS_FD -------------------------------------------------------- */

struct stats {
	struct kvm_stats_header h;
	char id[64];
	unsigned int n;
	char names[16][48];
	uint32_t flags[16];
	uint64_t data[16];
};

static void stats_read(int fd, struct stats *s)
{
	size_t dsize;
	char *buf;
	unsigned int i;

	ck_assert_int_eq(pread(fd, &s->h, sizeof(s->h), 0), sizeof(s->h));
	ck_assert_uint_eq(s->h.flags, 0);
	ck_assert_uint_eq(s->h.name_size, 48);
	ck_assert_uint_le(s->h.num_desc, 16);
	ck_assert_uint_eq(s->h.id_offset, sizeof(s->h));
	ck_assert_uint_eq(s->h.desc_offset, s->h.id_offset + s->h.name_size);
	s->n = s->h.num_desc;
	dsize = sizeof(struct kvm_stats_desc) + s->h.name_size;
	ck_assert_uint_eq(s->h.data_offset, s->h.desc_offset + s->n * dsize);
	memset(s->id, 0, sizeof(s->id));
	ck_assert_int_eq(pread(fd, s->id, s->h.name_size, s->h.id_offset), 48);
	buf = malloc(dsize * s->n);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(pread(fd, buf, dsize * s->n, s->h.desc_offset),
			 (ssize_t)(dsize * s->n));
	for (i = 0; i < s->n; i++) {
		struct kvm_stats_desc *d = (struct kvm_stats_desc *)(buf + i * dsize);

		/* one u64 each, packed in descriptor order */
		ck_assert_uint_eq(d->size, 1);
		ck_assert_uint_eq(d->offset, i * 8);
		s->flags[i] = d->flags;
		memcpy(s->names[i], d->name, 48);
	}
	free(buf);
	ck_assert_int_eq(pread(fd, s->data, s->n * 8, s->h.data_offset),
			 (ssize_t)(s->n * 8));
}

static uint64_t stat_of(const struct stats *s, const char *name)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name))
			return s->data[i];
	ck_abort_msg("no statistic %s", name);
	return 0;
}

START_TEST(binary_stats)
{
	struct stats vs, cs, cs2;
	struct cvm c;
	int64_t r;
	int vfd, cfd, cfd2;
	char pid[32];

	cvm_create(&c);
	ck_assert_int_eq(kio_val(c.t.sys, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD), 1);
	vfd = (int)kio_val(c.t.vm, KVM_GET_STATS_FD, 0);
	ck_assert_int_ge(vfd, 0);
	ck_assert_int_eq(fcntl(vfd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	stats_read(vfd, &vs);
	snprintf(pid, sizeof(pid), "kvm-%d", (int)getpid());
	ck_assert_str_eq(vs.id, pid);
	ck_assert_uint_eq(stat_of(&vs, "remote_tlb_flush"), 0);	/* not yet published */
	/* the stats file is read-only */
	ck_assert_int_lt(write(vfd, "x", 1), 0);

	/* one exit to userspace (the MMIO store after the HVC) */
	ck_assert_int_eq(call(&c, 0, PSCI_VERSION_FN, 0, 0, &r), KVM_EXIT_MMIO);
	cfd = (int)kio_val(c.t.vcpu, KVM_GET_STATS_FD, 0);
	ck_assert_int_ge(cfd, 0);
	stats_read(cfd, &cs);
	snprintf(pid, sizeof(pid), "kvm-%d/vcpu-0", (int)getpid());
	ck_assert_str_eq(cs.id, pid);
	ck_assert_uint_eq(stat_of(&cs, "mmio_exit_user"), 1);
	ck_assert_uint_eq(stat_of(&cs, "hvc_exit_stat"), 1);
	ck_assert_uint_ge(stat_of(&cs, "exits"), 2);
	ck_assert_uint_eq(stat_of(&cs, "blocking"), 0);
	ck_assert_uint_eq(cs.flags[2] & KVM_STATS_UNIT_MASK, KVM_STATS_UNIT_BOOLEAN);
	/* the memslot reached the engine at the first KVM_RUN */
	stats_read(vfd, &vs);
	ck_assert_uint_ge(stat_of(&vs, "remote_tlb_flush"), 1);

	/* live: the open fd sees the next exits; a second fd reads the same */
	ck_assert_int_eq(call(&c, 0, PSCI_VERSION_FN, 0, 0, &r), KVM_EXIT_MMIO);
	stats_read(cfd, &cs);
	ck_assert_uint_eq(stat_of(&cs, "mmio_exit_user"), 2);
	cfd2 = (int)kio_val(c.t.vcpu, KVM_GET_STATS_FD, 0);
	ck_assert_int_ge(cfd2, 0);
	ck_assert_int_ne(cfd2, cfd);
	stats_read(cfd2, &cs2);
	ck_assert_uint_eq(stat_of(&cs2, "hvc_exit_stat"), 2);
	close(cfd2);
	close(cfd);
	close(vfd);
	cvm_destroy(&c);
}
END_TEST

/* ---- KVM_CAP_ARM_SYSTEM_SUSPEND ------------------------------------------------ */

START_TEST(system_suspend)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_SYSTEM_SUSPEND };
	struct cvm c;
	int64_t r;

	cvm_create(&c);
	ck_assert_int_eq(kio_val(c.t.sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SYSTEM_SUSPEND), 1);
	/* not enabled: not there */
	ck_assert_int_eq(call_ok(&c, PSCI_FEATURES_FN, SYSTEM_SUSPEND_FN), -1);
	ck_assert_int_eq(call_ok(&c, SYSTEM_SUSPEND_FN, RAM_GPA), -1);

	ck_assert_int_eq(kio(c.t.vm, KVM_ENABLE_CAP, &cap), 0);
	ck_assert_int_eq(call_ok(&c, PSCI_FEATURES_FN, SYSTEM_SUSPEND_FN), 0);
	ck_assert_int_eq(call_ok(&c, PSCI_FEATURES_FN, SYSTEM_SUSPEND32_FN), 0);
	/* the exit leaves the call's registers for userspace to act on */
	ck_assert_int_eq(call(&c, 0, SYSTEM_SUSPEND_FN, RAM_GPA + 0x18, 0x1234, &r),
			 KVM_EXIT_SYSTEM_EVENT);
	ck_assert_uint_eq(c.t.run->system_event.type, KVM_SYSTEM_EVENT_SUSPEND);
	ck_assert_uint_eq(c.t.run->system_event.ndata, 0);
	ck_assert_uint_eq((uint64_t)r, SYSTEM_SUSPEND_FN);
	ck_assert_uint_eq(get_reg64(c.t.vcpu, X(1)), RAM_GPA + 0x18);
	ck_assert_uint_eq(get_reg64(c.t.vcpu, X(2)), 0x1234);
	ck_assert_uint_eq(get_reg64(c.t.vcpu, PC_ID), RAM_GPA + 4);
	/* SMC32 form: arguments narrowed to 32 bits */
	ck_assert_int_eq(call(&c, 0, SYSTEM_SUSPEND32_FN, 0xffffffff00000010ULL, 7, &r),
			 KVM_EXIT_SYSTEM_EVENT);
	ck_assert_uint_eq(get_reg64(c.t.vcpu, X(1)), 0x10);
	cvm_destroy(&c);
}
END_TEST

/* ---- KVM_ARM_SET_COUNTER_OFFSET --------------------------------------------- */

static void *run_thread(void *arg)
{
	struct cvm *c = arg;

	return (void *)(intptr_t)kio_val(c->t.vcpu, KVM_RUN, 0);
}

START_TEST(counter_offset)
{
	struct kvm_arm_counter_offset off = { .counter_offset = 0 };
	uint64_t before, cnt, pc = RAM_GPA + 0x18, v;
	struct cvm c;
	pthread_t th;
	void *res;

	cvm_create(&c);
	ck_assert_int_eq(kio_val(c.t.sys, KVM_CHECK_EXTENSION, KVM_CAP_COUNTER_OFFSET), 1);
	off.reserved = 1;
	ck_assert_int_eq(kio(c.t.vm, KVM_ARM_SET_COUNTER_OFFSET, &off), -EINVAL);
	off.reserved = 0;
	ck_assert_int_eq(kio(c.t.vm, KVM_ARM_SET_COUNTER_OFFSET, &off), 0);
	before = get_reg64(c.t.vcpu, KVM_REG_ARM_TIMER_CNT);
	/* a 2^40-tick offset moves both counters back by it */
	off.counter_offset = 1ULL << 40;
	ck_assert_int_eq(kio(c.t.vm, KVM_ARM_SET_COUNTER_OFFSET, &off), 0);
	cnt = get_reg64(c.t.vcpu, KVM_REG_ARM_TIMER_CNT);
	ck_assert_uint_lt(cnt - (before - (1ULL << 40)), 1ULL << 32);
	cnt = get_reg64(c.t.vcpu, KVM_REG_ARM_PTIMER_CNT);
	ck_assert_uint_lt(cnt - (before - (1ULL << 40)), 1ULL << 32);
	/* from now on, writes to the counters are ignored */
	v = 5;
	ck_assert_int_eq(set_reg(c.t.vcpu, KVM_REG_ARM_TIMER_CNT, &v), 0);
	ck_assert_int_eq(set_reg(c.t.vcpu, KVM_REG_ARM_PTIMER_CNT, &v), 0);
	ck_assert_uint_gt(get_reg64(c.t.vcpu, KVM_REG_ARM_TIMER_CNT), 1ULL << 20);
	ck_assert_uint_gt(get_reg64(c.t.vcpu, KVM_REG_ARM_PTIMER_CNT), 1ULL << 20);

	/* a vCPU inside KVM_RUN: EBUSY, as lock_all_vcpus() fails */
	ck_assert_int_eq(set_reg(c.t.vcpu, PC_ID, &pc), 0);
	c.t.run->immediate_exit = 0;
	ck_assert_int_eq(pthread_create(&th, NULL, run_thread, &c), 0);
	for (int i = 0; i < 1000 && kio(c.t.vm, KVM_ARM_SET_COUNTER_OFFSET, &off) == 0; i++)
		usleep(1000);
	ck_assert_int_eq(kio(c.t.vm, KVM_ARM_SET_COUNTER_OFFSET, &off), -EBUSY);
	c.t.run->immediate_exit = 1;
	pthread_join(th, &res);
	ck_assert_int_eq((intptr_t)res, -EINTR);
	c.t.run->immediate_exit = 0;
	ck_assert_int_eq(kio(c.t.vm, KVM_ARM_SET_COUNTER_OFFSET, &off), 0);
	cvm_destroy(&c);
}
END_TEST

/* ---- the SMCCC filter ------------------------------------------------------------ */

static long set_filter(struct cvm *c, uint32_t base, uint32_t nr, uint8_t action)
{
	struct kvm_smccc_filter f = { .base = base, .nr_functions = nr, .action = action };
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VM_SMCCC_CTRL, .attr = KVM_ARM_VM_SMCCC_FILTER,
		.addr = (uint64_t)(uintptr_t)&f,
	};

	return kio(c->t.vm, KVM_SET_DEVICE_ATTR, &attr);
}

START_TEST(smccc_filter)
{
	struct kvm_device_attr attr = { .group = KVM_ARM_VM_SMCCC_CTRL,
					.attr = KVM_ARM_VM_SMCCC_FILTER };
	struct kvm_smccc_filter f = { .base = 0xc6000000, .nr_functions = 1,
				      .action = KVM_SMCCC_FILTER_DENY };
	struct cvm c;
	int64_t r;

	cvm_create(&c);
	ck_assert_int_eq(kio(c.t.vm, KVM_HAS_DEVICE_ATTR, &attr), 0);
	attr.attr = 1;
	ck_assert_int_eq(kio(c.t.vm, KVM_HAS_DEVICE_ATTR, &attr), -ENXIO);
	attr.group = 1;
	attr.attr = 0;
	ck_assert_int_eq(kio(c.t.vm, KVM_HAS_DEVICE_ATTR, &attr), -ENXIO);

	/* malformed requests */
	f.pad[3] = 1;
	attr.group = KVM_ARM_VM_SMCCC_CTRL;
	attr.addr = (uint64_t)(uintptr_t)&f;
	ck_assert_int_eq(kio(c.t.vm, KVM_SET_DEVICE_ATTR, &attr), -EINVAL);
	ck_assert_int_eq(set_filter(&c, 0xc6000000, 0, KVM_SMCCC_FILTER_DENY), -EINVAL);
	ck_assert_int_eq(set_filter(&c, 0xffffffff, 2, KVM_SMCCC_FILTER_DENY), -EINVAL);
	ck_assert_int_eq(set_filter(&c, 0xc6000000, 1, 3), -EINVAL);
	/* the Arm Architecture Calls stay KVM's */
	ck_assert_int_eq(set_filter(&c, 0x80000000, 1, KVM_SMCCC_FILTER_FWD_TO_USER), -EEXIST);
	ck_assert_int_eq(set_filter(&c, 0xc000fff0, 0x20, KVM_SMCCC_FILTER_DENY), -EEXIST);

	ck_assert_int_eq(set_filter(&c, 0xc6000000, 0x10, KVM_SMCCC_FILTER_FWD_TO_USER), 0);
	ck_assert_int_eq(set_filter(&c, 0xc600000f, 1, KVM_SMCCC_FILTER_DENY), -EEXIST);
	ck_assert_int_eq(set_filter(&c, 0x84000000, 1, KVM_SMCCC_FILTER_DENY), 0);

	/* forwarded: KVM_EXIT_HYPERCALL with the function, PC past the call */
	ck_assert_int_eq(call(&c, 0, 0xc6000005, 1, 2, &r), KVM_EXIT_HYPERCALL);
	ck_assert_uint_eq(c.t.run->hypercall.nr, 0xc6000005);
	ck_assert_uint_eq(c.t.run->hypercall.flags, 0);
	ck_assert_uint_eq(get_reg64(c.t.vcpu, PC_ID), RAM_GPA + 4);
	ck_assert_int_eq(call(&c, 1, 0xc600000f, 1, 2, &r), KVM_EXIT_HYPERCALL);
	ck_assert_uint_eq(c.t.run->hypercall.flags, KVM_HYPERCALL_EXIT_SMC);
	ck_assert_uint_eq(get_reg64(c.t.vcpu, PC_ID), RAM_GPA + 0x10);
	/* denied: NOT_SUPPORTED, PSCI included; the rest as before */
	ck_assert_int_eq(call_ok(&c, PSCI_VERSION_FN, 0), -1);
	ck_assert_int_eq(call_ok(&c, 0x80000000, 0), 0x10001);
	ck_assert_int_eq(call_ok(&c, 0xc6000010, 0), -1);
	/* fixed once the VM has run */
	ck_assert_int_eq(set_filter(&c, 0xc7000000, 1, KVM_SMCCC_FILTER_DENY), -EBUSY);
	cvm_destroy(&c);
}
END_TEST

Suite *caps_suite(void)
{
	return CHECK_SUITE("caps", 20, user_memory2, binary_stats, system_suspend,
			   counter_offset, smccc_filter);
}
