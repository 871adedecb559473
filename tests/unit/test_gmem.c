// SPDX-License-Identifier: GPL-2.0
/*
 * guest_memfd as Linux 7.2 arm64 KVM has it (virt/kvm/guest_memfd.c,
 * kvm_main.c): KVM_CAP_GUEST_MEMFD(_FLAGS), KVM_CREATE_GUEST_MEMFD's sizes
 * and flags, the file's own calls (through vkvm_read() and friends, as
 * docs/abi.md says), memslots bound to it (KVM_MEM_GUEST_MEMFD) and their
 * rules, the guest's memory coming from the file, and closing it.
 */
#include <linux/falloc.h>
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vkvm_test.h"

#define RAM_GPA		0x80000000ULL
#define RAM_SIZE	0x10000ULL
#define GMEM_GPA	0x100000000ULL
#define MMIO_GPA	0x0a000000ULL
#define PC_ID		CORE_REG(regs.pc, KVM_REG_SIZE_U64)
#define X(n)		CORE_REG(regs.regs[n], KVM_REG_SIZE_U64)
#define ALL_FLAGS	(GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED)

static long page;

/* x0: an address in the guest_memfd slot; x9: MMIO; x2: a value to store */
static const uint32_t code[] = {
	0xf9400001,	/* ldr x1, [x0] */
	0xf9000121,	/* str x1, [x9]: MMIO exit with what it read */
	0xf9000002,	/* str x2, [x0] */
	0xf9400001,	/* ldr x1, [x0] */
	0xf9000121,	/* str x1, [x9] */
	0x14000000,	/* b . */
};

static long gmem_create(int vm, uint64_t size, uint64_t flags)
{
	struct kvm_create_guest_memfd g = { .size = size, .flags = flags };

	return kio(vm, KVM_CREATE_GUEST_MEMFD, &g);
}

static long bind(int vm, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size,
		 long fd, uint64_t off)
{
	struct kvm_userspace_memory_region2 m = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .guest_memfd = (uint32_t)fd,
		.guest_memfd_offset = off,
	};

	return kio(vm, KVM_SET_USER_MEMORY_REGION2, &m);
}

static void setup(void)
{
	page = sysconf(_SC_PAGESIZE);
}

START_TEST(caps)
{
	struct tvm t;

	tvm_create(&t);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD), 1);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD), 1);
	/* arm64: every guest_memfd may be mapped and may start shared */
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD_FLAGS),
			 ALL_FLAGS);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD_FLAGS),
			 ALL_FLAGS);
	tvm_destroy(&t);
}
END_TEST

START_TEST(create_sizes_and_flags)
{
	struct stat st1, st2;
	struct tvm t;
	long fd1, fd2, fd;
	uint64_t flag;

	tvm_create(&t);
	for (long size = 1; size < page; size += 97)
		ck_assert_int_eq(gmem_create(t.vm, size, 0), -EINVAL);
	ck_assert_int_eq(gmem_create(t.vm, 0, 0), -EINVAL);
	ck_assert_int_eq(gmem_create(t.vm, page + 1, 0), -EINVAL);
	/* a loff_t: negative is invalid */
	ck_assert_int_eq(gmem_create(t.vm, -(uint64_t)page, 0), -EINVAL);
	for (flag = 1; flag; flag <<= 1) {
		fd = gmem_create(t.vm, page, flag);
		if (flag & ALL_FLAGS) {
			ck_assert_int_ge(fd, 0);
			ck_assert_int_eq(vkvm_close((int)fd), 0);
		} else {
			ck_assert_int_eq(fd, -EINVAL);
		}
	}
	fd1 = gmem_create(t.vm, page, 0);
	fd2 = gmem_create(t.vm, 2 * page, ALL_FLAGS);
	ck_assert_int_ge(fd1, 0);
	ck_assert_int_ge(fd2, 0);
	ck_assert_int_eq(fstat((int)fd1, &st1), 0);
	ck_assert_int_eq(fstat((int)fd2, &st2), 0);
	ck_assert_int_eq(st1.st_size, page);
	ck_assert_int_eq(st2.st_size, 2 * page);
	ck_assert_int_eq(st1.st_blksize, page);
	ck_assert_int_ne(st1.st_ino, st2.st_ino);
	/* not close-on-exec, as KVM's (get_unused_fd_flags(0)) */
	ck_assert_int_eq(fcntl((int)fd1, F_GETFD) & FD_CLOEXEC, 0);
	/* no ioctls of its own */
	ck_assert_int_eq(kio_val((int)fd1, KVM_CHECK_EXTENSION, 0), -ENOTTY);
	ck_assert_int_eq(vkvm_close((int)fd2), 0);
	ck_assert_int_eq(vkvm_close((int)fd1), 0);
	tvm_destroy(&t);
}
END_TEST

/* KVM's file has no read, write or setattr: EINVAL, also on vkvm's other files */
START_TEST(file_calls_refused)
{
	char buf[64] = { 0 };
	struct tvm t;
	long fd;

	tvm_create(&t);
	fd = gmem_create(t.vm, 4 * page, ALL_FLAGS);
	ck_assert_int_ge(fd, 0);
	errno = 0;
	ck_assert_int_eq(vkvm_read((int)fd, buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vkvm_write((int)fd, buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vkvm_pread((int)fd, buf, sizeof(buf), 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vkvm_pwrite((int)fd, buf, sizeof(buf), 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vkvm_ftruncate((int)fd, 8 * page), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vkvm_read(t.vm, buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vkvm_write(t.vcpu, buf, sizeof(buf)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vkvm_fallocate(t.vm, FALLOC_FL_KEEP_SIZE, 0, page), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	ck_assert_int_eq(vkvm_close((int)fd), 0);
	tvm_destroy(&t);
}
END_TEST

/* ...and any other descriptor goes to the system call */
START_TEST(file_calls_pass_through)
{
	int p[2];
	char c = 'x', d = 0;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(vkvm_write(p[1], &c, 1), 1);
	ck_assert_int_eq(vkvm_read(p[0], &d, 1), 1);
	ck_assert_int_eq(d, 'x');
	close(p[0]);
	close(p[1]);
}
END_TEST

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, 1);
}

/* Does a byte read at p take SIGBUS? */
static bool read_bus(volatile uint8_t *p)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	bool bus = false;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(bus_jmp, 1))
		bus = true;
	else
		(void)*p;
	sigaction(SIGBUS, &old, NULL);
	return bus;
}

START_TEST(mmap_rules)
{
	struct tvm t;
	uint8_t *m;
	long fd;

	tvm_create(&t);
	/* without GUEST_MEMFD_FLAG_MMAP: ENODEV */
	fd = gmem_create(t.vm, 4 * page, 0);
	ck_assert_ptr_eq(vkvm_mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd, 0),
			 MAP_FAILED);
	ck_assert_int_eq(errno, ENODEV);
	ck_assert_int_eq(vkvm_close((int)fd), 0);
	/* mappable but private (no INIT_SHARED): mapped, every access SIGBUS */
	fd = gmem_create(t.vm, 4 * page, GUEST_MEMFD_FLAG_MMAP);
	ck_assert_ptr_eq(vkvm_mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, (int)fd, 0),
			 MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	m = vkvm_mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	ck_assert(read_bus(m));
	ck_assert(read_bus(m + 3 * page));
	munmap(m, 4 * page);
	ck_assert_int_eq(vkvm_close((int)fd), 0);
	/* shared: the file's pages; past its end SIGBUS; no copy-on-write */
	fd = gmem_create(t.vm, 4 * page, ALL_FLAGS);
	ck_assert_ptr_eq(vkvm_mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, (int)fd, 0),
			 MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	m = vkvm_mmap(NULL, 8 * page, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	memset(m, 0xaa, 4 * page);
	ck_assert(!read_bus(m + 4 * page - 1));
	ck_assert(read_bus(m + 4 * page));
	/* its folios are never collapsed (KVM: EINVAL); other advice as madvise(2) */
	ck_assert_int_eq(vkvm_madvise(m, 4 * page, 25 /* MADV_COLLAPSE */), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vkvm_madvise(m, 4 * page, MADV_WILLNEED), 0);
	/* PUNCH_HOLE zeroes exactly its pages */
	ck_assert_int_eq(vkvm_fallocate((int)fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE,
					0, page), 0);
	for (long i = 0; i < 4 * page; i++)
		ck_assert_uint_eq(m[i], i < page ? 0 : 0xaa);
	munmap(m, 8 * page);
	ck_assert_int_eq(vkvm_close((int)fd), 0);
	tvm_destroy(&t);
}
END_TEST

START_TEST(fallocate_rules)
{
	const int kp = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE;
	const long sz = 4 * page;
	const off_t bad[][2] = {
		{ 0, 1 }, { 0, page - 1 }, { 0, page + 1 }, { 1, 1 }, { 1, page - 1 },
		{ 1, page }, { 1, page + 1 }, { page, 1 }, { page, page - 1 },
		{ page, page + 1 },
	};
	struct tvm t;
	int fd;

	tvm_create(&t);
	fd = (int)gmem_create(t.vm, sz, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vkvm_fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, sz), 0);
	/* allocation stays within the size (the file is immutable) */
	ck_assert_int_eq(vkvm_fallocate(fd, FALLOC_FL_KEEP_SIZE, sz, page), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vkvm_fallocate(fd, FALLOC_FL_KEEP_SIZE, sz + page, page), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* a hole may be punched past it */
	ck_assert_int_eq(vkvm_fallocate(fd, kp, sz, page), 0);
	ck_assert_int_eq(vkvm_fallocate(fd, kp, sz + page, page), 0);
	ck_assert_int_eq(vkvm_fallocate(fd, kp, page, page), 0);
	ck_assert_int_eq(vkvm_fallocate(fd, FALLOC_FL_KEEP_SIZE, page, page), 0);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(vkvm_fallocate(fd, kp, bad[i][0], bad[i][1]), -1);
		ck_assert_int_eq(errno, EINVAL);
	}
	/* KEEP_SIZE is required; no other mode */
	ck_assert_int_eq(vkvm_fallocate(fd, 0, 0, page), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	ck_assert_int_eq(vkvm_fallocate(fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_ZERO_RANGE, 0, page),
			 -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	/* vfs_fallocate()'s own checks */
	ck_assert_int_eq(vkvm_fallocate(fd, kp, 0, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vkvm_fallocate(fd, kp, -page, page), -1);
	ck_assert_int_eq(errno, EINVAL);
	struct stat st;
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(st.st_size, sz);
	ck_assert_int_eq(vkvm_close(fd), 0);
	tvm_destroy(&t);
}
END_TEST

START_TEST(memslot_rules)
{
	const uint32_t G = KVM_MEM_GUEST_MEMFD;
	const long sz = 16 * page;
	struct tvm t, other;
	long fd, ofd;
	int plain;

	tvm_create(&t);
	tvm_create(&other);
	fd = gmem_create(t.vm, sz, 0);
	ofd = gmem_create(other.vm, sz, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(ofd, 0);
	/* flags: neither dirty logging nor read-only with it; not through v1 */
	ck_assert_int_eq(bind(t.vm, 1, G | KVM_MEM_LOG_DIRTY_PAGES, GMEM_GPA, page, fd, 0),
			 -EINVAL);
	ck_assert_int_eq(bind(t.vm, 1, G | KVM_MEM_READONLY, GMEM_GPA, page, fd, 0), -EINVAL);
	struct kvm_userspace_memory_region v1 = {
		.slot = 1, .flags = G, .guest_phys_addr = GMEM_GPA, .memory_size = page,
	};
	ck_assert_int_eq(kio(t.vm, KVM_SET_USER_MEMORY_REGION, &v1), -EINVAL);
	/* the offset: aligned, no wrap, within the file */
	ck_assert_int_eq(bind(t.vm, 1, G, GMEM_GPA, page, fd, 1), -EINVAL);
	ck_assert_int_eq(bind(t.vm, 1, G, GMEM_GPA, 2 * page, fd, -(uint64_t)page), -EINVAL);
	ck_assert_int_eq(bind(t.vm, 1, G, GMEM_GPA, page, fd, sz), -EINVAL);
	ck_assert_int_eq(bind(t.vm, 1, G, GMEM_GPA, 2 * page, fd, sz - page), -EINVAL);
	/* the descriptor: one, a guest_memfd, this VM's */
	ck_assert_int_eq(bind(t.vm, 1, G, GMEM_GPA, page, 100000, 0), -EBADF);
	ck_assert_int_eq(bind(t.vm, 1, G, GMEM_GPA, page, t.vm, 0), -EINVAL);
	plain = memfd_create("plain", MFD_CLOEXEC);
	ck_assert_int_ge(plain, 0);
	ck_assert_int_eq(ftruncate(plain, sz), 0);
	ck_assert_int_eq(bind(t.vm, 1, G, GMEM_GPA, page, plain, 0), -EINVAL);
	close(plain);
	ck_assert_int_eq(bind(t.vm, 1, G, GMEM_GPA, page, ofd, 0), -EINVAL);
	/* two slots on one file: disjoint ranges only */
	ck_assert_int_eq(bind(t.vm, 1, G, GMEM_GPA, 4 * page, fd, 0), 0);
	ck_assert_int_eq(bind(t.vm, 2, G, GMEM_GPA + sz, 4 * page, fd, 3 * page), -EINVAL);
	ck_assert_int_eq(bind(t.vm, 2, G, GMEM_GPA + sz, 4 * page, fd, 4 * page), 0);
	/* guest addresses still may not overlap */
	ck_assert_int_eq(bind(t.vm, 3, G, GMEM_GPA + page, page, fd, 8 * page), -EEXIST);
	/* immutable: neither moved nor changed, only deleted */
	ck_assert_int_eq(bind(t.vm, 1, G, GMEM_GPA + 2 * sz, 4 * page, fd, 0), -EINVAL);
	ck_assert_int_eq(bind(t.vm, 1, 0, GMEM_GPA + 2 * sz, 4 * page, 0, 0), -EINVAL);
	ck_assert_int_eq(bind(t.vm, 1, 0, GMEM_GPA, 0, 0, 0), 0);
	/* its range is free again */
	ck_assert_int_eq(bind(t.vm, 3, G, GMEM_GPA, 4 * page, fd, 0), 0);
	ck_assert_int_eq(vkvm_close((int)ofd), 0);
	ck_assert_int_eq(vkvm_close((int)fd), 0);
	tvm_destroy(&other);
	tvm_destroy(&t);
}
END_TEST

/* Run to the next MMIO exit; the value stored. */
static uint64_t run_mmio(struct tvm *t)
{
	uint64_t v;

	ck_assert_int_eq(kio_val(t->vcpu, KVM_RUN, 0), 0);
	ck_assert_uint_eq(t->run->exit_reason, KVM_EXIT_MMIO);
	ck_assert_uint_eq(t->run->mmio.phys_addr, MMIO_GPA);
	memcpy(&v, t->run->mmio.data, sizeof(v));
	return v;
}

/* Complete the pending MMIO store (immediate_exit), then back to the start. */
static void rewind_guest(struct tvm *t)
{
	uint64_t pc = RAM_GPA;

	t->run->immediate_exit = 1;
	ck_assert_int_eq(kio_val(t->vcpu, KVM_RUN, 0), -EINTR);
	t->run->immediate_exit = 0;
	ck_assert_int_eq(set_reg(t->vcpu, PC_ID, &pc), 0);
}

static void guest_setup(struct tvm *t, void **ram, uint64_t addr, uint64_t val)
{
	uint64_t pc = RAM_GPA, mmio = MMIO_GPA;

	tvm_create_init(t, 0);
	*ram = tvm_add_ram(t, RAM_GPA, RAM_SIZE, code, sizeof(code));
	ck_assert_int_eq(set_reg(t->vcpu, PC_ID, &pc), 0);
	ck_assert_int_eq(set_reg(t->vcpu, X(0), &addr), 0);
	ck_assert_int_eq(set_reg(t->vcpu, X(2), &val), 0);
	ck_assert_int_eq(set_reg(t->vcpu, X(9), &mmio), 0);
}

/* The guest's memory of the slot is the file's, at the slot's offset. */
START_TEST(guest_memory_is_the_files)
{
	const uint64_t val = 0x1122334455667788ULL;
	uint64_t *m, old = 0xaaaaaaaaaaaaaaaaULL;
	struct tvm t;
	void *ram;
	long fd;

	guest_setup(&t, &ram, GMEM_GPA + 8, val);
	fd = gmem_create(t.vm, 8 * page, ALL_FLAGS);
	ck_assert_int_ge(fd, 0);
	m = vkvm_mmap(NULL, 8 * page, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	memset(m, 0xaa, 8 * page);
	m[2 * page / 8 + 1] = 0x5555;
	ck_assert_int_eq(bind(t.vm, 1, KVM_MEM_GUEST_MEMFD, GMEM_GPA, 2 * page, fd, 2 * page),
			 0);
	ck_assert_uint_eq(run_mmio(&t), 0x5555);
	ck_assert_uint_eq(run_mmio(&t), val);
	ck_assert_uint_eq(m[2 * page / 8 + 1], val);
	ck_assert_uint_eq(m[1], old);
	/* a punched hole reads zero in the guest too */
	ck_assert_int_eq(vkvm_fallocate((int)fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE,
					2 * page, page), 0);
	rewind_guest(&t);
	ck_assert_uint_eq(run_mmio(&t), 0);
	ck_assert_uint_eq(run_mmio(&t), val);
	/* without a mapping of its own (no FLAG_MMAP) the guest sees it all the same */
	munmap(m, 8 * page);
	ck_assert_int_eq(vkvm_close((int)fd), 0);
	tvm_destroy(&t);
	munmap(ram, RAM_SIZE);
}
END_TEST

START_TEST(guest_memory_unmappable_file)
{
	struct tvm t;
	void *ram;
	long fd;

	guest_setup(&t, &ram, GMEM_GPA, 77);
	fd = gmem_create(t.vm, page, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(t.vm, 1, KVM_MEM_GUEST_MEMFD, GMEM_GPA, page, fd, 0), 0);
	ck_assert_uint_eq(run_mmio(&t), 0);		/* a new file reads zero */
	ck_assert_uint_eq(run_mmio(&t), 77);
	ck_assert_int_eq(vkvm_close((int)fd), 0);
	tvm_destroy(&t);
	munmap(ram, RAM_SIZE);
}
END_TEST

/*
 * The file pins the VM, not the reverse: closed (its last descriptor and
 * mapping gone), its slots stay without memory and a guest access ends
 * KVM_RUN with EFAULT; deleting the slot is the way out.  A mapping keeps
 * the file, as a KVM file's mapping does.
 */
START_TEST(closing_the_file)
{
	struct tvm t;
	uint8_t *m;
	void *ram;
	long fd;

	guest_setup(&t, &ram, GMEM_GPA, 5);
	fd = gmem_create(t.vm, page, ALL_FLAGS);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(t.vm, 1, KVM_MEM_GUEST_MEMFD, GMEM_GPA, page, fd, 0), 0);
	m = vkvm_mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	m[0] = 9;
	/* closed, but mapped: still the file */
	ck_assert_int_eq(vkvm_close((int)fd), 0);
	ck_assert_uint_eq(run_mmio(&t), 9);
	ck_assert_uint_eq(run_mmio(&t), 5);
	ck_assert_uint_eq(m[0], 5);
	munmap(m, page);
	/* the orphan is found gone within a few vkvm calls (docs/abi.md) */
	for (int i = 0; i < 4; i++) {
		long f = gmem_create(t.vm, page, 0);

		ck_assert_int_ge(f, 0);
		ck_assert_int_eq(vkvm_close((int)f), 0);
	}
	rewind_guest(&t);
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), -EFAULT);
	/* the slot goes; its address is no memory now: an MMIO exit */
	ck_assert_int_eq(bind(t.vm, 1, 0, GMEM_GPA, 0, 0, 0), 0);
	ck_assert_int_eq(kio_val(t.vcpu, KVM_RUN, 0), 0);
	ck_assert_uint_eq(t.run->exit_reason, KVM_EXIT_MMIO);
	ck_assert_uint_eq(t.run->mmio.phys_addr, GMEM_GPA);
	tvm_destroy(&t);
	munmap(ram, RAM_SIZE);
}
END_TEST

/* Closed while the VM goes: nothing leaks or crashes (ASan's part). */
START_TEST(vm_closed_first)
{
	struct tvm t;
	void *ram;
	long fd;

	guest_setup(&t, &ram, GMEM_GPA, 1);
	fd = gmem_create(t.vm, 2 * page, ALL_FLAGS);
	ck_assert_int_eq(bind(t.vm, 1, KVM_MEM_GUEST_MEMFD, GMEM_GPA, page, fd, page), 0);
	tvm_destroy(&t);
	/* the file keeps the VM; its size and calls still answer */
	ck_assert_int_eq(vkvm_fallocate((int)fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE,
					0, page), 0);
	ck_assert_int_eq(vkvm_close((int)fd), 0);
	munmap(ram, RAM_SIZE);
}
END_TEST

Suite *gmem_suite(void)
{
	return check_suite("gmem", 30, setup, NULL, (const TTest *const[]){
		caps, create_sizes_and_flags, file_calls_refused,
		file_calls_pass_through, mmap_rules, fallocate_rules, memslot_rules,
		guest_memory_is_the_files, guest_memory_unmappable_file,
		closing_the_file, vm_closed_first, NULL });
}
