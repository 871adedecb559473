// SPDX-License-Identifier: GPL-2.0
/*
 * The ITS, LPIs and MSI routing through libvkvm (TAP): KVM_DEV_TYPE_ARM_VGIC_ITS
 * and its attributes (arm-vgic-its.rst), the capabilities, KVM_SET_GSI_ROUTING's
 * checks; then a guest (tests/vgic/guest/vgic.S test 7) that enables LPIs and
 * takes what userspace maps through the command queue: INT, KVM_SIGNAL_MSI,
 * an irqfd on an MSI route, and the same after SAVE_TABLES, RESET and
 * RESTORE_TABLES; the tables' bytes are checked against KVM's ABI rev 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <vkvm.h>

#include "vgic-tap.h"

extern const unsigned char vgic_guest[], vgic_guest_end[];

#define RAM_GPA		0x40000000ULL
#define RAM_SIZE	0x100000ULL
#define PROP_OFF	0x10000ULL	/* pending table at PROP_OFF + 64K */
#define DEVTAB_OFF	0x30000ULL
#define COLLTAB_OFF	0x40000ULL
#define CMDQ_OFF	0x50000ULL	/* 4K: 128 commands */
#define ITT_OFF		0x60000ULL
#define GICD_GPA	0x08000000ULL
#define ITS_GPA		0x08080000ULL
#define GICR_GPA	0x080a0000ULL
#define REPORT_GPA	0x0a000000ULL
#define DOORBELL	(ITS_GPA + 0x10040ULL)

#define GITS_CTLR	0x0000
#define GITS_IIDR	0x0004
#define GITS_TYPER	0x0008
#define GITS_CBASER	0x0080
#define GITS_CWRITER	0x0088
#define GITS_CREADR	0x0090
#define GITS_BASER(n)	(0x0100 + 8 * (n))
#define GITS_PIDR2	0xffe8
#define VALID		(1ULL << 63)

static int sys_fd;
static timer_t watchdog;	/* SIGALRM to this thread: a KVM_RUN that waits forever ends (EINTR) */

static void on_alarm(int sig)
{
}

static void watchdog_init(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGALRM };
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
	sev._sigev_un._tid = gettid();	/* sigev_notify_thread_id */
	timer_create(CLOCK_MONOTONIC, &sev, &watchdog);
}

static void watchdog_arm(int seconds)
{
	struct itimerspec its = { .it_value = { .tv_sec = seconds } };

	timer_settime(watchdog, 0, &its, NULL);
}

static long set_u64(int fd, uint32_t group, uint64_t a, uint64_t v)
{
	return attr(fd, KVM_SET_DEVICE_ATTR, group, a, &v);
}

static uint64_t get_reg(int its, uint64_t off, long *ret)
{
	uint64_t v = 0xbadbadULL;

	*ret = attr(its, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, off, &v);
	return v;
}

static long its_ctrl(int its, uint64_t what)
{
	return attr(its, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL, what, NULL);
}

static int create_dev(int vm, uint32_t type)
{
	struct kvm_create_device cd = { .type = type };
	long r = kio(vm, KVM_CREATE_DEVICE, &cd);

	return r < 0 ? (int)r : (int)cd.fd;
}

static long signal_msi(int vm, uint64_t addr, uint32_t devid, uint32_t data, uint32_t flags)
{
	struct kvm_msi msi = {
		.address_lo = (uint32_t)addr, .address_hi = (uint32_t)(addr >> 32),
		.data = data, .flags = flags, .devid = devid,
	};

	return kio(vm, KVM_SIGNAL_MSI, &msi);
}

/* ---- without a guest ---------------------------------------------------------------- */

static void test_caps_and_device(void)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_ITS,
					.flags = KVM_CREATE_DEVICE_TEST };
	int vm = (int)kio_val(sys_fd, KVM_CREATE_VM, 0), gic, its, its2;
	uint64_t v;
	long r;

	ok(kio_val(sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_MSI_DEVID) == -EINVAL,
	   "KVM_CAP_MSI_DEVID on the system fd: EINVAL");
	ok(kio_val(vm, KVM_CHECK_EXTENSION, KVM_CAP_SIGNAL_MSI) == 1, "KVM_CAP_SIGNAL_MSI: 1");
	ok(kio_val(vm, KVM_CHECK_EXTENSION, KVM_CAP_IRQ_ROUTING) == 4096,
	   "KVM_CAP_IRQ_ROUTING: 4096 routes");
	ok(kio_val(vm, KVM_CHECK_EXTENSION, KVM_CAP_MSI_DEVID) == 0,
	   "KVM_CAP_MSI_DEVID before an ITS: 0");
	ok(signal_msi(vm, DOORBELL, 0, 0, KVM_MSI_VALID_DEVID) == -EINVAL,
	   "KVM_SIGNAL_MSI without an irqchip: EINVAL");
	gic = create_dev(vm, KVM_DEV_TYPE_ARM_VGIC_V3);
	ok(signal_msi(vm, DOORBELL, 0, 0, KVM_MSI_VALID_DEVID) == -ENODEV,
	   "KVM_SIGNAL_MSI without an ITS: ENODEV");
	ok(kio(vm, KVM_CREATE_DEVICE, &cd) == 0, "VGIC_ITS with KVM_CREATE_DEVICE_TEST: 0");
	its = create_dev(vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
	ok(its >= 0, "KVM_CREATE_DEVICE(VGIC_ITS)");
	ok(kio_val(vm, KVM_CHECK_EXTENSION, KVM_CAP_MSI_DEVID) == 1,
	   "KVM_CAP_MSI_DEVID with an ITS: 1");

	ok(attr(its, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE,
		NULL) == 0, "HAS_ATTR(GRP_ADDR, ITS)");
	ok(attr(its, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
		KVM_DEV_ARM_ITS_SAVE_TABLES, NULL) == 0, "HAS_ATTR(CTRL, SAVE_TABLES)");
	ok(attr(its, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, NULL) == -ENXIO,
	   "HAS_ATTR(NR_IRQS) on the ITS: ENXIO");
	v = 0;
	ok(attr(its, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE,
		&v) == 0 && v == ~0ULL, "the ITS address is undefined at first");
	get_reg(its, GITS_TYPER, &r);
	ok(r == -ENXIO, "ITS_REGS before the address: ENXIO");
	ok(set_u64(its, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, ITS_GPA + 0x1000) ==
	   -EINVAL, "an ITS address not 64K-aligned: EINVAL");
	ok(set_u64(its, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, ITS_GPA) ==
	   -ENODEV, "another address type: ENODEV");
	ok(set_u64(its, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, ITS_GPA) == 0,
	   "ITS at 0x%llx", (unsigned long long)ITS_GPA);
	ok(set_u64(its, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, ITS_GPA + 0x20000) ==
	   -EEXIST, "set again: EEXIST");
	ok(attr(its, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE,
		&v) == 0 && v == ITS_GPA, "GET returns it");

	v = get_reg(its, GITS_TYPER, &r);
	ok(r == 0 && v == 0x1ef71, "GITS_TYPER: Physical, ITT entry 8 bytes, 16 ID and "
	   "device bits (0x%llx)", (unsigned long long)v);
	v = get_reg(its, GITS_IIDR, &r);
	ok(r == 0 && v == 0x4b00043b, "GITS_IIDR: KVM, ABI rev 0, Arm (0x%llx)",
	   (unsigned long long)v);
	v = get_reg(its, GITS_BASER(0), &r);
	ok(r == 0 && v == 0x1907000000000600ULL,
	   "GITS_BASER0: device table, 8-byte entries, 64K pages, RaWb, inner shareable "
	   "(0x%llx)", (unsigned long long)v);
	v = get_reg(its, GITS_BASER(1), &r);
	ok(r == 0 && v == 0x1c07000000000600ULL, "GITS_BASER1: collection table (0x%llx)",
	   (unsigned long long)v);
	v = get_reg(its, GITS_BASER(2), &r);
	ok(r == 0 && v == 0, "GITS_BASER2: RAZ");
	v = get_reg(its, GITS_PIDR2, &r);
	ok(r == 0 && v == 0x3b, "GITS_PIDR2: GICv3 (0x%llx)", (unsigned long long)v);
	v = get_reg(its, GITS_CTLR, &r);
	ok(r == 0 && v == 0x80000000, "GITS_CTLR: disabled, quiescent (0x%llx)",
	   (unsigned long long)v);
	get_reg(its, GITS_TYPER + 4, &r);
	ok(r == -EINVAL, "a 64-bit register at +4: EINVAL");
	get_reg(its, 0x20, &r);
	ok(r == -ENXIO, "no register at 0x20: ENXIO");
	ok(set_u64(its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_IIDR, 1 << 12) == -EINVAL,
	   "GITS_IIDR with ABI rev 1: EINVAL");
	ok(set_u64(its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_IIDR, 0x4b00043b) == 0,
	   "GITS_IIDR with rev 0: accepted");
	ok(set_u64(its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_CREADR, 0x1000) == -EINVAL,
	   "GITS_CREADR past a 4K queue: EINVAL");
	ok(set_u64(its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_BASER(0), VALID | 0x12345000ULL |
		   (7ULL << 56) | 3) == 0, "GITS_BASER0 written");
	v = get_reg(its, GITS_BASER(0), &r);
	ok(v == (VALID | 0x12345000ULL | 0x1907000000000200ULL | 3),
	   "GITS_BASER0: type and entry size read-only, page size 64K, RaWb (0x%llx)",
	   (unsigned long long)v);

	its2 = create_dev(vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
	ok(its2 >= 0 && its2 != its, "a second ITS");
	ok(signal_msi(vm, ITS_GPA + 0x20000, 0, 0, KVM_MSI_VALID_DEVID) == -EINVAL,
	   "an MSI past the ITS frame: EINVAL");
	ok(signal_msi(vm, DOORBELL, 0, 0, 0) == -EINVAL, "an MSI without a DeviceID: EINVAL");
	ok(signal_msi(vm, DOORBELL, 0, 0, 2) == -EINVAL, "an MSI with an unknown flag: EINVAL");
	ok(signal_msi(vm, DOORBELL, 0, 0, KVM_MSI_VALID_DEVID) == -EBUSY,
	   "an MSI to a disabled ITS: EBUSY");
	vkvm_close(its2);
	vkvm_close(its);
	vkvm_close(gic);
	vkvm_close(vm);
}

static long set_routing(int vm, const struct kvm_irq_routing_entry *e, uint32_t nr,
			uint32_t flags)
{
	struct kvm_irq_routing *rt = calloc(1, sizeof(*rt) + (nr + 1) * sizeof(*e));
	long r;

	rt->nr = nr;
	rt->flags = flags;
	/* the caller's entries, at most two: a longer table repeats the first */
	for (uint32_t i = 0; e && i < nr; i++)
		rt->entries[i] = e[i < 2 ? i : 0];
	r = kio(vm, KVM_SET_GSI_ROUTING, rt);
	free(rt);
	return r;
}

static void test_routing_checks(void)
{
	int vm = (int)kio_val(sys_fd, KVM_CREATE_VM, 0);
	struct kvm_irq_routing_entry e[2] = { 0 };

	e[0].gsi = 1;
	e[0].type = KVM_IRQ_ROUTING_IRQCHIP;
	e[0].u.irqchip.pin = 5;
	ok(set_routing(vm, e, 1, 0) == 0, "one IRQCHIP route");
	ok(set_routing(vm, NULL, 0, 0) == 0, "an empty table");
	e[1] = e[0];
	ok(set_routing(vm, e, 4097, 0) == -EINVAL, "4097 routes: EINVAL");
	ok(set_routing(vm, e, 1, 1) == -EINVAL, "flags: EINVAL");
	e[0].gsi = 4096;
	ok(set_routing(vm, e, 1, 0) == -EINVAL, "GSI 4096: EINVAL");
	e[0].gsi = 1;
	e[0].u.irqchip.pin = 988;
	ok(set_routing(vm, e, 1, 0) == -EINVAL, "pin 988: EINVAL");
	e[0].u.irqchip.pin = 5;
	e[0].u.irqchip.irqchip = 1;
	ok(set_routing(vm, e, 1, 0) == -EINVAL, "irqchip 1: EINVAL");
	e[0].u.irqchip.irqchip = 0;
	e[0].flags = KVM_MSI_VALID_DEVID;
	ok(set_routing(vm, e, 1, 0) == -EINVAL, "flags on an IRQCHIP route: EINVAL");
	e[0].flags = 0;
	e[0].type = 3;
	ok(set_routing(vm, e, 1, 0) == -EINVAL, "an unknown type: EINVAL");
	e[0].type = KVM_IRQ_ROUTING_MSI;
	e[0].flags = 2;
	ok(set_routing(vm, e, 1, 0) == -EINVAL, "an MSI route with an unknown flag: EINVAL");
	e[0].flags = KVM_MSI_VALID_DEVID;
	e[1] = e[0];
	ok(set_routing(vm, e, 2, 0) == -EINVAL, "one GSI, two MSI routes: EINVAL");
	e[1].type = KVM_IRQ_ROUTING_IRQCHIP;
	e[1].flags = 0;
	ok(set_routing(vm, e, 2, 0) == -EINVAL, "one GSI, an MSI and an IRQCHIP route: EINVAL");
	e[1].gsi = 2;
	ok(set_routing(vm, e, 2, 0) == 0, "an MSI route and an IRQCHIP route");
	vkvm_close(vm);
}

/* ---- the guest ------------------------------------------------------------------------- */

struct gvm {
	int vm, gic, its, vcpu;
	struct kvm_run *run;
	uint8_t *ram;
	unsigned int cmd;
};

static void set_core(int vcpu, uint64_t id, uint64_t v)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&v };

	kio(vcpu, KVM_SET_ONE_REG, &r);
}

static void gvm_create(struct gvm *g)
{
	struct kvm_userspace_memory_region mem = {
		.slot = 0, .guest_phys_addr = RAM_GPA, .memory_size = RAM_SIZE,
	};
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	long size = kio_val(sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	uint64_t rd = GICR_GPA | (1ULL << 52);

	memset(g, 0, sizeof(*g));
	g->vm = (int)kio_val(sys_fd, KVM_CREATE_VM, 0);
	g->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memcpy(g->ram, vgic_guest, (size_t)(vgic_guest_end - vgic_guest));
	mem.userspace_addr = (uint64_t)(uintptr_t)g->ram;
	kio(g->vm, KVM_SET_USER_MEMORY_REGION, &mem);
	g->vcpu = (int)kio_val(g->vm, KVM_CREATE_VCPU, 0);
	g->run = vkvm_mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
	g->gic = create_dev(g->vm, KVM_DEV_TYPE_ARM_VGIC_V3);
	set_u64(g->gic, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, GICD_GPA);
	set_u64(g->gic, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, rd);
	g->its = create_dev(g->vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
	set_u64(g->its, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, ITS_GPA);
	attr(g->gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
	     KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	its_ctrl(g->its, KVM_DEV_ARM_VGIC_CTRL_INIT);
	init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
	kio(g->vcpu, KVM_ARM_VCPU_INIT, &init);
	set_core(g->vcpu, CORE_REG(regs.pc), RAM_GPA);
	set_core(g->vcpu, CORE_REG(regs.regs[0]), 7);
	set_core(g->vcpu, CORE_REG(regs.regs[1]), GICD_GPA);
	set_core(g->vcpu, CORE_REG(regs.regs[2]), GICR_GPA);
	set_core(g->vcpu, CORE_REG(regs.regs[3]), REPORT_GPA);
	set_core(g->vcpu, CORE_REG(regs.regs[5]), RAM_GPA + PROP_OFF);
}

static void gvm_destroy(struct gvm *g)
{
	munmap(g->run, (size_t)kio_val(sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0));
	vkvm_close(g->vcpu);
	vkvm_close(g->its);
	vkvm_close(g->gic);
	vkvm_close(g->vm);
	munmap(g->ram, RAM_SIZE);
}

/* Run until the guest's next report (tests/vgic/test_vgic.c's protocol). */
static uint64_t next_report(struct gvm *g)
{
	struct kvm_run *run = g->run;
	uint64_t v = 0;
	long r;
	int b;

	watchdog_arm(10);
	r = kio_val(g->vcpu, KVM_RUN, 0);
	watchdog_arm(0);
	if (r)
		return 0xfffe000000000000ULL | (uint64_t)-r;
	if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write ||
	    run->mmio.phys_addr != REPORT_GPA)
		return 0xffff000000000000ULL | run->exit_reason;
	for (b = 0; b < (int)run->mmio.len; b++)
		v |= (uint64_t)run->mmio.data[b] << (8 * b);
	return v;
}

/* The guest's IRQ handler reports the INTID, then the running priority. */
static void expect_lpi(struct gvm *g, uint32_t intid, const char *how)
{
	uint64_t v = next_report(g), rpr = next_report(g);

	ok(v == intid && rpr == 0xff, "%s: the guest took LPI %u (0x%llx, then 0x%llx)", how,
	   intid, (unsigned long long)v, (unsigned long long)rpr);
}

/* Queue one command and move CWRITER past it (userspace's GITS_CWRITER). */
static void its_cmd(struct gvm *g, uint64_t d0, uint64_t d1, uint64_t d2)
{
	uint64_t *c = (uint64_t *)(g->ram + CMDQ_OFF) + 4 * g->cmd;

	c[0] = d0;
	c[1] = d1;
	c[2] = d2;
	c[3] = 0;
	g->cmd = (g->cmd + 1) % 128;
	set_u64(g->its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_CWRITER, (uint64_t)g->cmd * 32);
}

static void its_setup_tables(struct gvm *g)
{
	set_u64(g->its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_BASER(0),
		VALID | (RAM_GPA + DEVTAB_OFF));
	set_u64(g->its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_BASER(1),
		VALID | (RAM_GPA + COLLTAB_OFF));
	set_u64(g->its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_CBASER, VALID | (RAM_GPA + CMDQ_OFF));
	g->cmd = 0;
}

#define DEVID	5

static void test_guest_lpis(void)
{
	struct kvm_irq_routing_entry e = { .gsi = 3, .type = KVM_IRQ_ROUTING_MSI,
					   .flags = KVM_MSI_VALID_DEVID };
	struct kvm_irqfd ifd = { .gsi = 3 };
	uint64_t v, one = 1, *t;
	struct gvm g;
	int efd = eventfd(0, EFD_CLOEXEC);
	long r;

	gvm_create(&g);
	v = next_report(&g);
	ok(v == 7, "guest: GICR_CTLR reads EnableLPIs, IR, CES (0x%llx)", (unsigned long long)v);
	v = next_report(&g);
	ok(v == 1, "guest ready (0x%llx)", (unsigned long long)v);
	/* LPIs 8192..8194 enabled at priority 0xa0 */
	memset(g.ram + PROP_OFF, 0xa1, 3);

	its_setup_tables(&g);
	ok(set_u64(g.its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_CTLR, 1) == 0, "GITS_CTLR.Enabled");
	v = get_reg(g.its, GITS_CTLR, &r);
	ok(v == 0x80000001, "GITS_CTLR: enabled, quiescent (0x%llx)", (unsigned long long)v);
	its_cmd(&g, 0x08 | (uint64_t)DEVID << 32, 4 - 1, VALID | (RAM_GPA + ITT_OFF));	/* MAPD */
	its_cmd(&g, 0x09, 0, VALID | 0);						/* MAPC 0 → CPU 0 */
	its_cmd(&g, 0x0a | (uint64_t)DEVID << 32, 0 | 8192ULL << 32, 0);		/* MAPTI */
	its_cmd(&g, 0x0a | (uint64_t)DEVID << 32, 1 | 8193ULL << 32, 0);
	its_cmd(&g, 0x0a | (uint64_t)DEVID << 32, 2 | 8194ULL << 32, 0);
	its_cmd(&g, 0x0a | (uint64_t)DEVID << 32, 16 | 8195ULL << 32, 0);	/* event >= 16: dropped */
	its_cmd(&g, 0x03 | (uint64_t)DEVID << 32, 0, 0);				/* INT */
	v = get_reg(g.its, GITS_CREADR, &r);
	ok(v == 7 * 32, "GITS_CREADR reached CWRITER (0x%llx)", (unsigned long long)v);
	expect_lpi(&g, 8192, "INT");

	ok(signal_msi(g.vm, DOORBELL, DEVID, 1, KVM_MSI_VALID_DEVID) == 1,
	   "KVM_SIGNAL_MSI on a mapped event: 1");
	expect_lpi(&g, 8193, "KVM_SIGNAL_MSI");
	ok(signal_msi(g.vm, DOORBELL, DEVID, 16, KVM_MSI_VALID_DEVID) == 0,
	   "the event MAPTI refused (EventID past the ITT): 0, blocked");
	ok(signal_msi(g.vm, DOORBELL, DEVID + 1, 0, KVM_MSI_VALID_DEVID) == 0,
	   "an unmapped device: 0, blocked");

	e.u.msi.address_lo = (uint32_t)DOORBELL;
	e.u.msi.data = 2;
	e.u.msi.devid = DEVID;
	ok(set_routing(g.vm, &e, 1, 0) == 0, "GSI 3: an MSI route to (DeviceID %d, EventID 2)",
	   DEVID);
	ifd.fd = (uint32_t)efd;
	ok(kio(g.vm, KVM_IRQFD, &ifd) == 0, "an irqfd on GSI 3");
	ok(write(efd, &one, sizeof(one)) == sizeof(one), "signalled");
	expect_lpi(&g, 8194, "irqfd through the MSI route");
	ifd.flags = KVM_IRQFD_FLAG_DEASSIGN;
	kio(g.vm, KVM_IRQFD, &ifd);

	/* a disabled LPI's pending state reaches the pending table */
	g.ram[PROP_OFF + 1] = 0xa0;
	its_cmd(&g, 0x0c | (uint64_t)DEVID << 32, 1, 0);				/* INV */
	ok(signal_msi(g.vm, DOORBELL, DEVID, 1, KVM_MSI_VALID_DEVID) == 1,
	   "an MSI to a disabled LPI: accepted");
	ok(attr(g.gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
		KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES, NULL) == 0, "SAVE_PENDING_TABLES");
	ok(g.ram[PROP_OFF + 0x10000 + 8193 / 8] == 1u << (8193 % 8),
	   "the pending table has LPI 8193 alone (byte 0x%02x)",
	   g.ram[PROP_OFF + 0x10000 + 8193 / 8]);
	its_cmd(&g, 0x04 | (uint64_t)DEVID << 32, 1, 0);				/* CLEAR */
	g.ram[PROP_OFF + 1] = 0xa1;

	ok(its_ctrl(g.its, KVM_DEV_ARM_ITS_SAVE_TABLES) == 0, "SAVE_TABLES");
	t = (uint64_t *)(g.ram + DEVTAB_OFF);
	ok(t[DEVID] == (VALID | ((RAM_GPA + ITT_OFF) >> 8) << 5 | 3),
	   "DTE: valid, ITT address, 4 event bits, last (0x%llx)", (unsigned long long)t[DEVID]);
	t = (uint64_t *)(g.ram + ITT_OFF);
	ok(t[0] == (1ULL << 48 | 8192ULL << 16) && t[1] == (1ULL << 48 | 8193ULL << 16) &&
	   t[2] == 8194ULL << 16, "ITEs: next, pINTID, ICID (0x%llx 0x%llx 0x%llx)",
	   (unsigned long long)t[0], (unsigned long long)t[1], (unsigned long long)t[2]);
	t = (uint64_t *)(g.ram + COLLTAB_OFF);
	ok(t[0] == VALID && t[1] == 0, "CTE: valid, CPU 0, ICID 0; then an invalid entry");

	ok(its_ctrl(g.its, KVM_DEV_ARM_ITS_CTRL_RESET) == 0, "RESET");
	v = get_reg(g.its, GITS_BASER(0), &r);
	ok(!(v & VALID) && get_reg(g.its, GITS_CBASER, &r) == 0, "RESET cleared the tables");
	ok(signal_msi(g.vm, DOORBELL, DEVID, 0, KVM_MSI_VALID_DEVID) == -EBUSY,
	   "an MSI after RESET (ITS disabled): EBUSY");
	its_setup_tables(&g);
	ok(its_ctrl(g.its, KVM_DEV_ARM_ITS_RESTORE_TABLES) == 0, "RESTORE_TABLES");
	set_u64(g.its, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, GITS_CTLR, 1);
	ok(signal_msi(g.vm, DOORBELL, DEVID, 2, KVM_MSI_VALID_DEVID) == 1,
	   "the restored mapping takes an MSI: 1");
	/* LPI 8193's bit was still in the pending table: mapping it again consumed it */
	expect_lpi(&g, 8193, "its pending bit, read back when RESTORE_TABLES mapped it");
	expect_lpi(&g, 8194, "after RESTORE_TABLES");
	ok(g.ram[PROP_OFF + 0x10000 + 8193 / 8] == 0, "the pending bit was consumed");
	its_cmd(&g, 0x0f | (uint64_t)DEVID << 32, 2, 0);				/* DISCARD */
	ok(signal_msi(g.vm, DOORBELL, DEVID, 2, KVM_MSI_VALID_DEVID) == 0,
	   "DISCARD: the MSI is blocked");
	close(efd);
	gvm_destroy(&g);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	sys_fd = vkvm_open(0);
	if (sys_fd < 0) {
		printf("1..0 # SKIP vkvm_open failed\n");
		return 0;
	}
	watchdog_init();
	test_caps_and_device();
	test_routing_checks();
	test_guest_lpis();
	printf("1..%d\n", nr_test);
	vkvm_close(sys_fd);
	return nr_failed ? 1 : 0;
}
