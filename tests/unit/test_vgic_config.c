// SPDX-License-Identifier: GPL-2.0
/*
 * The vGIC's configuration rules as Linux's vgic_init and irqfd_test
 * selftests check them: a redistributor region that collides with the
 * distributor, frames that overlap only once every vCPU exists, and one
 * eventfd bound as an irqfd at most once in the process (KVM >= 6.16:
 * EBUSY in the same VM or another).
 */
#include <dirent.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "vkvm_test.h"

#define NR_VCPUS	4

struct gvm {
	int vm, gic, vcpu[NR_VCPUS];
	int nr;
};

static long gic_attr(int gic, unsigned long req, uint32_t group, uint64_t a, void *val)
{
	struct kvm_device_attr at = { .group = group, .attr = a,
				      .addr = (uint64_t)(uintptr_t)val };

	return kio(gic, req, &at);
}

static long set_addr(int gic, uint64_t type, uint64_t addr)
{
	return gic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR, type, &addr);
}

static long get_addr(int gic, uint64_t type, uint64_t *addr)
{
	return gic_attr(gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR, type, addr);
}

/* KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION's value */
static uint64_t region(uint64_t base, uint64_t count, uint64_t index)
{
	return base | (count << 52) | index;
}

static void gvm_add_vcpu(struct gvm *g)
{
	long fd = kio_val(g->vm, KVM_CREATE_VCPU, (unsigned long)g->nr);

	ck_assert_int_ge(fd, 0);
	g->vcpu[g->nr++] = (int)fd;
}

/* A VM with @nr_vcpus vCPUs (initialized) and a GICv3 device. */
static void gvm_create(struct gvm *g, int sys, int nr_vcpus)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };

	memset(g, 0, sizeof(*g));
	g->vm = (int)kio_val(sys, KVM_CREATE_VM, 0);
	ck_assert_int_ge(g->vm, 0);
	while (g->nr < nr_vcpus)
		gvm_add_vcpu(g);
	ck_assert_int_eq(kio(g->vm, KVM_CREATE_DEVICE, &cd), 0);
	g->gic = (int)cd.fd;
}

static void gvm_destroy(struct gvm *g)
{
	int i;

	for (i = 0; i < g->nr; i++)
		vkvm_close(g->vcpu[i]);
	vkvm_close(g->gic);
	vkvm_close(g->vm);
}

static long vcpu_init_and_run(int vcpu)
{
	long r = tvm_init(vcpu, 0);

	return r ? r : kio_val(vcpu, KVM_RUN, 0);
}

/*
 * A REDIST_REGION that the next vCPU would take, over the distributor:
 * EINVAL (KVM: registering that vCPU's redistributor fails the overlap
 * check, and the region is dropped again), and the index stays free.
 */
START_TEST(redist_region_colliding_with_dist)
{
	int sys = vkvm_open(O_RDWR);
	struct gvm g;
	uint64_t v;

	gvm_create(&g, sys, NR_VCPUS);
	ck_assert_int_eq(set_addr(g.gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
				  region(0x200000, 2, 0)), 0);
	ck_assert_int_eq(set_addr(g.gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
				  region(0x240000, 1, 1)), 0);
	ck_assert_int_eq(set_addr(g.gic, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x260000), 0);
	ck_assert_int_eq(set_addr(g.gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
				  region(0x260000, 1, 2)), -EINVAL);
	v = region(0, 0, 2);
	ck_assert_int_eq(get_addr(g.gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &v), -ENOENT);
	/* overlapping another region is refused before any vCPU is asked */
	ck_assert_int_eq(set_addr(g.gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
				  region(0x210000, 1, 2)), -EINVAL);
	ck_assert_int_eq(set_addr(g.gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION,
				  region(0x280000, 1, 2)), 0);
	v = region(0, 0, 2);
	ck_assert_int_eq(get_addr(g.gic, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &v), 0);
	ck_assert_uint_eq(v, region(0x280000, 1, 2));
	gvm_destroy(&g);
	vkvm_close(sys);
}
END_TEST

/*
 * The legacy REDIST frame grows with the vCPUs: one at 0 and the
 * distributor at 0x70000 do not overlap until the fourth vCPU exists.
 * Creating the vCPUs succeeds; the first KVM_RUN finds the overlap
 * (EINVAL), before or after the vCPUs (vgic_then_vcpus, vcpus_then_vgic).
 */
START_TEST(dist_over_legacy_redist_found_at_first_run)
{
	int sys = vkvm_open(O_RDWR), order;
	struct gvm g;

	for (order = 0; order < 2; order++) {
		gvm_create(&g, sys, order ? NR_VCPUS : 1);
		ck_assert_int_eq(set_addr(g.gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0), 0);
		ck_assert_int_eq(set_addr(g.gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0xe0000),
				 -EEXIST);
		ck_assert_int_eq(set_addr(g.gic, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x70000), 0);
		while (g.nr < NR_VCPUS)
			gvm_add_vcpu(&g);
		ck_assert_int_eq(vcpu_init_and_run(g.vcpu[3]), -EINVAL);
		gvm_destroy(&g);
	}
	vkvm_close(sys);
}
END_TEST

static long irqfd(int vm, uint32_t gsi, int fd, uint32_t flags)
{
	struct kvm_irqfd a = { .fd = (uint32_t)fd, .gsi = gsi, .flags = flags };

	return kio(vm, KVM_IRQFD, &a);
}

/*
 * Linux's irqfd_test: an eventfd may back one irqfd in the whole process,
 * in whichever VM; deassigning one that is not bound is not an error; a
 * VM's end frees its eventfds for others.
 */
START_TEST(one_eventfd_one_irqfd_across_vms)
{
	int sys = vkvm_open(O_RDWR), efd = eventfd(0, EFD_CLOEXEC), dup_efd;
	struct gvm g1, g2;

	ck_assert_int_ge(efd, 0);
	gvm_create(&g1, sys, 1);
	gvm_create(&g2, sys, 1);
	ck_assert_int_eq(irqfd(g1.vm, 10, efd, 0), 0);
	ck_assert_int_eq(irqfd(g1.vm, 11, efd, 0), -EBUSY);
	ck_assert_int_eq(irqfd(g2.vm, 12, efd, 0), -EBUSY);
	dup_efd = dup(efd);
	ck_assert_int_eq(irqfd(g2.vm, 12, dup_efd, 0), -EBUSY);
	close(dup_efd);

	ck_assert_int_eq(irqfd(g1.vm, 11, efd, KVM_IRQFD_FLAG_DEASSIGN), 0);
	ck_assert_int_eq(irqfd(g2.vm, 12, efd, KVM_IRQFD_FLAG_DEASSIGN), 0);
	ck_assert_int_eq(irqfd(g1.vm, 10, efd, KVM_IRQFD_FLAG_DEASSIGN), 0);
	ck_assert_int_eq(irqfd(g2.vm, 12, efd, 0), 0);
	ck_assert_int_eq(irqfd(g1.vm, 10, efd, 0), -EBUSY);

	/* the VM's end unbinds it */
	gvm_destroy(&g2);
	ck_assert_int_eq(irqfd(g1.vm, 10, efd, 0), 0);
	gvm_destroy(&g1);
	close(efd);
	vkvm_close(sys);
}
END_TEST

/* The process's open descriptors, once the irqfd pollers let go of theirs. */
static int open_fds(int at_most)
{
	int n = 0, tries;
	struct dirent *d;

	for (tries = 0; tries < 100; tries++) {
		DIR *dir = opendir("/proc/self/fd");

		ck_assert_ptr_nonnull(dir);
		for (n = 0; (d = readdir(dir)); )
			n += d->d_name[0] != '.';
		closedir(dir);
		if (n <= at_most)
			break;
		usleep(10000);	/* the poller closes what it dropped */
	}
	return n;
}

/*
 * Linux's irqfd_test closes each eventfd while an irqfd still holds it
 * (its juggler deassigns another GSI than it assigned): KVM lets such an
 * irqfd go at the close (EPOLLHUP), so its 10,000 rounds hold nothing.
 * vkvm's duplicate of the eventfd goes at the VM's next KVM_IRQFD: the
 * process's descriptors do not grow, while an eventfd still open stays
 * bound (EBUSY).
 */
START_TEST(irqfd_of_a_closed_eventfd_lets_go)
{
	int sys = vkvm_open(O_RDWR), efd, before, after, i;
	struct gvm g1, g2;

	gvm_create(&g1, sys, 1);
	gvm_create(&g2, sys, 1);
	for (i = 0; i < 2; i++) {	/* both VMs' pollers exist */
		efd = eventfd(0, EFD_CLOEXEC);
		ck_assert_int_eq(irqfd(i ? g2.vm : g1.vm, 0x30, efd, 0), 0);
		ck_assert_int_eq(irqfd(i ? g2.vm : g1.vm, 0x30, efd, KVM_IRQFD_FLAG_DEASSIGN), 0);
		close(efd);
	}
	before = open_fds(1 << 20);
	for (i = 0; i < 400; i++) {
		int a = i & 1 ? g2.vm : g1.vm, b = i & 1 ? g1.vm : g2.vm;

		efd = eventfd(0, EFD_CLOEXEC);
		ck_assert_int_ge(efd, 0);
		ck_assert_int_eq(irqfd(a, 0x30, efd, 0), 0);
		ck_assert_int_eq(irqfd(b, 0x31, efd, 0), -EBUSY);
		ck_assert_int_eq(irqfd(a, 0x31, efd, KVM_IRQFD_FLAG_DEASSIGN), 0);
		close(efd);	/* with the irqfd on GSI 0x30 */
	}
	/* the last two VMs' irqfds wait for their VM's next KVM_IRQFD */
	after = open_fds(before + 2);
	ck_assert_msg(after <= before + 2, "%d descriptors before, %d after 400 rounds",
		      before, after);
	gvm_destroy(&g1);
	gvm_destroy(&g2);
	vkvm_close(sys);
}
END_TEST

/* a DIST_REGS/REDIST_REGS attribute: the vCPU's affinity in bits [63:32] */
static long rd_attr(int gic, unsigned long req, uint32_t group, uint64_t aff,
		    uint32_t off, uint32_t *v)
{
	return gic_attr(gic, req, group, aff << 32 | off, v);
}

/*
 * GICv3 DIST_REGS/REDIST_REGS as Linux's vgic_init and vgic_irq selftests use
 * them: EINVAL without the vCPU, EBUSY before INIT, GICR_TYPER per vCPU,
 * ISPENDR/ICPENDR set and clear the latch, ENXIO off the register map.
 */
START_TEST(v3_dist_redist_regs)
{
	int sys = vkvm_open(O_RDWR);
	uint32_t v = 0, init = 0;
	struct gvm g;
	int i;

	gvm_create(&g, sys, 2);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				 5, 0x8, &v), -EINVAL);
	for (i = 0; i < g.nr; i++)
		ck_assert_int_eq(tvm_init(g.vcpu[i], 0), 0);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				 1, 0x8, &v), -EBUSY);
	ck_assert_int_eq(gic_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
				  KVM_DEV_ARM_VGIC_CTRL_INIT, &init), 0);

	/* GICR_TYPER: Processor_Number 1, affinity 1; read-only */
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				 1, 0x8, &v), 0);
	ck_assert_uint_eq(v & 0xffff00, 0x100);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				 1, 0xc, &v), 0);
	ck_assert_uint_eq(v, 1);
	v = 0;
	ck_assert_int_eq(rd_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				 1, 0x8, &v), 0);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				 1, 0x8, &v), 0);
	ck_assert_uint_eq(v & 0xffff00, 0x100);

	/* GICD_ISPENDR1 bit 3 (SPI 35) sets the latch, GICD_ICPENDR1 clears it */
	v = 1u << 3;
	ck_assert_int_eq(rd_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0x204, &v), 0);
	v = 0;
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0x204, &v), 0);
	ck_assert_uint_eq(v, 1u << 3);
	v = 1u << 3;
	ck_assert_int_eq(rd_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0x284, &v), 0);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0x204, &v), 0);
	ck_assert_uint_eq(v, 0);

	/* GICR_ISENABLER0 is per vCPU */
	v = 1u << 16;
	ck_assert_int_eq(rd_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				 1, 0x10100, &v), 0);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				 1, 0x10100, &v), 0);
	ck_assert_uint_eq(v & (1u << 16), 1u << 16);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				 0, 0x10100, &v), 0);
	ck_assert_uint_eq(v & (1u << 16), 0);

	/* LEVEL_INFO: SPI 33 level-sensitive (GICD_ICFGR2 = 0), its line level */
	v = 0;
	ck_assert_int_eq(rd_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0xc08, &v), 0);
	v = 1u << 1;
	ck_assert_int_eq(rd_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				 0, 32, &v), 0);
	v = 0;
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				 0, 32, &v), 0);
	ck_assert_uint_eq(v, 1u << 1);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				 0, 33, &v), -EINVAL);

	/* off the register map, or not 32-bit aligned */
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0x8000, &v), -ENXIO);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				 0, 0x20000, &v), -ENXIO);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0x202, &v), -ENXIO);
	ck_assert_int_eq(rd_attr(g.gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				 0, 0x10200, NULL), 0);
	ck_assert_int_eq(rd_attr(g.gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0x8000, NULL), -ENXIO);

	gvm_destroy(&g);
	vkvm_close(sys);
}
END_TEST

/* a CPU_SYSREGS attribute: ICC_<op1,CRn,CRm,op2>_EL1 of the vCPU at @aff */
static long icc_attr(int gic, unsigned long req, uint64_t aff, uint32_t crn,
		     uint32_t crm, uint32_t op2, uint64_t *v)
{
	return gic_attr(gic, req, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
			aff << 32 | 3u << 14 | crn << 7 | crm << 3 | op2, v);
}

#define ICC_PMR		4, 6, 0
#define ICC_BPR0	12, 8, 3
#define ICC_AP0R(n)	12, 8, 4 + (n)
#define ICC_AP1R(n)	12, 9, (n)
#define ICC_BPR1	12, 12, 3
#define ICC_CTLR	12, 12, 4
#define ICC_SRE		12, 12, 5
#define ICC_IGRPEN1	12, 12, 7

/*
 * KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS (Documentation/virt/kvm/devices/
 * arm-vgic-v3.rst; Linux 7.2's vgic_init): the fifteen ICC_*_EL1 registers
 * exist, save and restore 64-bit values per vCPU, AP0R1..3 refuse access
 * with five priority bits, ICC_CTLR_EL1's PRIbits may shrink only and
 * SEIS/A3V must match, SRE cannot be cleared, and the guest sees what
 * userspace restored.
 */
START_TEST(v3_cpu_sysregs)
{
	int sys = vkvm_open(O_RDWR);
	uint32_t init = 0;
	uint64_t v = 0, ctlr = 0;
	struct gvm g;
	int i;

	gvm_create(&g, sys, 2);
	for (i = 0; i < g.nr; i++)
		ck_assert_int_eq(tvm_init(g.vcpu[i], 0), 0);
	ck_assert_int_eq(icc_attr(g.gic, KVM_HAS_DEVICE_ATTR, 0, ICC_PMR, NULL), 0);
	ck_assert_int_eq(icc_attr(g.gic, KVM_HAS_DEVICE_ATTR, 0, ICC_AP1R(3), NULL), 0);
	/* ICH_VMCR_EL2 (op1 4): only with nested virtualization */
	ck_assert_int_eq(gic_attr(g.gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				  3u << 14 | 4u << 11 | 12u << 7 | 11u << 3 | 7, NULL), -ENXIO);
	ck_assert_int_eq(icc_attr(g.gic, KVM_HAS_DEVICE_ATTR, 5, ICC_PMR, NULL), -EINVAL);
	ck_assert_int_eq(icc_attr(g.gic, KVM_GET_DEVICE_ATTR, 0, ICC_PMR, &v), -EBUSY);
	ck_assert_int_eq(gic_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
				  KVM_DEV_ARM_VGIC_CTRL_INIT, &init), 0);
	ck_assert_int_eq(icc_attr(g.gic, KVM_GET_DEVICE_ATTR, 5, ICC_PMR, &v), -EINVAL);

	/* PMR: five bits kept, per vCPU */
	v = 0xff;
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 1, ICC_PMR, &v), 0);
	ck_assert_int_eq(icc_attr(g.gic, KVM_GET_DEVICE_ATTR, 1, ICC_PMR, &v), 0);
	ck_assert_uint_eq(v, 0xf8);
	ck_assert_int_eq(icc_attr(g.gic, KVM_GET_DEVICE_ATTR, 0, ICC_PMR, &v), 0);
	ck_assert_uint_eq(v, 0);

	/* AP0R0/AP1R0 save and restore; AP0R1..3 with five bits: EINVAL */
	v = 0x80000001;
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 0, ICC_AP1R(0), &v), 0);
	v = 0;
	ck_assert_int_eq(icc_attr(g.gic, KVM_GET_DEVICE_ATTR, 0, ICC_AP1R(0), &v), 0);
	ck_assert_uint_eq(v, 0x80000001);
	ck_assert_int_eq(icc_attr(g.gic, KVM_GET_DEVICE_ATTR, 0, ICC_AP0R(1), &v), -EINVAL);
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 0, ICC_AP1R(3), &v), -EINVAL);
	v = 0;
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 0, ICC_AP1R(0), &v), 0);

	/* CTLR: PRIbits 4 (five bits), A3V; shrinking PRIbits reads back */
	ck_assert_int_eq(icc_attr(g.gic, KVM_GET_DEVICE_ATTR, 0, ICC_CTLR, &ctlr), 0);
	ck_assert_uint_eq(ctlr, 4u << 8 | 1u << 15);
	v = ctlr | 1u << 1;	/* EOImode */
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 0, ICC_CTLR, &v), 0);
	v = (ctlr & ~(7u << 8)) | 5u << 8;	/* six bits: more than the GIC has */
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 0, ICC_CTLR, &v), -EINVAL);
	v = ctlr & ~(1u << 15);			/* A3V cleared */
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 0, ICC_CTLR, &v), -EINVAL);
	v = ctlr | 1u << 14;			/* SEIS set */
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 0, ICC_CTLR, &v), -EINVAL);
	v = 0;
	ck_assert_int_eq(icc_attr(g.gic, KVM_GET_DEVICE_ATTR, 0, ICC_CTLR, &v), 0);
	ck_assert_uint_eq(v, ctlr | 1u << 1);
	v = (ctlr & ~(7u << 8)) | 3u << 8;	/* four bits */
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 1, ICC_CTLR, &v), 0);
	ck_assert_int_eq(icc_attr(g.gic, KVM_GET_DEVICE_ATTR, 1, ICC_CTLR, &v), 0);
	ck_assert_uint_eq(v, 3u << 8 | 1u << 15);

	/* BPR1 with CBPR: reads BPR0 + 1, writes ignored */
	v = 5;
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 0, ICC_BPR1, &v), 0);
	v = 2;
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 0, ICC_BPR0, &v), 0);
	v = ctlr | 1u;		/* CBPR */
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 0, ICC_CTLR, &v), 0);
	ck_assert_int_eq(icc_attr(g.gic, KVM_GET_DEVICE_ATTR, 0, ICC_BPR1, &v), 0);
	ck_assert_uint_eq(v, 3);
	v = ctlr;
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 0, ICC_CTLR, &v), 0);
	ck_assert_int_eq(icc_attr(g.gic, KVM_GET_DEVICE_ATTR, 0, ICC_BPR1, &v), 0);
	ck_assert_uint_eq(v, 5);

	/* SRE: SRE|DFB|DIB, clearing SRE refused; IGRPEN1 round-trips */
	ck_assert_int_eq(icc_attr(g.gic, KVM_GET_DEVICE_ATTR, 0, ICC_SRE, &v), 0);
	ck_assert_uint_eq(v, 7);
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 0, ICC_SRE, &v), 0);
	v = 6;
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 0, ICC_SRE, &v), -EINVAL);
	v = 1;
	ck_assert_int_eq(icc_attr(g.gic, KVM_SET_DEVICE_ATTR, 1, ICC_IGRPEN1, &v), 0);
	v = 0;
	ck_assert_int_eq(icc_attr(g.gic, KVM_GET_DEVICE_ATTR, 1, ICC_IGRPEN1, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(icc_attr(g.gic, KVM_GET_DEVICE_ATTR, 0, ICC_IGRPEN1, &v), 0);
	ck_assert_uint_eq(v, 0);

	gvm_destroy(&g);
	vkvm_close(sys);
}
END_TEST

/*
 * GICD_IIDR and GICD_TYPER2 from userspace (Linux 7.2's vgic_init
 * test_v3_nassgicap): readable before INIT; TYPER2 only as it reads (no
 * nASSGIcap without GICv4.1: EINVAL, after INIT: EBUSY); IIDR's Revision
 * 2 or 3, and Revision 2 hides GICR_CTLR.{IR,CES}.  GICR_IIDR has no
 * revision (KVM's reads Revision 0).
 */
START_TEST(v3_dist_id_regs)
{
	int sys = vkvm_open(O_RDWR);
	uint32_t v = 0, iidr = 0, init = 0;
	struct gvm g;

	gvm_create(&g, sys, 1);
	ck_assert_int_eq(tvm_init(g.vcpu[0], 0), 0);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0xc, &v), 0);
	ck_assert_uint_eq(v, 0);
	v = 1u << 8;		/* nASSGIcap */
	ck_assert_int_eq(rd_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0xc, &v), -EINVAL);
	v = 0;
	ck_assert_int_eq(rd_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0xc, &v), 0);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0x8, &iidr), 0);
	ck_assert_uint_eq(iidr, 0x4b00343b);
	/* the rest of the distributor still waits for INIT */
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0x4, &v), -EBUSY);
	ck_assert_int_eq(gic_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
				  KVM_DEV_ARM_VGIC_CTRL_INIT, &init), 0);
	v = 1u << 8;
	ck_assert_int_eq(rd_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0xc, &v), -EBUSY);

	/* Revision 4, or another product: EINVAL; Revision 2: GICR_CTLR without IR/CES */
	v = (iidr & ~0xf000u) | 4u << 12;
	ck_assert_int_eq(rd_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0x8, &v), -EINVAL);
	v = iidr ^ 1u << 24;
	ck_assert_int_eq(rd_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0x8, &v), -EINVAL);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				 0, 0x0, &v), 0);
	ck_assert_uint_eq(v & 6, 6);
	v = (iidr & ~0xf000u) | 2u << 12;
	ck_assert_int_eq(rd_attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0x8, &v), 0);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0, 0x8, &v), 0);
	ck_assert_uint_eq(v, 0x4b00243b);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				 0, 0x0, &v), 0);
	ck_assert_uint_eq(v & 6, 0);
	ck_assert_int_eq(rd_attr(g.gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				 0, 0x4, &v), 0);
	ck_assert_uint_eq(v, 0x4b00043b);

	gvm_destroy(&g);
	vkvm_close(sys);
}
END_TEST

Suite *vgic_config_suite(void)
{
	return CHECK_SUITE("vgic_config", 20, redist_region_colliding_with_dist,
			   dist_over_legacy_redist_found_at_first_run,
			   one_eventfd_one_irqfd_across_vms,
			   irqfd_of_a_closed_eventfd_lets_go, v3_dist_redist_regs,
			   v3_cpu_sysregs, v3_dist_id_regs);
}
