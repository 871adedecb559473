// SPDX-License-Identifier: GPL-2.0
/*
 * `vmm run` once its options are parsed: open the hypervisor and the
 * images, create the VM (RAM, irqchip, devices, vCPUs) from the memory map,
 * load kernel/initrd/DTB as the arm64 boot protocol says, drop privileges,
 * run one thread per vCPU and wait for the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libfdt.h>
#include <vkvm.h>

#include "../devices/device.h"
#include "../devices/net.h"
#include "../fdt/fdt.h"
#include "builtin.h"
#include "caps.h"
#include "console.h"
#include "gdbstub.h"
#include "loader.h"
#include "monitor.h"
#include "mmio.h"
#include "regs.h"
#include "sve.h"
#include "vcpu.h"
#include "vmm.h"

#define GIC_NR_IRQS	128	/* SGIs, PPIs and 96 SPIs: ample for our devices */

void *vm_gpa_to_host(struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (!vm->ram || gpa < vm->ram_base || len > vm->ram_size ||
	    gpa - vm->ram_base > vm->ram_size - len)
		return NULL;
	return vm->ram + (gpa - vm->ram_base);
}

void vm_irq_line(struct vm *vm, int intid, int level)
{
	struct kvm_irq_level irq;

	if (!vm->irqchip || intid < 32)
		return;
	irq.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | (uint32_t)intid;
	irq.level = (uint32_t)level;
	if (vm->hv->ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq) < 0)
		pr_warn_rl("KVM_IRQ_LINE %d: %s\n", intid, strerror(errno));
}

static int check_ext(struct vm *vm, long cap)
{
	int r = vm->hv->ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, cap);

	return r > 0 ? r : 0;
}

static int enable_cap(struct vm *vm, uint32_t cap)
{
	struct kvm_enable_cap ec = { .cap = cap };

	return vm->hv->ioctl(vm->vm_fd, KVM_ENABLE_CAP, &ec);
}

struct image_file {
	const char *opt;
	const char *path;
	int fd;
	uint64_t size;
};

static int open_image(struct image_file *f, const char *opt, const char *path)
{
	char why[128], shown[PRINTABLE_MAX];
	struct stat st;

	f->opt = opt;
	f->path = path;
	f->fd = -1;
	f->size = 0;
	if (!path)
		return 0;
	f->fd = open_option_file(path, O_RDONLY, false, &st, why, sizeof(why));
	if (f->fd < 0) {
		printable(path, shown, sizeof(shown));
		/* lkvm's words: kvm-unit-tests' runner probes for them */
		if (!strcmp(opt, "--kernel"))
			pr_err("Fatal: Unable to open kernel %s (--kernel): %s\n", shown, why);
		else
			pr_err("%s '%s': %s\n", opt, shown, why);
		return -1;
	}
	if (!st.st_size) {
		pr_err("%s '%s': empty file\n", opt, printable(path, shown, sizeof(shown)));
		return -1;
	}
	f->size = (uint64_t)st.st_size;
	return 0;
}

static int read_image(struct vm *vm, struct image_file *f, uint64_t gpa)
{
	uint8_t *dst = vm_gpa_to_host(vm, gpa, f->size);
	char shown[PRINTABLE_MAX];
	uint64_t done = 0;
	ssize_t n;

	printable(f->path, shown, sizeof(shown));
	if (!dst) {
		pr_err("%s '%s': does not fit in RAM at %#" PRIx64 "\n", f->opt, shown, gpa);
		return -1;
	}
	while (done < f->size) {
		n = pread(f->fd, dst + done, f->size - done, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			pr_err("%s '%s': read error: %s\n", f->opt, shown,
			       n < 0 ? strerror(errno) : "file shrank");
			return -1;
		}
		done += (uint64_t)n;
	}
	return 0;
}

/* --disk files (or block devices): opened, read-only for ",ro", before capabilities go */
static int open_disks(struct vm *vm)
{
	char path[PATH_MAX], why[128], shown[PRINTABLE_MAX];
	struct stat st;
	unsigned int i;
	uint64_t size;
	int fd;

	for (i = 0; i < vm->cfg->nr_disks; i++) {
		const struct vmm_disk *d = &vm->cfg->disks[i];

		snprintf(path, sizeof(path), "%.*s", d->path_len, d->path);
		printable(path, shown, sizeof(shown));
		fd = open_option_file(path, d->ro ? O_RDONLY : O_RDWR, true, &st, why,
				      sizeof(why));
		if (fd < 0) {
			pr_err("--disk '%s': %s\n", shown, why);
			return -1;
		}
		vm->disk_fd[i] = fd;
		size = (uint64_t)st.st_size;
		if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, &size) < 0) {
			pr_err("--disk '%s': the size of the block device: %s\n", shown,
			       strerror(errno));
			return -1;
		}
		if (size < 512)
			pr_warn("--disk '%s': smaller than one 512-byte sector: the disk is empty\n",
				shown);
		vm->disk_size[i] = size;
	}
	return 0;
}

/*
 * --dump-dtb may not name a file another option reads (it would destroy
 * the kernel, say), and two options may not both write one file (a
 * writable disk given twice: two writers that know nothing of each other).
 * The guest writing a disk it was booted from is fine: the kernel and the
 * initrd are read before it runs.
 */
struct file_use {
	const char *opt;
	char path[PRINTABLE_MAX];
	struct stat st;
	bool writes;
};

static void file_use_add(struct file_use *f, unsigned int *n, const char *opt, int fd,
			 const char *path, bool writes)
{
	if (fd < 0 || fstat(fd, &f[*n].st) < 0)
		return;
	f[*n].opt = opt;
	printable(path, f[*n].path, sizeof(f[*n].path));
	f[*n].writes = writes;
	(*n)++;
}

static int check_distinct(struct vm *vm, const struct image_file *kernel,
			  const struct image_file *initrd)
{
	struct file_use f[MAX_DISKS + 3];
	unsigned int n = 0, i, j;
	bool dtb;

	file_use_add(f, &n, kernel->opt, kernel->fd, kernel->path, false);
	file_use_add(f, &n, "--initrd", initrd->fd, initrd->path, false);
	file_use_add(f, &n, "--dump-dtb", vm->dtb_fd, vm->cfg->dump_dtb, true);
	for (i = 0; i < vm->cfg->nr_disks; i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%.*s", vm->cfg->disks[i].path_len,
			 vm->cfg->disks[i].path);
		file_use_add(f, &n, "--disk", vm->disk_fd[i], path, !vm->cfg->disks[i].ro);
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			dtb = !strcmp(f[i].opt, "--dump-dtb") || !strcmp(f[j].opt, "--dump-dtb");
			if ((dtb || (f[i].writes && f[j].writes)) &&
			    f[i].st.st_dev == f[j].st.st_dev && f[i].st.st_ino == f[j].st.st_ino) {
				pr_err("%s '%s' and %s '%s' are one file; %s\n", f[i].opt, f[i].path,
				       f[j].opt, f[j].path, dtb ? "--dump-dtb would overwrite it" :
				       "two writers would corrupt it");
				return -1;
			}
		}
	return 0;
}

/* One virtio device: a virtio-mmio slot in the map, or a function on the PCI bus. */
static int add_one_virtio(struct vm *vm, const char *device, int arg)
{
	if (vm->cfg->virtio_transport != VIRTIO_TRANSPORT_PCI)
		return memmap_add_virtio(&vm->map, device, arg);
	if (vm->nr_pci_fns == MAX_PCI_FNS)
		return -1;
	vm->pci_fns[vm->nr_pci_fns].device = device;
	vm->pci_fns[vm->nr_pci_fns].arg = arg;
	vm->nr_pci_fns++;
	return 0;
}

/*
 * The virtio devices: the disks in order, the rng, the 9p shares, the
 * console, the NIC; on virtio-mmio, or on PCI behind the host bridge.
 */
static int add_virtio(struct vm *vm)
{
	unsigned int i;

	if (vm->cfg->virtio_transport == VIRTIO_TRANSPORT_PCI && memmap_add_pci(&vm->map) < 0) {
		pr_err("--virtio-transport pci: no room for the PCI bridge in the memory map\n");
		return -1;
	}
	for (i = 0; i < vm->cfg->nr_disks; i++)
		if (add_one_virtio(vm, "virtio-blk", (int)i) < 0)
			goto full;
	if (vm->cfg->rng && add_one_virtio(vm, "virtio-rng", 0) < 0)
		goto full;
	for (i = 0; i < vm->cfg->nr_9p; i++)
		if (add_one_virtio(vm, "virtio-9p", (int)i) < 0)
			goto full;
	if (vm->cfg->virtio_console && add_one_virtio(vm, "virtio-console", 0) < 0)
		goto full;
	if (vm->cfg->net.mode != NET_MODE_NONE && add_one_virtio(vm, "virtio-net", 0) < 0)
		goto full;
	return 0;
full:
	pr_err("no room for more virtio-%s devices\n",
	       vm->cfg->virtio_transport == VIRTIO_TRANSPORT_PCI ? "pci" : "mmio");
	return -1;
}

static int setup_ram(struct vm *vm)
{
	struct kvm_userspace_memory_region mr;

	/*
	 * Private anonymous memory, as QEMU's RAM: transparent huge pages
	 * where the host offers them for madvise (a memfd's shmem pages are
	 * THP only where shmem_enabled says so, "never" by default).  A boot
	 * to power-off faults 17.1 K pages instead of 25.1 K (perf stat -e
	 * page-faults), most of the difference the kernel Image's pread().
	 */
	vm->ram = mmap(NULL, vm->ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED) {
		vm->ram = NULL;
		pr_err("mapping guest RAM (%" PRIu64 " MiB): %s\n", vm->ram_size >> 20,
		       strerror(errno));
		return -1;
	}
	madvise(vm->ram, vm->ram_size, MADV_MERGEABLE);
	madvise(vm->ram, vm->ram_size, MADV_HUGEPAGE);
	mr = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = vm->ram_base,
		.memory_size = vm->ram_size,
		.userspace_addr = (uint64_t)(uintptr_t)vm->ram,
	};
	if (vm->hv->ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &mr) < 0) {
		pr_err("KVM_SET_USER_MEMORY_REGION: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int gic_attr(struct vm *vm, uint32_t group, uint64_t attr, void *val)
{
	struct kvm_device_attr a = {
		.group = group, .attr = attr, .addr = (uint64_t)(uintptr_t)val,
	};

	return vm->hv->ioctl(vm->gic_fd, KVM_SET_DEVICE_ATTR, &a);
}

/* The GIC's name in messages */
static const char *gic_name(const struct vm *vm)
{
	return vm->gicv2 ? "GICv2" : "GICv3";
}

/*
 * The in-kernel GIC, before the vCPUs: a GICv3 when the hypervisor has one
 * (else none), or the GICv2 that --irqchip gicv2 asks for (else an error).
 */
static int create_gic(struct vm *vm)
{
	bool v2 = vm->cfg->irqchip == IRQCHIP_GICV2;
	struct kvm_create_device cd = {
		.type = v2 ? KVM_DEV_TYPE_ARM_VGIC_V2 : KVM_DEV_TYPE_ARM_VGIC_V3,
	};
	uint64_t dist = GIC_DIST_BASE;
	/* GICv3: the redistributors below the distributor; GICv2: the CPU interface */
	uint64_t frames = v2 ? GIC_CPUI_BASE :
			  GIC_DIST_BASE - (uint64_t)vm->nr_vcpus * GIC_REDIST_SIZE;

	vm->gic_fd = -1;
	vm->gicv2 = v2;
	if (!check_ext(vm, KVM_CAP_IRQCHIP)) {
		if (v2) {
			pr_err("--irqchip gicv2: the %s hypervisor has no in-kernel irqchip\n",
			       vm->hv->name);
			return -1;
		}
		pr_debug("no in-kernel irqchip (KVM_CAP_IRQCHIP is 0): running without "
			 "an interrupt controller\n");
		return 0;
	}
	if (vm->hv->ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &cd) < 0) {
		if (v2) {
			pr_err("--irqchip gicv2: KVM_CREATE_DEVICE(VGIC_V2): %s (the %s "
			       "hypervisor cannot emulate a GICv2)\n", strerror(errno),
			       vm->hv->name);
			return -1;
		}
		pr_debug("KVM_CREATE_DEVICE(VGIC_V3): %s: running without an interrupt "
			 "controller\n", strerror(errno));
		return 0;
	}
	vm->gic_fd = (int)cd.fd;
	if (gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR, v2 ? KVM_VGIC_V2_ADDR_TYPE_DIST :
		     KVM_VGIC_V3_ADDR_TYPE_DIST, &dist) < 0 ||
	    gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR, v2 ? KVM_VGIC_V2_ADDR_TYPE_CPU :
		     KVM_VGIC_V3_ADDR_TYPE_REDIST, &frames) < 0) {
		if (v2) {
			pr_err("--irqchip gicv2: the GICv2's addresses: %s\n", strerror(errno));
			return -1;
		}
		pr_warn("GICv3 addresses: %s: running without an interrupt controller\n",
			strerror(errno));
		vm->hv->close(vm->gic_fd);
		vm->gic_fd = -1;
		return 0;
	}
	vm->irqchip = true;
	pr_debug("%s: distributor %#" PRIx64 ", %s %#" PRIx64 "\n", gic_name(vm), dist,
		 v2 ? "CPU interface" : "redistributors", frames);
	return 0;
}

/*
 * --irqchip gicv3-its: the ITS device at kvmtool's address, below the
 * redistributors; after the GICv3, and in the memory map.
 */
static int create_its(struct vm *vm)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_ITS };
	struct kvm_device_attr a = { .group = KVM_DEV_ARM_VGIC_GRP_ADDR,
				     .attr = KVM_VGIC_ITS_ADDR_TYPE };

	vm->its_fd = -1;
	if (vm->cfg->irqchip != IRQCHIP_GICV3_ITS)
		return 0;
	if (!vm->irqchip) {
		pr_err("--irqchip gicv3-its: the %s hypervisor has no in-kernel GICv3\n",
		       vm->hv->name);
		return -1;
	}
	if (vm->hv->ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &cd) < 0) {
		pr_err("KVM_CREATE_DEVICE(VGIC_ITS): %s\n", strerror(errno));
		return -1;
	}
	vm->its_fd = (int)cd.fd;
	vm->its_base = GIC_ITS_BASE(vm->nr_vcpus);
	a.addr = (uint64_t)(uintptr_t)&vm->its_base;
	if (vm->hv->ioctl(vm->its_fd, KVM_SET_DEVICE_ATTR, &a) < 0) {
		pr_err("ITS address %#" PRIx64 ": %s\n", vm->its_base, strerror(errno));
		return -1;
	}
	if (memmap_add_its(&vm->map, vm->its_base) < 0) {
		pr_err("--irqchip gicv3-its: no room for the ITS in the memory map\n");
		return -1;
	}
	pr_debug("GICv3 ITS at %#" PRIx64 "\n", vm->its_base);
	return 0;
}

/* After the vCPUs exist: size and initialise the GIC. */
static int init_gic(struct vm *vm)
{
	uint32_t nr_irqs = GIC_NR_IRQS;

	if (!vm->irqchip)
		return 0;
	if (vm->cfg->nested && !vm->gicv2) {
		/* the GIC maintenance interrupt, PPI 9 (INTID 25) as kvmtool's,
		 * where the hypervisor has the attribute (KVM >= 6.15 with NV) */
		struct kvm_device_attr a = { .group = KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ };
		uint32_t mi = GIC_MAINT_INTID;

		if (vm->hv->ioctl(vm->gic_fd, KVM_HAS_DEVICE_ATTR, &a) == 0) {
			if (gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ, 0, &mi) < 0) {
				pr_err("GIC maintenance interrupt %u: %s\n", mi, strerror(errno));
				return -1;
			}
			vm->gic_maint_irq = mi;
		}
	}
	if (gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs) < 0 ||
	    gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL) < 0) {
		pr_err("initialising the %s: %s\n", gic_name(vm), strerror(errno));
		return -1;
	}
	if (vm->its_fd >= 0) {
		struct kvm_device_attr a = { .group = KVM_DEV_ARM_VGIC_GRP_CTRL,
					     .attr = KVM_DEV_ARM_VGIC_CTRL_INIT };

		if (vm->hv->ioctl(vm->its_fd, KVM_SET_DEVICE_ATTR, &a) < 0) {
			pr_err("initialising the ITS: %s\n", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int setup_devices(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->map.n; i++) {
		const struct region *r = &vm->map.r[i];
		const struct device_ops *ops;
		struct device *dev;

		if (r->type != REGION_DEVICE)
			continue;
		ops = device_find(r->device);
		if (!ops) {
			pr_err("memory map: no device '%s' for %s\n", r->device, r->name);
			return -1;
		}
		dev = calloc(1, sizeof(*dev));
		if (!dev)
			return -1;
		dev->ops = ops;
		dev->region = r;
		dev->vm = vm;
		if (ops->init && ops->init(dev) < 0) {
			pr_err("%s: cannot initialise\n", r->name);
			free(dev);
			return -1;
		}
		vm->devices[vm->nr_devices++] = dev;
		vm->region_dev[i] = dev;
		/* the first UART, unless --console virtio (on its own or on PCI) */
		if (ops->input && (!vm->console || !strcmp(ops->name, "virtio-console") ||
				   (!strcmp(ops->name, "pci") && vm->cfg->virtio_console)))
			vm->console = dev;
	}
	return 0;
}

/*
 * KVM_CAP_COALESCED_MMIO answers the page of the vCPU mapping that holds
 * the VM's ring (api.rst); vCPU 0's mapping is where vmm reads it.
 */
static void find_coalesced_ring(struct vm *vm, struct vcpu *vcpu)
{
	long pg = sysconf(_SC_PAGESIZE);
	int at = check_ext(vm, KVM_CAP_COALESCED_MMIO);

	if (at <= 0 || (size_t)(at + 1) * (size_t)pg > vm->run_size)
		return;
	vm->coalesced = (struct kvm_coalesced_mmio_ring *)((char *)vcpu->run + (size_t)at * (size_t)pg);
	vm->coalesced_max = (unsigned int)(((size_t)pg - sizeof(*vm->coalesced)) /
					   sizeof(struct kvm_coalesced_mmio));
}

static int setup_vcpu(struct vm *vm, unsigned int id, bool sve)
{
	struct vcpu *vcpu = &vm->vcpus[id];
	struct kvm_vcpu_init init;
	const char *sve_opt = "--sve-vl";

	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->fd = vm->hv->ioctl(vm->vm_fd, KVM_CREATE_VCPU, id);
	if (vcpu->fd < 0) {
		pr_err("KVM_CREATE_VCPU %u: %s\n", id, strerror(errno));
		return -1;
	}
	vcpu->run = vm->hv->mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
				 vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED) {
		vcpu->run = NULL;
		pr_err("mapping kvm_run of vCPU %u: %s\n", id, strerror(errno));
		return -1;
	}
	if (!id)
		find_coalesced_ring(vm, vcpu);
	if (vm->hv->ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0) {
		pr_err("KVM_ARM_PREFERRED_TARGET: %s\n", strerror(errno));
		return -1;
	}
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	/* every vCPU but the boot one waits for PSCI CPU_ON */
	if (id)
		init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
	if (sve)
		init.features[0] |= 1u << KVM_ARM_VCPU_SVE;
	/* pointer authentication whenever offered, both keys' kinds, as kvmtool */
	if (check_ext(vm, KVM_CAP_ARM_PTRAUTH_ADDRESS) &&
	    check_ext(vm, KVM_CAP_ARM_PTRAUTH_GENERIC))
		init.features[0] |= 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS |
				    1u << KVM_ARM_VCPU_PTRAUTH_GENERIC;
	if (vm->cfg->pmu)
		init.features[0] |= 1u << KVM_ARM_VCPU_PMU_V3;
	/* --nested, --e2h0: kvmtool's names for HAS_EL2 and HAS_EL2_E2H0 */
	if (vm->cfg->nested) {
		if (!check_ext(vm, KVM_CAP_ARM_EL2)) {
			pr_err("--nested: the %s hypervisor offers no KVM_CAP_ARM_EL2\n",
			       vm->hv->name);
			return -1;
		}
		init.features[0] |= 1u << KVM_ARM_VCPU_HAS_EL2;
		if (vm->cfg->e2h0) {
			if (!check_ext(vm, KVM_CAP_ARM_EL2_E2H0)) {
				pr_err("--e2h0: the %s hypervisor offers no "
				       "KVM_CAP_ARM_EL2_E2H0\n", vm->hv->name);
				return -1;
			}
			init.features[0] |= 1u << KVM_ARM_VCPU_HAS_EL2_E2H0;
		}
	}
	if (vm->hv->ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init) < 0) {
		pr_err("KVM_ARM_VCPU_INIT of vCPU %u: %s\n", id, strerror(errno));
		return -1;
	}
	if (sve) {
		if (vm->cfg->sve_vl && vm->cfg->sve_vl_opt)
			sve_opt = vm->cfg->sve_vl_opt;
		if (sve_configure_opt(vm->hv, vcpu->fd, vm->cfg->sve_vl, sve_opt) < 0)
			return -1;
	}
	if (vcpu_get_reg(vcpu, REG_MPIDR_EL1, &vcpu->mpidr) < 0)
		vcpu->mpidr = id;	/* KVM's layout for small counts */
	if (vm->cfg->nested && !id) {
		uint64_t mmfr1 = 0;

		/* FEAT_VHE brings the EL2 virtual timer (the DT lists its PPI) */
		if (vcpu_get_reg(vcpu, REG_ID_AA64MMFR1_EL1, &mmfr1) == 0)
			vm->el2_vhe = (mmfr1 >> 8) & 0xf;
	}
	if (vm->cfg->debug_single_step && vcpu_set_single_step(vcpu, true) < 0)
		return -1;
	return 0;
}

static char *make_bootargs(const struct vmm_config *cfg)
{
	const char *defaults = cfg->nodefaults ? "" : DEFAULT_BOOTARGS;
	const char *params = cfg->params ? cfg->params : "";
	size_t len = bootargs_len(cfg) + 1;
	char *s = malloc(len);

	if (s)
		snprintf(s, len, "%s%s%s", defaults, *defaults && *params ? " " : "", params);
	return s;
}

/* --dump-dtb: opened (not truncated) with the images, written once the DTB is built */
static int open_dump_dtb(struct vm *vm)
{
	char why[128], shown[PRINTABLE_MAX];
	struct stat st;

	if (!vm->cfg->dump_dtb)
		return 0;
	vm->dtb_fd = open_option_file(vm->cfg->dump_dtb, O_WRONLY | O_CREAT, false, &st, why,
				      sizeof(why));
	if (vm->dtb_fd < 0) {
		pr_err("--dump-dtb '%s': %s\n", printable(vm->cfg->dump_dtb, shown, sizeof(shown)),
		       why);
		return -1;
	}
	return 0;
}

static int write_dtb_file(struct vm *vm, const void *fdt, size_t size)
{
	char shown[PRINTABLE_MAX];
	const uint8_t *p = fdt;
	size_t done = 0;
	ssize_t n;

	if (ftruncate(vm->dtb_fd, 0) < 0)
		goto err;
	while (done < size) {
		n = pwrite(vm->dtb_fd, p + done, size - done, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto err;
		done += (size_t)n;
	}
	return 0;
err:
	pr_err("--dump-dtb '%s': %s\n", printable(vm->cfg->dump_dtb, shown, sizeof(shown)),
	       strerror(errno ? errno : EIO));
	return -1;
}

static int load_images(struct vm *vm, struct image_file *kernel, struct image_file *initrd,
		       const struct image_info *img, bool firmware)
{
	struct boot_layout l = { .ram_base = vm->ram_base, .ram_size = vm->ram_size };
	uint8_t fdt[FDT_MAX_SIZE];
	uint64_t seed = 0;
	char err[256], *bootargs;
	int ret;

	ret = boot_layout_plan(&l, img, firmware, kernel->size, initrd->size, err, sizeof(err));
	if (ret) {
		struct image_file *f = ret == -2 ? initrd : kernel;
		char shown[PRINTABLE_MAX];

		pr_err("%s '%s': %s\n", f->opt, printable(f->path, shown, sizeof(shown)), err);
		return -1;
	}
	if (read_image(vm, kernel, l.kernel_addr) < 0)
		return -1;
	if (initrd->fd >= 0 && read_image(vm, initrd, l.initrd_addr) < 0)
		return -1;
	vm->entry = l.kernel_addr;
	vm->dtb_addr = l.dtb_addr;
	if (initrd->fd >= 0) {
		vm->initrd_start = l.initrd_addr;
		vm->initrd_end = l.initrd_addr + initrd->size;
	}
	pr_debug("%s %s: %s, loaded at %#" PRIx64 "-%#" PRIx64 "%s\n", kernel->opt, kernel->path,
		 firmware ? "firmware" : img->has_header ? "arm64 Image" : "raw binary",
		 l.kernel_addr, l.kernel_end, img->page_size ?
		 (img->page_size == 4096 ? ", 4K pages" : img->page_size == 16384 ?
		  ", 16K pages" : ", 64K pages") : "");
	if (initrd->fd >= 0)
		pr_debug("initrd at %#" PRIx64 "-%#" PRIx64 "\n", vm->initrd_start, vm->initrd_end);
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL;
	bootargs = make_bootargs(vm->cfg);
	if (!bootargs)
		return -1;
	pr_debug("bootargs: \"%s\"\n", bootargs);
	ret = fdt_build(vm, bootargs, seed, fdt, sizeof(fdt));
	free(bootargs);
	if (ret) {
		pr_err("building the device tree: %s\n", fdt_strerror(ret));
		return -1;
	}
	memcpy(vm_gpa_to_host(vm, vm->dtb_addr, FDT_MAX_SIZE), fdt, fdt_totalsize(fdt));
	pr_debug("device tree at %#" PRIx64 " (%u bytes)\n", vm->dtb_addr, (unsigned int)fdt_totalsize(fdt));
	if (vm->dtb_fd >= 0 && write_dtb_file(vm, fdt, fdt_totalsize(fdt)))
		return -1;
	return 0;
}

static int boot_regs(struct vm *vm)
{
	struct vcpu *v = &vm->vcpus[0];

	/* booting.rst: x0 = DTB, x1..x3 = 0, PC = kernel entry */
	if (vcpu_set_reg(v, REG_PC, vm->entry) < 0 || vcpu_set_reg(v, REG_X(0), vm->dtb_addr) < 0 ||
	    vcpu_set_reg(v, REG_X(1), 0) < 0 || vcpu_set_reg(v, REG_X(2), 0) < 0 ||
	    vcpu_set_reg(v, REG_X(3), 0) < 0) {
		pr_err("setting the boot registers: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* --inject-memory-error: poison the 4 KiB page of each address (vkvm only) */
static int memory_errors(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->cfg->nr_memory_errors; i++) {
		uint64_t gpa = vm->cfg->memory_errors[i] & ~(SZ_4K - 1);
#ifdef VKVM_SET_MEMORY_ERROR
		struct vkvm_memory_error me = {
			.gpa = gpa, .size = SZ_4K, .flags = VKVM_MEMORY_ERROR_POISON,
		};

		if (vm->hv->ioctl(vm->vm_fd, VKVM_SET_MEMORY_ERROR, &me) == 0) {
			pr_debug("memory error emulated in page %#" PRIx64 "\n", gpa);
			vm->memory_errors_on = true;
			continue;
		}
		if (errno != ENOTTY && errno != ENOSYS) {
			pr_err("--inject-memory-error %#" PRIx64 ": %s\n",
			       vm->cfg->memory_errors[i], strerror(errno));
			return -1;
		}
#endif
		pr_warn("--inject-memory-error %#" PRIx64 ": not supported by this backend "
			"yet; running without poisoned memory\n", gpa);
		return 0;
	}
	return 0;
}

static int wait_for_end(struct vm *vm)
{
	struct timespec now, deadline = { 0 }, tick;
	int status;

	/* from vmm's start: set-up counts (builtin-run.c) */
	if (vm->cfg->timeout_s)
		deadline = vm->cfg->deadline;
	pthread_mutex_lock(&vm->lock);
	while (!vm->stopping) {
		if (console_signal) {
			pthread_mutex_unlock(&vm->lock);
			pr_err("terminated by signal %d\n", (int)console_signal);
			vm_stop(vm, 128 + console_signal);
			pthread_mutex_lock(&vm->lock);
			break;
		}
		if (vm->running == 0) {
			/* every vCPU thread is gone without a verdict */
			pthread_mutex_unlock(&vm->lock);
			vm_stop(vm, VMM_EXIT_INTERNAL);
			pthread_mutex_lock(&vm->lock);
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (vm->cfg->timeout_s && (now.tv_sec > deadline.tv_sec ||
		    (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec))) {
			pthread_mutex_unlock(&vm->lock);
			pr_err("--timeout %lu: the guest is still running; stopping it\n",
			       vm->cfg->timeout_s);
			vm_stop(vm, VMM_EXIT_TIMEOUT);
			pthread_mutex_lock(&vm->lock);
			break;
		}
		clock_gettime(CLOCK_REALTIME, &tick);
		tick.tv_nsec += 50 * 1000 * 1000;
		if (tick.tv_nsec >= 1000000000) {
			tick.tv_sec++;
			tick.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&vm->cond, &vm->lock, &tick);
	}
	status = vm->exit_status;
	pthread_mutex_unlock(&vm->lock);
	return status;
}

static void join_vcpus(struct vm *vm)
{
	struct timespec ts;
	unsigned int i;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 2;
	for (i = 0; i < vm->nr_vcpus; i++) {
		if (!vm->vcpus[i].started)
			continue;
		if (pthread_timedjoin_np(vm->vcpus[i].thread, NULL, &ts)) {
			pr_debug("vCPU %u did not stop in time\n", i);
			return;		/* leave the rest to process exit */
		}
		vm->vcpus[i].started = false;
	}
}

static void vm_destroy(struct vm *vm, bool threads_gone)
{
	unsigned int i;

	mmio_coalesced_stop(vm);
	if (threads_gone)
		for (i = 0; i < vm->nr_devices; i++)
			if (vm->devices[i]->ops->exit)
				vm->devices[i]->ops->exit(vm->devices[i]);
	for (i = 0; i < vm->nr_vcpus; i++) {
		if (vm->vcpus[i].started)
			threads_gone = false;
		if (vm->vcpus[i].fd >= 0 && !vm->vcpus[i].started)
			vm->hv->close(vm->vcpus[i].fd);
	}
	if (!threads_gone)
		return;		/* something may still touch the VM: let exit() clean up */
	for (i = 0; i < vm->nr_devices; i++)
		free(vm->devices[i]);
	if (vm->its_fd >= 0)
		vm->hv->close(vm->its_fd);
	if (vm->gic_fd >= 0)
		vm->hv->close(vm->gic_fd);
	if (vm->vm_fd >= 0)
		vm->hv->close(vm->vm_fd);
	if (vm->sys_fd >= 0)
		vm->hv->close(vm->sys_fd);
	/*
	 * A vCPU's kvm_run mapping holds its file, and the file the VM: only
	 * with them gone does KVM destroy the VM, and it must be gone before
	 * the RAM is unmapped.  Else that munmap runs KVM's MMU notifier on a
	 * live VM, which under nested virtualization (Linux 7.2,
	 * kvm_nested_s2_unmap) walks each shadow stage 2's whole IPA space, a
	 * TLB flush a GiB: minutes for the 52-bit one of QEMU's max CPU,
	 * where the VM's teardown frees those tables by walking them.
	 */
	for (i = 0; i < vm->nr_vcpus; i++) {
		if (vm->vcpus[i].run)
			munmap(vm->vcpus[i].run, vm->run_size);
		vm->vcpus[i].run = NULL;
	}
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	if (vm->pvtime)
		munmap(vm->pvtime, PVTIME_SIZE);
	for (i = 0; i < MAX_DISKS; i++)
		if (vm->disk_fd[i] >= 0)
			close(vm->disk_fd[i]);
	if (vm->dtb_fd >= 0)
		close(vm->dtb_fd);
	if (vm->tap_fd >= 0)
		close(vm->tap_fd);
}

/* ---- vm_run's steps, in order -------------------------------------------- */

static void vm_init(struct vm *vm, struct vmm_config *cfg)
{
	unsigned int i;

	memset(vm, 0, sizeof(*vm));
	vm->cfg = cfg;
	vm->sys_fd = vm->vm_fd = vm->gic_fd = vm->dtb_fd = vm->tap_fd = -1;
	vm->its_fd = -1;
	vm->step_vcpu = -1;
	vm->ram_base = RAM_BASE;
	vm->ram_size = cfg->ram_mib << 20;
	vm->nr_vcpus = cfg->nr_cpus;
	for (i = 0; i < MAX_VCPUS; i++)
		vm->vcpus[i].fd = -1;
	for (i = 0; i < MAX_DISKS; i++)
		vm->disk_fd[i] = -1;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_mutex_init(&vm->coalesced_lock, NULL);
	pthread_cond_init(&vm->cond, NULL);
	vcpu_signals_init();
}

/*
 * --jit / --no-jit: vkvm's block translator is switched by VKVM_JIT, which
 * it reads when a vCPU is created (docs/internals.md, "The JIT"); no VM
 * ioctl or capability carries it, as none of KVM's would.  Under KVM the
 * guest runs natively: nothing to switch, and the option is refused.
 */
static int choose_jit(struct vm *vm)
{
	const char *opt = vm->cfg->jit ? "--jit" : "--no-jit";

	if (!vm->cfg->jit && !vm->cfg->no_jit)
		return 0;
	if (vm->hv != &hv_vkvm) {
		pr_err("%s: only with --accel vkvm (KVM runs the guest's code natively)\n", opt);
		return -1;
	}
	if (setenv("VKVM_JIT", vm->cfg->jit ? "1" : "0", 1) < 0) {
		pr_err("%s: cannot set VKVM_JIT: %s\n", opt, strerror(errno));
		return -1;
	}
	return 0;
}

static int choose_hypervisor(struct vm *vm)
{
	if (parse_accel_option(vm->cfg->accel))
		return -1;
	vm->hv = hv_select(vm->cfg->accel);
	if (vm->cfg->nr_memory_errors && vm->hv != &hv_vkvm) {
		pr_err("--inject-memory-error: only with --accel vkvm\n");
		return -1;
	}
	return choose_jit(vm);
}

/* Every file the options name, before privileges go; the kernel's header read. */
static int open_files(struct vm *vm, struct image_file *kernel, struct image_file *initrd,
		      struct image_info *img)
{
	const struct vmm_config *cfg = vm->cfg;
	bool firmware = cfg->firmware != NULL;
	uint8_t hdr[ARM64_IMAGE_HDR_SIZE];
	char err[256], shown[PRINTABLE_MAX];
	ssize_t n;

	if (open_image(kernel, firmware ? "--firmware" : "--kernel",
		       firmware ? cfg->firmware : cfg->kernel) < 0 ||
	    open_image(initrd, "--initrd", cfg->initrd) < 0 || open_disks(vm) < 0 ||
	    open_dump_dtb(vm) < 0 || check_distinct(vm, kernel, initrd) < 0)
		return -1;
	/* --network mode=tap: attaching (or creating) a tap may need CAP_NET_ADMIN */
	if (cfg->net.mode == NET_MODE_TAP) {
		vm->tap_fd = net_tap_open(cfg->net.tapif);
		if (vm->tap_fd < 0)
			return -1;
	}
	n = pread(kernel->fd, hdr, sizeof(hdr), 0);
	memset(img, 0, sizeof(*img));
	if (!firmware && image_parse(hdr, n > 0 ? (size_t)n : 0, img, err, sizeof(err))) {
		pr_err("--kernel '%s': %s\n", printable(kernel->path, shown, sizeof(shown)), err);
		return -1;
	}
	return 0;
}

/* The hypervisor opened (then privileges go), the VM created, its limits read. */
static int create_vm(struct vm *vm)
{
	int max;

	vm->sys_fd = vm->hv->open(O_RDWR | O_CLOEXEC);
	if (vm->sys_fd < 0) {
		pr_err("opening the %s hypervisor%s: %s\n", vm->hv->name,
		       vm->hv == &hv_kvm ? " (/dev/kvm)" : "", strerror(errno));
		return -1;
	}
	if (vm->hv->ioctl(vm->sys_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		pr_err("the %s hypervisor has an unexpected KVM API version\n", vm->hv->name);
		return -1;
	}
	if (caps_drop() < 0)
		return -1;
	vm->vm_fd = vm->hv->ioctl(vm->sys_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		pr_err("KVM_CREATE_VM: %s\n", strerror(errno));
		return -1;
	}
	max = check_ext(vm, KVM_CAP_MAX_VCPUS);
	if (max > 0 && vm->cfg->nr_cpus > (unsigned int)max) {
		pr_err("--cpus %u: the %s hypervisor allows at most %d\n", vm->cfg->nr_cpus,
		       vm->hv->name, max);
		return -1;
	}
	vm->run_size = (size_t)vm->hv->ioctl(vm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if ((ssize_t)vm->run_size < (ssize_t)sizeof(struct kvm_run)) {
		pr_err("KVM_GET_VCPU_MMAP_SIZE: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * MTE as kvmtool: on whenever the hypervisor offers KVM_CAP_ARM_MTE, unless
 * --disable-mte; before any vCPU exists (KVM refuses it after).  Offered
 * but refused is an error, as kvmtool's die_perror().
 */
static int enable_mte(struct vm *vm)
{
	if (vm->cfg->mte_disabled) {
		pr_debug("MTE: off (--disable-mte)\n");
		return 0;
	}
	if (!check_ext(vm, KVM_CAP_ARM_MTE)) {
		pr_debug("MTE: off (the %s hypervisor has no KVM_CAP_ARM_MTE)\n", vm->hv->name);
		return 0;
	}
	if (enable_cap(vm, KVM_CAP_ARM_MTE) < 0) {
		pr_err("KVM_ENABLE_CAP(KVM_CAP_ARM_MTE): %s (--disable-mte runs without MTE)\n",
		       strerror(errno));
		return -1;
	}
	vm->mte_on = true;
	pr_debug("MTE: on\n");
	return 0;
}

/* What the hypervisor can do, against what the options ask: SVE or not, or -1. */
static int negotiate_caps(struct vm *vm)
{
	const struct vmm_config *cfg = vm->cfg;
	bool sve;

	vm->cap_nisv = check_ext(vm, KVM_CAP_ARM_NISV_TO_USER);
	vm->cap_sea = check_ext(vm, KVM_CAP_ARM_SEA_TO_USER);
	vm->cap_ext_dabt = check_ext(vm, KVM_CAP_ARM_INJECT_EXT_DABT);
	vm->cap_serror_esr = check_ext(vm, KVM_CAP_ARM_INJECT_SERROR_ESR);
	vm->cap_guest_debug = check_ext(vm, KVM_CAP_SET_GUEST_DEBUG);
	if (cfg->nisv_to_user && vm->cap_nisv) {
		if (enable_cap(vm, KVM_CAP_ARM_NISV_TO_USER) < 0)
			pr_warn("enabling KVM_CAP_ARM_NISV_TO_USER: %s\n", strerror(errno));
		else
			pr_debug("NISV exits to user space: on\n");
	} else {
		pr_debug("NISV exits to user space: off (%s)\n",
			 cfg->nisv_to_user ? "not supported" : "--no-nisv-to-user");
	}
	if (cfg->sea_to_user && vm->cap_sea) {
		if (enable_cap(vm, KVM_CAP_ARM_SEA_TO_USER) < 0) {
			pr_warn("enabling KVM_CAP_ARM_SEA_TO_USER: %s\n", strerror(errno));
		} else {
			vm->sea_to_user_on = true;
			pr_debug("SEA exits to user space: on\n");
		}
	} else {
		pr_debug("SEA exits to user space: off (%s)\n",
			 cfg->sea_to_user ? "not supported" : "--no-sea-to-user");
	}
	if ((cfg->debug_single_step || cfg->gdb) && !vm->cap_guest_debug) {
		pr_err("%s: the %s hypervisor has no KVM_CAP_SET_GUEST_DEBUG\n",
		       cfg->gdb ? "--gdb" : "--debug-single-step", vm->hv->name);
		return -1;
	}
	if (enable_mte(vm) < 0)
		return -1;
	sve = !cfg->no_sve && check_ext(vm, KVM_CAP_ARM_SVE);
	if (cfg->sve_vl && !sve) {
		pr_err("%s %u: the %s hypervisor has no SVE\n",
		       cfg->sve_vl_opt ? cfg->sve_vl_opt : "--sve-vl", cfg->sve_vl, vm->hv->name);
		return -1;
	}
	return sve;
}

static int pmu_attr(struct vm *vm, struct vcpu *vcpu, uint64_t attr, void *val)
{
	struct kvm_device_attr a = {
		.group = KVM_ARM_VCPU_PMU_V3_CTRL, .attr = attr,
		.addr = (uint64_t)(uintptr_t)val,
	};

	if (vm->hv->ioctl(vcpu->fd, KVM_HAS_DEVICE_ATTR, &a) < 0 ||
	    vm->hv->ioctl(vcpu->fd, KVM_SET_DEVICE_ATTR, &a) < 0) {
		pr_err("--pmu: vCPU %u: KVM_ARM_VCPU_PMU_V3_%s: %s\n", vcpu->id,
		       attr == KVM_ARM_VCPU_PMU_V3_IRQ ? "IRQ" : "INIT", strerror(errno));
		return -1;
	}
	return 0;
}

/* --pmu, as kvmtool: each vCPU's PMU on PMU_PPI (with a GIC), then INIT */
static int init_pmu(struct vm *vm)
{
	int irq = PMU_PPI;
	unsigned int i;

	if (!vm->cfg->pmu)
		return 0;
	for (i = 0; i < vm->nr_vcpus; i++) {
		if (vm->irqchip && pmu_attr(vm, &vm->vcpus[i], KVM_ARM_VCPU_PMU_V3_IRQ, &irq) < 0)
			return -1;
		if (pmu_attr(vm, &vm->vcpus[i], KVM_ARM_VCPU_PMU_V3_INIT, NULL) < 0)
			return -1;
	}
	return 0;
}

/*
 * PV time, as kvmtool: the reserved pvtime region becomes a memslot of its
 * own, outside RAM, and each vCPU's stolen-time structure lies at
 * PVTIME_BASE + 64 * id.  The guest finds it through SMCCC (PV_TIME_ST);
 * nothing in the device tree names it.
 */
#define PVTIME_SLOT		1
#define PVTIME_STRUCT_SIZE	64

static int setup_pvtime(struct vm *vm)
{
	struct kvm_userspace_memory_region mr;
	unsigned int i;

	if (!check_ext(vm, KVM_CAP_STEAL_TIME) ||
	    (uint64_t)vm->nr_vcpus * PVTIME_STRUCT_SIZE > PVTIME_SIZE)
		return 0;
	vm->pvtime = mmap(NULL, PVTIME_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->pvtime == MAP_FAILED) {
		vm->pvtime = NULL;
		pr_err("pvtime region: %s\n", strerror(errno));
		return -1;
	}
	mr = (struct kvm_userspace_memory_region){
		.slot = PVTIME_SLOT,
		.guest_phys_addr = PVTIME_BASE,
		.memory_size = PVTIME_SIZE,
		.userspace_addr = (uint64_t)(uintptr_t)vm->pvtime,
	};
	if (vm->hv->ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &mr) < 0) {
		pr_err("KVM_SET_USER_MEMORY_REGION (pvtime): %s\n", strerror(errno));
		return -1;
	}
	for (i = 0; i < vm->nr_vcpus; i++) {
		uint64_t ipa = PVTIME_BASE + (uint64_t)i * PVTIME_STRUCT_SIZE;
		struct kvm_device_attr a = {
			.group = KVM_ARM_VCPU_PVTIME_CTRL,
			.attr = KVM_ARM_VCPU_PVTIME_IPA,
			.addr = (uint64_t)(uintptr_t)&ipa,
		};

		if (vm->hv->ioctl(vm->vcpus[i].fd, KVM_HAS_DEVICE_ATTR, &a) < 0)
			return 0;
		if (vm->hv->ioctl(vm->vcpus[i].fd, KVM_SET_DEVICE_ATTR, &a) < 0) {
			pr_err("vCPU %u: KVM_ARM_VCPU_PVTIME_IPA: %s\n", i, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* RAM, the GIC, the memory map and its devices, the vCPUs. */
static int build_machine(struct vm *vm, bool sve)
{
	unsigned int i;

	if (setup_ram(vm) < 0)
		return -1;
	if (create_gic(vm) < 0)
		return -1;
	memmap_build(&vm->map, vm->ram_size, vm->nr_vcpus,
		     !vm->irqchip ? MEMMAP_NO_GIC : vm->gicv2 ? MEMMAP_GICV2 : MEMMAP_GICV3);
	if (create_its(vm) < 0)
		return -1;
	if (vm->cfg->testdev && memmap_add_testdev(&vm->map) < 0) {
		pr_err("--testdev: no room for the test device in the memory map\n");
		return -1;
	}
	if (add_virtio(vm) < 0 || setup_devices(vm) < 0)
		return -1;
	if (vm->cfg->pmu && !check_ext(vm, KVM_CAP_ARM_PMU_V3)) {
		pr_err("--pmu: the %s hypervisor has no PMUv3\n", vm->hv->name);
		return -1;
	}
	for (i = 0; i < vm->nr_vcpus; i++)
		if (setup_vcpu(vm, i, sve) < 0)
			return -1;
	if (setup_pvtime(vm) < 0 || init_gic(vm) < 0)
		return -1;
	return init_pmu(vm);
}

/*
 * Set-up is over: the console, the monitor if asked, the vCPUs; until the
 * end, whose exit status goes to @status.  -1: they could not start.
 */
static int run_guest(struct vm *vm, int *status)
{
	const struct vmm_config *cfg = vm->cfg;
	unsigned int i;

	vm_setup_done();
	/* at a terminal, as kvmtool's "# lkvm run ..." line: what runs, and
	 * the escapes (the console takes every other key) */
	if (isatty(STDIN_FILENO) && !cfg->start_paused)
		fprintf(stderr, "vmm: %s: %u vCPU(s), %" PRIu64 " MiB, %s; "
			"Ctrl-A h help, Ctrl-A c monitor, Ctrl-A x quit\n",
			cfg->name ? cfg->name : "guest", vm->nr_vcpus, vm->ram_size >> 20,
			vm->hv->name);
	console_init();
	/*
	 * The monitor first, then the console thread: all of the input, and its
	 * end, goes to the monitor (stdin at EOF: it quits at once, status 0).
	 */
	if (cfg->start_paused && !cfg->gdb && !monitor_enter(vm, 0, false)) {
		pr_err("--start-paused: the monitor cannot open\n");
		return -1;
	}
	if (console_start(vm) < 0 || gdbstub_start(vm) < 0)
		return -1;
	for (i = 0; i < vm->nr_vcpus; i++)
		if (vcpu_start(&vm->vcpus[i]) < 0) {
			vm_stop(vm, VMM_EXIT_SETUP);
			break;
		}
	*status = wait_for_end(vm);
	vm_stop(vm, *status);
	gdbstub_end(vm, *status);
	join_vcpus(vm);
	log_report_suppressed();
	console_restore();
	return 0;
}

int vm_run(struct vmm_config *cfg)
{
	static struct vm vmstate;	/* large (vCPU array): not on the stack */
	struct vm *vm = &vmstate;
	struct image_file kernel = { .fd = -1 }, initrd = { .fd = -1 };
	struct image_info img;
	int sve, status = VMM_EXIT_SETUP;

	vm_init(vm, cfg);
	if (choose_hypervisor(vm) < 0)
		return VMM_EXIT_SETUP;
	/* everything privileged is opened first: then capabilities go */
	if (open_files(vm, &kernel, &initrd, &img) < 0 || gdbstub_listen(vm) < 0 ||
	    create_vm(vm) < 0)
		goto out;
	sve = negotiate_caps(vm);
	if (sve < 0 || build_machine(vm, sve) < 0)
		goto out;
	if (load_images(vm, &kernel, &initrd, &img, cfg->firmware != NULL) < 0 ||
	    boot_regs(vm) < 0 || memory_errors(vm) < 0)
		goto out;
	pr_debug("%s: %u vCPU(s), %" PRIu64 " MiB, entry %#" PRIx64 ", DTB %#" PRIx64 ", %s\n",
		 cfg->name ? cfg->name : "guest", vm->nr_vcpus, vm->ram_size >> 20, vm->entry,
		 vm->dtb_addr, vm->irqchip ? gic_name(vm) : "no irqchip");
	if (run_guest(vm, &status) < 0)
		status = VMM_EXIT_SETUP;
out:
	vm_destroy(vm, true);
	if (kernel.fd >= 0)
		close(kernel.fd);
	if (initrd.fd >= 0)
		close(initrd.fd);
	return status;
}
