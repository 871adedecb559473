// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_CAP_COALESCED_MMIO: the capability's answer (the ring's page offset),
 * the zone ioctls' errors, writes appended to the ring without an exit,
 * the ring-full fallback to KVM_EXIT_MMIO (one entry always free, `last`
 * out of range), reads and partial writes never coalesced, unregistration,
 * and the ring shared by every vCPU's mapping (virt/kvm/coalesced_mmio.c).
 */
#include <sys/mman.h>
#include <unistd.h>

#include "vkvm_test.h"

#define RAM_GPA		0x80000000ULL
#define ZONE_GPA	0x0a000000ULL
#define PC_ID		CORE_REG(regs.pc, KVM_REG_SIZE_U64)
#define X(n)		CORE_REG(regs.regs[n], KVM_REG_SIZE_U64)

static const uint32_t guest[] = {
	0xf9000020,	/* 0x00 str  x0, [x1] */
	0x91000400,	/* 0x04 add  x0, x0, #1 */
	0x17fffffe,	/* 0x08 b    0x00 */
	0xf9400023,	/* 0x0c ldr  x3, [x1] */
};

struct ctvm {
	struct tvm t;
	void *ram;
	struct kvm_coalesced_mmio_ring *ring;
	uint32_t max;
};

static void ctvm_create(struct ctvm *c, uint64_t pc)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t v;

	tvm_create(&c->t);
	c->ram = tvm_add_ram(&c->t, RAM_GPA, 0x10000, guest, sizeof(guest));
	ck_assert_int_eq(tvm_init(c->t.vcpu, 0), 0);
	v = RAM_GPA + pc;
	ck_assert_int_eq(set_reg(c->t.vcpu, PC_ID, &v), 0);
	v = ZONE_GPA;
	ck_assert_int_eq(set_reg(c->t.vcpu, X(1), &v), 0);
	c->ring = (void *)((char *)c->t.run +
			   kio_val(c->t.sys, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO) * pg);
	c->max = (uint32_t)((pg - sizeof(*c->ring)) / sizeof(c->ring->coalesced_mmio[0]));
}

static void ctvm_destroy(struct ctvm *c)
{
	long size = kio_val(c->t.sys, KVM_GET_VCPU_MMAP_SIZE, 0);

	munmap(c->t.run, (size_t)size);
	tvm_destroy(&c->t);
	munmap(c->ram, 0x10000);
}

static long zone(struct ctvm *c, unsigned long req, uint64_t addr, uint32_t size,
		 uint32_t pio)
{
	struct kvm_coalesced_mmio_zone z = { .addr = addr, .size = size, .pio = pio };

	return kio(c->t.vm, req, &z);
}

static void run_mmio(struct ctvm *c, int is_write, uint32_t len)
{
	ck_assert_int_eq(kio_val(c->t.vcpu, KVM_RUN, 0), 0);
	ck_assert_uint_eq(c->t.run->exit_reason, KVM_EXIT_MMIO);
	ck_assert_uint_eq(c->t.run->mmio.phys_addr, ZONE_GPA);
	ck_assert_uint_eq(c->t.run->mmio.is_write, is_write);
	ck_assert_uint_eq(c->t.run->mmio.len, len);
}

static uint64_t mmio_data(struct ctvm *c)
{
	uint64_t d;

	memcpy(&d, c->t.run->mmio.data, sizeof(d));
	return d;
}

START_TEST(cap_answers_page_offset)
{
	struct tvm t;
	long pg = sysconf(_SC_PAGESIZE);

	tvm_create(&t);
	ck_assert_int_eq(kio_val(t.sys, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO),
			 KVM_COALESCED_MMIO_PAGE_OFFSET);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO),
			 KVM_COALESCED_MMIO_PAGE_OFFSET);
	ck_assert_int_eq(kio_val(t.vm, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_PIO), 1);
	/* kvm_run, then the ring page */
	ck_assert_int_eq(kio_val(t.sys, KVM_GET_VCPU_MMAP_SIZE, 0),
			 (KVM_COALESCED_MMIO_PAGE_OFFSET + 1) * pg);
	tvm_destroy(&t);
}
END_TEST

START_TEST(zone_ioctl_errors)
{
	struct ctvm c;

	ctvm_create(&c, 0);
	/* pio is 0 or 1 (kvm_vm_ioctl_register_coalesced_mmio) */
	ck_assert_int_eq(zone(&c, KVM_REGISTER_COALESCED_MMIO, ZONE_GPA, 8, 2), -EINVAL);
	ck_assert_int_eq(zone(&c, KVM_UNREGISTER_COALESCED_MMIO, ZONE_GPA, 8, 2), -EINVAL);
	ck_assert_int_eq(kio(c.t.vm, KVM_REGISTER_COALESCED_MMIO, NULL), -EFAULT);
	ck_assert_int_eq(kio(c.t.vm, KVM_UNREGISTER_COALESCED_MMIO, NULL), -EFAULT);
	/* nothing to unregister is not an error */
	ck_assert_int_eq(zone(&c, KVM_UNREGISTER_COALESCED_MMIO, ZONE_GPA, 8, 0), 0);
	/* arm64 has no port I/O, but KVM keeps a PIO zone all the same */
	ck_assert_int_eq(zone(&c, KVM_REGISTER_COALESCED_MMIO, 0x80, 8, 1), 0);
	ck_assert_int_eq(zone(&c, KVM_UNREGISTER_COALESCED_MMIO, 0x80, 8, 1), 0);
	/* a vCPU descriptor does not take them */
	ck_assert_int_eq(kio(c.t.vcpu, KVM_REGISTER_COALESCED_MMIO, &(struct kvm_coalesced_mmio_zone){
		.addr = ZONE_GPA, .size = 8 }), -EINVAL);
	ctvm_destroy(&c);
}
END_TEST

/* max - 1 stores land in the ring; the one that would fill it exits. */
START_TEST(ring_fills_then_exits)
{
	struct ctvm c;
	uint32_t i, start;

	ctvm_create(&c, 0);
	ck_assert_uint_eq(c.max, (sysconf(_SC_PAGESIZE) - 8) / 24);
	ck_assert_int_eq(zone(&c, KVM_REGISTER_COALESCED_MMIO, ZONE_GPA, 8, 0), 0);
	for (start = 0; start < c.max; start += c.max / 3 + 1) {
		/* the previous exit's store completes first (PC + 4: the add) */
		uint64_t x0 = start ? ~0ULL : 0, pc = RAM_GPA;

		ck_assert_int_eq(set_reg(c.t.vcpu, X(0), &x0), 0);
		ck_assert_int_eq(set_reg(c.t.vcpu, PC_ID, &pc), 0);
		c.ring->first = start;
		c.ring->last = start;
		run_mmio(&c, 1, 8);
		/* the store that found the ring full (max - 1 entries) */
		ck_assert_uint_eq(mmio_data(&c), c.max - 1);
		ck_assert_uint_eq((c.ring->last + 1) % c.max, c.ring->first);
		ck_assert_uint_eq(c.ring->first, start);
		for (i = 0; i < c.max - 1; i++) {
			struct kvm_coalesced_mmio *e = &c.ring->coalesced_mmio[(start + i) % c.max];
			uint64_t d;

			memcpy(&d, e->data, sizeof(d));
			ck_assert_uint_eq(e->phys_addr, ZONE_GPA);
			ck_assert_uint_eq(e->len, 8);
			ck_assert_uint_eq(e->pio, 0);
			ck_assert_uint_eq(d, i);
		}
	}
	ctvm_destroy(&c);
}
END_TEST

/* Draining the ring makes room again; `last` out of range counts as full. */
START_TEST(ring_drain_and_bad_last)
{
	struct ctvm c;

	ctvm_create(&c, 0);
	ck_assert_int_eq(zone(&c, KVM_REGISTER_COALESCED_MMIO, ZONE_GPA, 8, 0), 0);
	c.ring->first = c.ring->last = 5;
	run_mmio(&c, 1, 8);
	ck_assert_uint_eq(mmio_data(&c), c.max - 1);
	ck_assert_uint_eq(c.ring->last, 4);
	/* consume all: the completed exit's store then max - 1 more */
	c.ring->first = c.ring->last;
	run_mmio(&c, 1, 8);
	ck_assert_uint_eq(mmio_data(&c), 2 * (c.max - 1) + 1);
	/* userspace wrote `last` out of range: no entry, an exit */
	c.ring->first = 0;
	c.ring->last = c.max;
	run_mmio(&c, 1, 8);
	ck_assert_uint_eq(mmio_data(&c), 2 * (c.max - 1) + 2);
	ck_assert_uint_eq(c.ring->last, c.max);
	ctvm_destroy(&c);
}
END_TEST

/* Reads, writes that leave the zone, and unregistered zones exit. */
START_TEST(not_coalesced)
{
	struct ctvm c;

	ctvm_create(&c, 0x0c);
	ck_assert_int_eq(zone(&c, KVM_REGISTER_COALESCED_MMIO, ZONE_GPA, 8, 0), 0);
	c.ring->first = c.ring->last = 0;
	run_mmio(&c, 0, 8);		/* ldr x3: never coalesced */
	ck_assert_uint_eq(c.ring->last, 0);
	ctvm_destroy(&c);

	ctvm_create(&c, 0);		/* str x0: 8 bytes into a 4-byte zone */
	ck_assert_int_eq(zone(&c, KVM_REGISTER_COALESCED_MMIO, ZONE_GPA, 4, 0), 0);
	c.ring->first = c.ring->last = 0;
	run_mmio(&c, 1, 8);
	ck_assert_uint_eq(c.ring->last, 0);
	/* a zone containing the access coalesces it */
	ck_assert_int_eq(zone(&c, KVM_REGISTER_COALESCED_MMIO, ZONE_GPA, 0x1000, 0), 0);
	run_mmio(&c, 1, 8);
	ck_assert_uint_eq(c.ring->last, c.max - 1);
	/* unregistering removes the zones that contain the range given, of
	 * the same kind (coalesced_mmio_in_range): not these two */
	ck_assert_int_eq(zone(&c, KVM_UNREGISTER_COALESCED_MMIO, ZONE_GPA, 0x2000, 0), 0);
	ck_assert_int_eq(zone(&c, KVM_UNREGISTER_COALESCED_MMIO, ZONE_GPA, 0x1000, 1), 0);
	c.ring->first = c.ring->last = 0;
	run_mmio(&c, 1, 8);
	ck_assert_uint_eq(c.ring->last, c.max - 1);
	/* ...but this one, inside the zone */
	ck_assert_int_eq(zone(&c, KVM_UNREGISTER_COALESCED_MMIO, ZONE_GPA + 0x10, 8, 0), 0);
	c.ring->first = c.ring->last = 0;
	run_mmio(&c, 1, 8);
	ck_assert_uint_eq(c.ring->last, 0);
	ctvm_destroy(&c);
}
END_TEST

/* One ring per VM: every vCPU's mapping shows it, as KVM's fault handler does. */
START_TEST(ring_shared_by_vcpus)
{
	struct ctvm c;
	long size;
	int vcpu1;
	struct kvm_run *run1;
	struct kvm_coalesced_mmio_ring *ring1;

	ctvm_create(&c, 0);
	size = kio_val(c.t.sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	vcpu1 = (int)kio_val(c.t.vm, KVM_CREATE_VCPU, 1);
	ck_assert_int_ge(vcpu1, 0);
	run1 = vkvm_mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu1, 0);
	ck_assert_ptr_ne(run1, MAP_FAILED);
	ring1 = (void *)((char *)run1 + sysconf(_SC_PAGESIZE));
	ck_assert_int_eq(zone(&c, KVM_REGISTER_COALESCED_MMIO, ZONE_GPA, 8, 0), 0);
	c.ring->first = c.ring->last = 7;
	run_mmio(&c, 1, 8);
	ck_assert_uint_eq(ring1->first, 7);
	ck_assert_uint_eq(ring1->last, 6);
	ck_assert_uint_eq(ring1->coalesced_mmio[7].phys_addr, ZONE_GPA);
	/* the ring page alone, from its own offset, is the same page too */
	ring1 = vkvm_mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED,
			  vcpu1, sysconf(_SC_PAGESIZE));
	ck_assert_ptr_ne(ring1, MAP_FAILED);
	ck_assert_uint_eq(ring1->last, 6);
	c.ring->last = 9;
	ck_assert_uint_eq(ring1->last, 9);
	munmap(ring1, (size_t)sysconf(_SC_PAGESIZE));
	munmap(run1, (size_t)size);
	vkvm_close(vcpu1);
	ctvm_destroy(&c);
}
END_TEST

Suite *coalesced_suite(void)
{
	return CHECK_SUITE("coalesced", 20, cap_answers_page_offset, zone_ioctl_errors,
			   ring_fills_then_exits, ring_drain_and_bad_last, not_coalesced,
			   ring_shared_by_vcpus);
}
