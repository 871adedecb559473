// SPDX-License-Identifier: GPL-2.0
/* The generated device tree: contents (libfdt) and a clean dtc round trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>

#include "../../devices/device.h"
#include "../../fdt/fdt.h"
#include "../../vmm/vmm.h"
#include "vmm_test.h"

static struct vm vm;
static struct vmm_config cfg;

/* @pci_rngs: with the PCI bridge, that many virtio-rng functions on it */
static void setup_vm_pci(bool gic, unsigned int cpus, bool testdev, unsigned int pci_rngs)
{
	unsigned int i;

	memset(&vm, 0, sizeof(vm));
	vm.cfg = &cfg;
	vm.ram_base = 0x80000000;
	vm.ram_size = 256 << 20;
	vm.nr_vcpus = cpus;
	vm.irqchip = gic;
	vm.initrd_start = 0x8f000000;
	vm.initrd_end = 0x8f100000;
	for (i = 0; i < cpus; i++)
		vm.vcpus[i].mpidr = 0x80000000 | i;
	memmap_build(&vm.map, vm.ram_size, cpus, gic);
	if (testdev)
		ck_assert_int_eq(memmap_add_testdev(&vm.map), 0);
	for (i = 0; i < pci_rngs; i++)
		vm.pci_fns[vm.nr_pci_fns++].device = "virtio-rng";
	if (pci_rngs) {
		ck_assert_int_eq(memmap_add_pci(&vm.map), 0);
		ck_assert_int_eq(memmap_add_its(&vm.map, GIC_ITS_BASE(cpus)), 0);
	}
	for (i = 0; i < vm.map.n; i++) {
		struct device *dev;

		if (vm.map.r[i].type != REGION_DEVICE)
			continue;
		dev = calloc(1, sizeof(*dev));
		dev->ops = device_find(vm.map.r[i].device);
		ck_assert_ptr_nonnull(dev->ops);
		dev->region = &vm.map.r[i];
		dev->vm = &vm;
		if (dev->ops->init)
			ck_assert_int_eq(dev->ops->init(dev), 0);
		vm.devices[vm.nr_devices++] = dev;
		vm.region_dev[i] = dev;
		if (dev->ops->input && !vm.console)
			vm.console = dev;
	}
}

static void setup_vm_with(bool gic, unsigned int cpus, bool testdev)
{
	setup_vm_pci(gic, cpus, testdev, 0);
}

static void setup_vm(bool gic, unsigned int cpus)
{
	setup_vm_with(gic, cpus, false);
}

static const char *prop_str(const void *fdt, const char *path, const char *name)
{
	int off = fdt_path_offset(fdt, path);

	ck_assert_msg(off >= 0, "no node %s", path);
	return fdt_getprop(fdt, off, name, NULL);
}

/* dtc reads it back without a warning */
static void dtc_clean(const void *fdt)
{
	char path[] = "/tmp/vmm-test-dtb-XXXXXX", cmd[256], out[4096];
	int fd = mkstemp(path);
	FILE *p;
	size_t n;
	int status;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, fdt, fdt_totalsize(fdt)), (ssize_t)fdt_totalsize(fdt));
	close(fd);
	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts -o /dev/null %s 2>&1", path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	status = pclose(p);
	unlink(path);
	ck_assert_msg(status == 0 && n == 0, "dtc: status %d: %s", status, out);
}

START_TEST(dt_without_gic)
{
	static uint8_t fdt[FDT_MAX_SIZE];
	int off, n = 0;
	const void *p;
	fdt64_t v;

	setup_vm(false, 2);
	ck_assert_int_eq(fdt_build(&vm, "console=ttyS0 quiet", 0x1234, fdt, sizeof(fdt)), 0);
	ck_assert_int_eq(fdt_check_header(fdt), 0);
	ck_assert_str_eq(prop_str(fdt, "/chosen", "bootargs"), "console=ttyS0 quiet");
	ck_assert_str_eq(prop_str(fdt, "/chosen", "stdout-path"), "/uart@1000000");
	/* 64-bit properties are only 4-byte aligned in the blob */
	p = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "linux,initrd-start", NULL);
	memcpy(&v, p, 8);
	ck_assert_uint_eq(fdt64_to_cpu(v), 0x8f000000);
	p = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "kaslr-seed", NULL);
	memcpy(&v, p, 8);
	ck_assert_uint_eq(fdt64_to_cpu(v), 0x1234);
	ck_assert_str_eq(prop_str(fdt, "/psci", "method"), "hvc");
	ck_assert_str_eq(prop_str(fdt, "/psci", "compatible"), "arm,psci-1.0");
	ck_assert_str_eq(prop_str(fdt, "/memory@80000000", "device_type"), "memory");
	ck_assert_str_eq(prop_str(fdt, "/cpus/cpu@1", "enable-method"), "psci");
	ck_assert_str_eq(prop_str(fdt, "/uart@1000000", "compatible"), "ns16550a");
	ck_assert_str_eq(prop_str(fdt, "/rtc@1010000", "compatible"), "arm,pl031");
	ck_assert_str_eq(prop_str(fdt, "/test-exit@1030000", "compatible"), "vmm,test-exit");
	ck_assert_ptr_null(prop_str(fdt, "/timer", "interrupts"));
	fdt_for_each_subnode(off, fdt, fdt_path_offset(fdt, "/cpus"))
		n++;
	ck_assert_int_eq(n, 2);
	ck_assert_int_lt(fdt_path_offset(fdt, "/intc@3fff0000"), 0);
	ck_assert_int_lt(fdt_path_offset(fdt, "/testdev@a000000"), 0);	/* only with --testdev */
	dtc_clean(fdt);
}
END_TEST

START_TEST(dt_with_gic)
{
	static uint8_t fdt[FDT_MAX_SIZE];
	const fdt32_t *irq;
	int len;

	setup_vm(true, 4);
	ck_assert_int_eq(fdt_build(&vm, "", 1, fdt, sizeof(fdt)), 0);
	ck_assert_str_eq(prop_str(fdt, "/intc@3fff0000", "compatible"), "arm,gic-v3");
	irq = fdt_getprop(fdt, fdt_path_offset(fdt, "/uart@1000000"), "interrupts", &len);
	ck_assert_int_eq(len, 12);
	ck_assert_uint_eq(fdt32_to_cpu(irq[0]), 0);	/* SPI */
	ck_assert_uint_eq(fdt32_to_cpu(irq[1]), 0);	/* INTID 32 */
	ck_assert_ptr_nonnull(prop_str(fdt, "/timer", "interrupts"));
	dtc_clean(fdt);
}
END_TEST

/* --irqchip gicv3-its: the ITS frame below the redistributors, kvmtool's "msic" node */
START_TEST(dt_with_its)
{
	static uint8_t fdt[FDT_MAX_SIZE];
	const char *its = "/intc@3fff0000/msic@3ff50000";
	const fdt32_t *cells;
	const void *p;
	fdt64_t reg[2];
	const struct region *r;
	int len;

	setup_vm(true, 4);
	ck_assert_uint_eq(GIC_ITS_BASE(4), 0x3ff50000);
	ck_assert_int_eq(memmap_add_its(&vm.map, GIC_ITS_BASE(4)), 0);
	r = memmap_find(&vm.map, 0x3ff60000);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->name, "gic-its");
	ck_assert_int_eq(r->type, REGION_GIC);
	ck_assert_int_eq(fdt_build(&vm, "", 1, fdt, sizeof(fdt)), 0);
	ck_assert_str_eq(prop_str(fdt, its, "compatible"), "arm,gic-v3-its");
	ck_assert_int_eq(fdt_getprop(fdt, fdt_path_offset(fdt, its), "msi-controller", &len) != NULL, 1);
	cells = fdt_getprop(fdt, fdt_path_offset(fdt, its), "#msi-cells", &len);
	ck_assert_int_eq(len, 4);
	ck_assert_uint_eq(fdt32_to_cpu(cells[0]), 1);
	/* 64-bit properties are only 4-byte aligned in the blob */
	p = fdt_getprop(fdt, fdt_path_offset(fdt, its), "reg", &len);
	ck_assert_int_eq(len, 16);
	memcpy(reg, p, sizeof(reg));
	ck_assert_uint_eq(fdt64_to_cpu(reg[0]), 0x3ff50000);
	ck_assert_uint_eq(fdt64_to_cpu(reg[1]), 0x20000);
	dtc_clean(fdt);
}
END_TEST

/* --virtio-transport pci with an ITS: the host bridge's node, two functions' INTA# */
START_TEST(dt_with_pci)
{
	static uint8_t fdt[FDT_MAX_SIZE];
	const char *pci = "/pci@40000000";
	const fdt32_t *c;
	fdt64_t reg[2];
	const void *p;
	int len, off;

	setup_vm_pci(true, 1, false, 2);
	vm.its_fd = 0;		/* only looked at: there is an ITS */
	ck_assert_int_eq(fdt_build(&vm, "", 1, fdt, sizeof(fdt)), 0);
	off = fdt_path_offset(fdt, pci);
	ck_assert_int_ge(off, 0);
	ck_assert_str_eq(prop_str(fdt, pci, "compatible"), "pci-host-ecam-generic");
	ck_assert_str_eq(prop_str(fdt, pci, "device_type"), "pci");
	p = fdt_getprop(fdt, off, "reg", &len);
	ck_assert_int_eq(len, 16);
	memcpy(reg, p, sizeof(reg));
	ck_assert_uint_eq(fdt64_to_cpu(reg[0]), 0x40000000);
	ck_assert_uint_eq(fdt64_to_cpu(reg[1]), 0x10000000);
	/* the 32-bit window, 1:1 */
	c = fdt_getprop(fdt, off, "ranges", &len);
	ck_assert_int_eq(len, 28);
	ck_assert_uint_eq(fdt32_to_cpu(c[0]), 0x02000000);
	ck_assert_uint_eq(fdt32_to_cpu(c[2]), 0x50000000);
	ck_assert_uint_eq(fdt32_to_cpu(c[4]), 0x50000000);
	ck_assert_uint_eq(fdt32_to_cpu(c[6]), 0x30000000);
	/* INTA# of devices 0 and 1: SPIs 40 and 41, level */
	c = fdt_getprop(fdt, off, "interrupt-map", &len);
	ck_assert_int_eq(len, 2 * 10 * 4);
	ck_assert_uint_eq(fdt32_to_cpu(c[0]), 0);
	ck_assert_uint_eq(fdt32_to_cpu(c[3]), 1);
	ck_assert_uint_eq(fdt32_to_cpu(c[4]), FDT_PHANDLE_GIC);
	ck_assert_uint_eq(fdt32_to_cpu(c[8]), 40);
	ck_assert_uint_eq(fdt32_to_cpu(c[9]), 4);
	ck_assert_uint_eq(fdt32_to_cpu(c[10]), 1 << 11);
	ck_assert_uint_eq(fdt32_to_cpu(c[18]), 41);
	c = fdt_getprop(fdt, off, "interrupt-map-mask", &len);
	ck_assert_int_eq(len, 16);
	ck_assert_uint_eq(fdt32_to_cpu(c[0]), 0xf800);
	ck_assert_uint_eq(fdt32_to_cpu(c[3]), 7);
	c = fdt_getprop(fdt, off, "msi-parent", &len);
	ck_assert_int_eq(len, 8);
	ck_assert_uint_eq(fdt32_to_cpu(c[0]), FDT_PHANDLE_ITS);
	/* no stray per-region node for the bridge */
	ck_assert_int_lt(fdt_path_offset(fdt, "/pci@40000000/pci"), 0);
	dtc_clean(fdt);
}
END_TEST

static struct device *testdev(void)
{
	unsigned int i;

	for (i = 0; i < vm.nr_devices; i++)
		if (!strcmp(vm.devices[i]->ops->name, "testdev"))
			return vm.devices[i];
	return NULL;
}

/* --testdev: the node, and the device's registers through its ops */
START_TEST(dt_and_registers_with_testdev)
{
	static uint8_t fdt[FDT_MAX_SIZE];
	struct device *td;
	unsigned int i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.testdev = true;
	setup_vm_with(true, 2, true);
	ck_assert_int_eq(fdt_build(&vm, "", 1, fdt, sizeof(fdt)), 0);
	ck_assert_str_eq(prop_str(fdt, "/testdev@a000000", "compatible"), "vmm,testdev");
	dtc_clean(fdt);

	td = testdev();
	ck_assert_ptr_nonnull(td);
	/* pattern: (GPA & 0xff) ^ 0x5a per byte, little-endian; writes ignored */
	ck_assert_uint_eq(td->ops->read(td, 0, 0x80, 1), 0xda);
	ck_assert_uint_eq(td->ops->read(td, 1, 0x80, 8), 0xdddcdfded9d8dbdaULL);
	ck_assert_uint_eq(td->ops->read(td, 0, 0x7fe, 2), 0xa5a4);
	td->ops->write(td, 0, 0x80, 8, 0);
	ck_assert_uint_eq(td->ops->read(td, 0, 0x80, 4), 0xd9d8dbda);
	/* scratch: zero at first, then what was written, any width */
	ck_assert_uint_eq(td->ops->read(td, 0, 0x800, 8), 0);
	td->ops->write(td, 0, 0x800, 8, 0x1122334455667788ULL);
	td->ops->write(td, 1, 0x801, 1, 0xab);
	td->ops->write(td, 0, 0x802, 2, 0xcdef);
	td->ops->write(td, 1, 0x804, 4, 0x99aabbcc);
	ck_assert_uint_eq(td->ops->read(td, 0, 0x800, 8), 0x99aabbcccdefab88ULL);
	td->ops->write(td, 0, 0xff8, 8, 0x0102030405060708ULL);
	ck_assert_uint_eq(td->ops->read(td, 0, 0xfff, 1), 0x01);
	/* across the pattern/scratch boundary, and unknown registers: zero */
	ck_assert_uint_eq(td->ops->read(td, 0, 0x7fc, 8), 0);
	ck_assert_uint_eq(td->ops->read(td, 0, 0x1000, 8), 0);
	ck_assert_uint_eq(td->ops->read(td, 0, 0x1018, 8), 0);
	/* CTL_SEA_MODE: what vm_run turned on */
	ck_assert_uint_eq(td->ops->read(td, 0, 0x1010, 8), 0);
	vm.sea_to_user_on = true;
	ck_assert_uint_eq(td->ops->read(td, 0, 0x1010, 8), 1);
	cfg.memory_errors[0] = 0x80001000;
	cfg.memory_errors[1] = 0x80c00fff;	/* POISON_GPA's page */
	cfg.nr_memory_errors = 2;
	ck_assert_uint_eq(td->ops->read(td, 0, 0x1010, 8), 1);	/* not applied */
	vm.memory_errors_on = true;
	ck_assert_uint_eq(td->ops->read(td, 0, 0x1010, 8), 3);
	vm.sea_to_user_on = false;
	cfg.nr_memory_errors = 1;
	ck_assert_uint_eq(td->ops->read(td, 0, 0x1010, 8), 0);
	for (i = 0; i < vm.nr_devices; i++)
		if (vm.devices[i]->ops->exit)
			vm.devices[i]->ops->exit(vm.devices[i]);
	memset(&cfg, 0, sizeof(cfg));
}
END_TEST

/* --irqchip gicv2: kvmtool's node, and the PPIs name every CPU interface */
START_TEST(dt_with_gicv2)
{
	static uint8_t fdt[FDT_MAX_SIZE];
	fdt64_t reg[4];
	const fdt32_t *irq;
	const void *prop;
	int node, len;

	vm.gicv2 = true;
	setup_vm(true, 3);
	vm.gicv2 = true;
	memmap_build(&vm.map, vm.ram_size, 3, MEMMAP_GICV2);
	ck_assert_int_eq(fdt_build(&vm, "", 1, fdt, sizeof(fdt)), 0);
	node = fdt_path_offset(fdt, "/intc@3fff0000");
	ck_assert_int_ge(node, 0);
	ck_assert_str_eq(prop_str(fdt, "/intc@3fff0000", "compatible"), "arm,cortex-a15-gic");
	prop = fdt_getprop(fdt, node, "reg", &len);
	ck_assert_int_eq(len, 32);
	memcpy(reg, prop, sizeof(reg));		/* a property is only 4-byte aligned */
	ck_assert_uint_eq(fdt64_to_cpu(reg[0]), 0x3fff0000);	/* distributor */
	ck_assert_uint_eq(fdt64_to_cpu(reg[1]), 0x10000);
	ck_assert_uint_eq(fdt64_to_cpu(reg[2]), 0x3ffd0000);	/* CPU interface */
	ck_assert_uint_eq(fdt64_to_cpu(reg[3]), 0x20000);
	irq = fdt_getprop(fdt, fdt_path_offset(fdt, "/timer"), "interrupts", &len);
	ck_assert_int_eq(len, 48);
	ck_assert_uint_eq(fdt32_to_cpu(irq[2]), 0x708);	/* CPUs 0-2, level low */
	irq = fdt_getprop(fdt, fdt_path_offset(fdt, "/uart@1000000"), "interrupts", &len);
	ck_assert_uint_eq(fdt32_to_cpu(irq[2]), 4);	/* an SPI: no CPU mask */
	dtc_clean(fdt);
	vm.gicv2 = false;
}
END_TEST

/* The timer node's PPIs (type, number, flags): @n of them */
static void timer_ppis(const void *fdt, const uint32_t *ppis, int n)
{
	const fdt32_t *irq;
	int len, i;

	irq = fdt_getprop(fdt, fdt_path_offset(fdt, "/timer"), "interrupts", &len);
	ck_assert_ptr_nonnull(irq);
	ck_assert_int_eq(len, n * 12);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(fdt32_to_cpu(irq[3 * i]), 1);		/* PPI */
		ck_assert_uint_eq(fdt32_to_cpu(irq[3 * i + 1]), ppis[i]);
	}
}

/*
 * --nested: PSCI over SMC (HVC is the guest hypervisor's); the timer's
 * hypervisor virtual PPI (12: INTID 28) only where EL2 has FEAT_VHE
 */
START_TEST(dt_nested)
{
	static const uint32_t ppis[] = { 13, 14, 11, 10, 12 };
	static uint8_t fdt[FDT_MAX_SIZE];

	setup_vm(true, 2);
	ck_assert_int_eq(fdt_build(&vm, "", 1, fdt, sizeof(fdt)), 0);
	ck_assert_str_eq(prop_str(fdt, "/psci", "method"), "hvc");
	timer_ppis(fdt, ppis, 4);
	cfg.nested = true;
	ck_assert_int_eq(fdt_build(&vm, "", 1, fdt, sizeof(fdt)), 0);
	ck_assert_str_eq(prop_str(fdt, "/psci", "method"), "smc");
	timer_ppis(fdt, ppis, 4);
	dtc_clean(fdt);
	vm.el2_vhe = true;
	ck_assert_int_eq(fdt_build(&vm, "", 1, fdt, sizeof(fdt)), 0);
	timer_ppis(fdt, ppis, 5);
	dtc_clean(fdt);
	ck_assert_ptr_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/intc@3fff0000"),
				       "interrupts", NULL));
	/* the GIC maintenance interrupt where the hypervisor took it: PPI 9 */
	vm.gic_maint_irq = 25;
	ck_assert_int_eq(fdt_build(&vm, "", 1, fdt, sizeof(fdt)), 0);
	{
		const fdt32_t *mi;
		int len;

		mi = fdt_getprop(fdt, fdt_path_offset(fdt, "/intc@3fff0000"), "interrupts", &len);
		ck_assert_ptr_nonnull(mi);
		ck_assert_int_eq(len, 12);
		ck_assert_uint_eq(fdt32_to_cpu(mi[0]), 1);
		ck_assert_uint_eq(fdt32_to_cpu(mi[1]), 9);
		ck_assert_uint_eq(fdt32_to_cpu(mi[2]), 4);
	}
	dtc_clean(fdt);
	vm.gic_maint_irq = 0;
	cfg.nested = false;
	vm.el2_vhe = false;
}
END_TEST

Suite *fdt_suite(void)
{
	return CHECK_SUITE("fdt", 0, dt_without_gic, dt_with_gic, dt_with_gicv2, dt_with_its,
			   dt_and_registers_with_testdev, dt_with_pci, dt_nested);
}
