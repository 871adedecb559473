// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's device tree, written with libfdt's sequential-write API.
 * Every address comes from the memory map; each device adds its own
 * properties (compatible, clocks...) through its fdt_props hook.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "../devices/device.h"
#include "../vmm/vmm.h"
#include "fdt.h"

#define GIC_FDT_IRQ_TYPE_SPI	0
#define GIC_FDT_IRQ_TYPE_PPI	1
#define IRQ_TYPE_LEVEL_HIGH	4
#define IRQ_TYPE_LEVEL_LOW	8
#define GIC_FDT_IRQ_PPI_CPU_SHIFT	8
#define GIC_FDT_IRQ_PPI_CPU_MASK	(0xffu << GIC_FDT_IRQ_PPI_CPU_SHIFT)

#define CHECK(expr) do { int __r = (expr); if (__r) return __r; } while (0)

static int prop_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

/* "uart0" -> "uart@1000000" */
static void node_name(char *buf, size_t len, const struct region *r)
{
	size_t n = strlen(r->name);

	while (n > 1 && isdigit((unsigned char)r->name[n - 1]))
		n--;
	snprintf(buf, len, "%.*s@%llx", (int)n, r->name, (unsigned long long)r->base);
}

static int fdt_cpus(void *fdt, struct vm *vm)
{
	unsigned int i;
	char name[32];

	CHECK(fdt_begin_node(fdt, "cpus"));
	CHECK(fdt_property_u32(fdt, "#address-cells", 1));
	CHECK(fdt_property_u32(fdt, "#size-cells", 0));
	for (i = 0; i < vm->nr_vcpus; i++) {
		/* reg is MPIDR's Aff2..Aff0 (one address cell) */
		uint32_t reg = (uint32_t)(vm->vcpus[i].mpidr & 0xffffff);

		snprintf(name, sizeof(name), "cpu@%x", reg);
		CHECK(fdt_begin_node(fdt, name));
		CHECK(fdt_property_string(fdt, "device_type", "cpu"));
		CHECK(fdt_property_string(fdt, "compatible", "arm,arm-v8"));
		CHECK(fdt_property_string(fdt, "enable-method", "psci"));
		CHECK(fdt_property_u32(fdt, "reg", reg));
		CHECK(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

/* HVC, or with EL2 SMC: HVC is then the guest hypervisor's own (kvmtool) */
static int fdt_psci(void *fdt, struct vm *vm)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";

	CHECK(fdt_begin_node(fdt, "psci"));
	CHECK(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	CHECK(fdt_property_string(fdt, "method", vm->cfg->nested ? "smc" : "hvc"));
	return fdt_end_node(fdt);
}

/*
 * A PPI's flags cell: with a GICv2 its bits [15:8] name the CPU interfaces
 * it is wired to (bindings/interrupt-controller/arm,gic.yaml), all of them.
 */
static uint32_t ppi_flags(const struct vm *vm, uint32_t type)
{
	if (!vm->gicv2)
		return type;
	return type | ((((1u << vm->nr_vcpus) - 1) << GIC_FDT_IRQ_PPI_CPU_SHIFT) &
		       GIC_FDT_IRQ_PPI_CPU_MASK);
}

static int fdt_timer(void *fdt, struct vm *vm)
{
	/*
	 * secure phys, non-secure phys, virtual, hypervisor PPIs (booting.rst),
	 * and the hypervisor virtual timer's where EL2 has FEAT_VHE (--nested;
	 * bindings/timer/arm,arch_timer.yaml)
	 */
	static const uint32_t ppis[] = { 13, 14, 11, 10, 12 };
	unsigned int i, n = vm->el2_vhe ? 5 : 4;
	fdt32_t irqs[15];

	CHECK(fdt_begin_node(fdt, "timer"));
	CHECK(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	CHECK(fdt_property(fdt, "always-on", NULL, 0));
	if (vm->irqchip) {
		for (i = 0; i < n; i++) {
			irqs[3 * i] = cpu_to_fdt32(GIC_FDT_IRQ_TYPE_PPI);
			irqs[3 * i + 1] = cpu_to_fdt32(ppis[i]);
			irqs[3 * i + 2] = cpu_to_fdt32(ppi_flags(vm, IRQ_TYPE_LEVEL_LOW));
		}
		CHECK(fdt_property(fdt, "interrupts", irqs, 3 * n * sizeof(irqs[0])));
	}
	return fdt_end_node(fdt);
}

/* --pmu: kvmtool's node, its PPI level-high (the overflow request is a level) */
static int fdt_pmu(void *fdt, struct vm *vm)
{
	fdt32_t irq[3] = {
		cpu_to_fdt32(GIC_FDT_IRQ_TYPE_PPI), cpu_to_fdt32(PMU_PPI - 16),
		cpu_to_fdt32(ppi_flags(vm, IRQ_TYPE_LEVEL_HIGH)),
	};

	if (!vm->cfg->pmu)
		return 0;
	CHECK(fdt_begin_node(fdt, "pmu"));
	CHECK(fdt_property_string(fdt, "compatible", "arm,armv8-pmuv3"));
	if (vm->irqchip)
		CHECK(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	return fdt_end_node(fdt);
}

static int fdt_gic(void *fdt, struct vm *vm)
{
	fdt64_t reg[4];
	char name[48];
	unsigned int i;
	const struct region *dist = NULL, *redist = NULL;

	/* GICv3: distributor, redistributors; GICv2: distributor, CPU interface */
	for (i = 0; i < vm->map.n; i++) {
		if (!strcmp(vm->map.r[i].name, "gic-dist"))
			dist = &vm->map.r[i];
		if (!strcmp(vm->map.r[i].name, vm->gicv2 ? "gic-cpu" : "gic-redist"))
			redist = &vm->map.r[i];
	}
	if (!dist || !redist)
		return -FDT_ERR_INTERNAL;
	reg[0] = cpu_to_fdt64(dist->base);
	reg[1] = cpu_to_fdt64(dist->size);
	reg[2] = cpu_to_fdt64(redist->base);
	reg[3] = cpu_to_fdt64(redist->size);
	snprintf(name, sizeof(name), "intc@%llx", (unsigned long long)dist->base);
	CHECK(fdt_begin_node(fdt, name));
	CHECK(fdt_property_string(fdt, "compatible",
				  vm->gicv2 ? "arm,cortex-a15-gic" : "arm,gic-v3"));
	CHECK(fdt_property_u32(fdt, "#interrupt-cells", 3));
	CHECK(fdt_property_u32(fdt, "#address-cells", 2));
	CHECK(fdt_property_u32(fdt, "#size-cells", 2));
	CHECK(fdt_property(fdt, "interrupt-controller", NULL, 0));
	CHECK(fdt_property(fdt, "reg", reg, sizeof(reg)));
	CHECK(fdt_property_u32(fdt, "phandle", FDT_PHANDLE_GIC));
	if (vm->gic_maint_irq) {
		/* --nested: the virtualization maintenance interrupt (arm,gic-v3.yaml) */
		fdt32_t mi[3] = {
			cpu_to_fdt32(GIC_FDT_IRQ_TYPE_PPI), cpu_to_fdt32(vm->gic_maint_irq - 16),
			cpu_to_fdt32(IRQ_TYPE_LEVEL_HIGH),
		};

		CHECK(fdt_property(fdt, "interrupts", mi, sizeof(mi)));
	}
	for (i = 0; i < vm->map.n; i++) {
		const struct region *its = &vm->map.r[i];

		/* --irqchip gicv3-its: the ITS as a child, as kvmtool's "msic" */
		if (strcmp(its->name, "gic-its"))
			continue;
		CHECK(fdt_property(fdt, "ranges", NULL, 0));
		snprintf(name, sizeof(name), "msic@%llx", (unsigned long long)its->base);
		CHECK(fdt_begin_node(fdt, name));
		CHECK(fdt_property_string(fdt, "compatible", "arm,gic-v3-its"));
		CHECK(fdt_property(fdt, "msi-controller", NULL, 0));
		CHECK(fdt_property_u32(fdt, "#msi-cells", 1));
		CHECK(prop_reg(fdt, its->base, its->size));
		CHECK(fdt_property_u32(fdt, "phandle", FDT_PHANDLE_ITS));
		CHECK(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int fdt_apb_pclk(void *fdt)
{
	CHECK(fdt_begin_node(fdt, "apb-pclk"));
	CHECK(fdt_property_string(fdt, "compatible", "fixed-clock"));
	CHECK(fdt_property_u32(fdt, "#clock-cells", 0));
	CHECK(fdt_property_u32(fdt, "clock-frequency", 24000000));
	CHECK(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
	CHECK(fdt_property_u32(fdt, "phandle", FDT_PHANDLE_APB_PCLK));
	return fdt_end_node(fdt);
}

static int fdt_device(void *fdt, struct vm *vm, struct device *dev)
{
	const struct region *r = dev->region;
	char name[64];

	if (dev->ops->fdt_node)
		return dev->ops->fdt_node(dev, fdt);
	node_name(name, sizeof(name), r);
	CHECK(fdt_begin_node(fdt, name));
	if (dev->ops->fdt_props)
		CHECK(dev->ops->fdt_props(dev, fdt));
	CHECK(prop_reg(fdt, r->base, r->size));
	if (vm->irqchip && r->intid >= 32) {
		fdt32_t irq[3] = {
			cpu_to_fdt32(GIC_FDT_IRQ_TYPE_SPI),
			cpu_to_fdt32(r->intid - 32),
			cpu_to_fdt32(IRQ_TYPE_LEVEL_HIGH),
		};
		CHECK(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	}
	return fdt_end_node(fdt);
}

static struct device *console_device(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_devices; i++)
		if (vm->devices[i]->ops->input)
			return vm->devices[i];
	return NULL;
}

static int fdt_chosen(void *fdt, struct vm *vm, const char *bootargs, uint64_t seed)
{
	struct device *con = console_device(vm);
	char path[64];

	CHECK(fdt_begin_node(fdt, "chosen"));
	CHECK(fdt_property_string(fdt, "bootargs", bootargs ? bootargs : ""));
	if (con) {
		path[0] = '/';
		node_name(path + 1, sizeof(path) - 1, con->region);
		CHECK(fdt_property_string(fdt, "stdout-path", path));
	}
	if (vm->initrd_end > vm->initrd_start) {
		CHECK(fdt_property_u64(fdt, "linux,initrd-start", vm->initrd_start));
		CHECK(fdt_property_u64(fdt, "linux,initrd-end", vm->initrd_end));
	}
	CHECK(fdt_property_u64(fdt, "kaslr-seed", seed));
	return fdt_end_node(fdt);
}

int fdt_build(struct vm *vm, const char *bootargs, uint64_t kaslr_seed,
	      void *buf, size_t size)
{
	char name[48];
	unsigned int i;

	CHECK(fdt_create(buf, (int)size));
	CHECK(fdt_finish_reservemap(buf));
	CHECK(fdt_begin_node(buf, ""));
	CHECK(fdt_property_string(buf, "compatible", "linux,dummy-virt"));
	CHECK(fdt_property_string(buf, "model", "vmm"));
	CHECK(fdt_property_u32(buf, "#address-cells", 2));
	CHECK(fdt_property_u32(buf, "#size-cells", 2));
	if (vm->irqchip)
		CHECK(fdt_property_u32(buf, "interrupt-parent", FDT_PHANDLE_GIC));

	CHECK(fdt_chosen(buf, vm, bootargs, kaslr_seed));
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)vm->ram_base);
	CHECK(fdt_begin_node(buf, name));
	CHECK(fdt_property_string(buf, "device_type", "memory"));
	CHECK(prop_reg(buf, vm->ram_base, vm->ram_size));
	CHECK(fdt_end_node(buf));
	CHECK(fdt_cpus(buf, vm));
	CHECK(fdt_psci(buf, vm));
	CHECK(fdt_timer(buf, vm));
	CHECK(fdt_pmu(buf, vm));
	if (vm->irqchip)
		CHECK(fdt_gic(buf, vm));
	CHECK(fdt_apb_pclk(buf));
	for (i = 0; i < vm->nr_devices; i++)
		CHECK(fdt_device(buf, vm, vm->devices[i]));

	CHECK(fdt_end_node(buf));
	CHECK(fdt_finish(buf));
	return 0;
}
