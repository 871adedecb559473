// SPDX-License-Identifier: GPL-2.0
/*
 * vmm info: what the hypervisor offers.  Creates a VM and a vCPU through
 * the KVM ioctls, negotiates SVE like `vmm run` will, and reports.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kvm.h>

#include "builtin.h"
#include "hv.h"
#include "options.h"
#include "sve.h"

static const struct { long cap; const char *name; } caps[] = {
	{ KVM_CAP_USER_MEMORY, "USER_MEMORY" },
	{ KVM_CAP_READONLY_MEM, "READONLY_MEM" },
	{ KVM_CAP_ONE_REG, "ONE_REG" },
	{ KVM_CAP_VCPU_EVENTS, "VCPU_EVENTS" },
	{ KVM_CAP_MP_STATE, "MP_STATE" },
	{ KVM_CAP_IMMEDIATE_EXIT, "IMMEDIATE_EXIT" },
	{ KVM_CAP_SET_GUEST_DEBUG, "SET_GUEST_DEBUG" },
	{ KVM_CAP_ARM_PSCI, "ARM_PSCI" },
	{ KVM_CAP_ARM_PSCI_0_2, "ARM_PSCI_0_2" },
	{ KVM_CAP_ARM_SVE, "ARM_SVE" },
	{ KVM_CAP_ARM_PTRAUTH_ADDRESS, "ARM_PTRAUTH_ADDRESS" },
	{ KVM_CAP_ARM_PTRAUTH_GENERIC, "ARM_PTRAUTH_GENERIC" },
	{ KVM_CAP_ARM_NISV_TO_USER, "ARM_NISV_TO_USER" },
	{ KVM_CAP_ARM_INJECT_EXT_DABT, "ARM_INJECT_EXT_DABT" },
	{ KVM_CAP_ARM_INJECT_SERROR_ESR, "ARM_INJECT_SERROR_ESR" },
	{ KVM_CAP_ARM_SEA_TO_USER, "ARM_SEA_TO_USER" },
	{ KVM_CAP_IRQCHIP, "IRQCHIP" },
	{ KVM_CAP_ARM_EL1_32BIT, "ARM_EL1_32BIT" },
	{ KVM_CAP_ARM_PMU_V3, "ARM_PMU_V3" },
	{ KVM_CAP_ARM_MTE, "ARM_MTE" },
	{ KVM_CAP_ARM_EL2, "ARM_EL2" },
	{ KVM_CAP_ARM_EL2_E2H0, "ARM_EL2_E2H0" },
};

struct info_config {
	const char *accel;
	unsigned long sve_vl;
	bool no_sve;
};

static int parse_sve(void *dst, const struct cli_option *o, const char *val)
{
	return parse_sve_vl_option(o->flag, val, &((struct info_config *)dst)->sve_vl);
}

static int parse_accel(void *dst, const struct cli_option *o, const char *val)
{
	if (parse_accel_option(val))
		return -1;
	((struct info_config *)dst)->accel = val;
	return 0;
}

#define OPT_CONFIG	struct info_config

static const struct cli_option info_options[] = {
	OPT_CALL(0, "accel", "auto|vkvm|kvm", parse_accel,
		 "the hypervisor to probe (auto: KVM on arm64 hosts)"),
	OPT_CALL(0, "sve-vl", "BITS", parse_sve, "negotiate this SVE vector length"),
	OPT_BOOL(0, "no-sve", no_sve, true, "no SVE"),
	OPT_HELPS('h', "help", "this text"),
};

static const struct cli_command info_command = {
	.name = "vmm info",
	.usage = "usage: vmm info [--accel auto|vkvm|kvm] [--sve-vl BITS | --no-sve]",
	.opts = info_options,
	.nr_opts = sizeof(info_options) / sizeof(info_options[0]),
};

/* 0: probe; 1: help printed; -1: bad option (message printed) */
static int parse_info_options(int argc, char **argv, struct info_config *cfg)
{
	char shown[PRINTABLE_MAX];
	int r = cli_parse(&info_command, argc, argv, cfg);

	if (r)
		return r;
	if (optind < argc) {
		fprintf(stderr, "vmm info: unexpected argument '%s'\n",
			printable(argv[optind], shown, sizeof(shown)));
		return -1;
	}
	if (cfg->no_sve && cfg->sve_vl) {
		fprintf(stderr, "vmm: --sve-vl and --no-sve exclude each other\n");
		return -1;
	}
	return 0;
}

/* What the system fd says: versions, limits, capabilities. */
static void print_system(const struct hv_ops *hv, int sys)
{
	size_t i;

	printf("accelerator:     %s\n", hv->name);
	printf("API version:     %d\n", hv->ioctl(sys, KVM_GET_API_VERSION, 0));
	printf("IPA size limit:  %d bits\n",
	       hv->ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_VM_IPA_SIZE));
	/* vmm run's default, then what KVM_CAP_NR_VCPUS/MAX_VCPUS say */
	printf("vCPUs:           1 by default (vmm run -c N), %d recommended, %d at most\n",
	       hv->ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS),
	       hv->ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS));
	printf("memslots:        %d\n",
	       hv->ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS));
	printf("capabilities:   ");
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (hv->ioctl(sys, KVM_CHECK_EXTENSION, caps[i].cap) > 0)
			printf(" %s", caps[i].name);
	printf("\n");
}

/* The in-kernel GICs the hypervisor can create (--irqchip), by KVM_CREATE_DEVICE_TEST. */
static void print_irqchips(const struct hv_ops *hv, int vm)
{
	static const struct { uint32_t type; const char *name; } gics[] = {
		{ KVM_DEV_TYPE_ARM_VGIC_V3, "gicv3" }, { KVM_DEV_TYPE_ARM_VGIC_V2, "gicv2" },
	};
	unsigned int i, n = 0;

	printf("irqchips:       ");
	for (i = 0; i < sizeof(gics) / sizeof(gics[0]); i++) {
		struct kvm_create_device cd = { .type = gics[i].type,
						.flags = KVM_CREATE_DEVICE_TEST };

		if (hv->ioctl(vm, KVM_CREATE_DEVICE, &cd) == 0) {
			printf(" %s", gics[i].name);
			n++;
		}
	}
	printf("%s\n", n ? "" : " none");
}

/* A VM and a vCPU made as vmm run makes them: the target, SVE, ONE_REG. */
static int probe_vcpu(const struct hv_ops *hv, int sys, const struct info_config *cfg)
{
	struct kvm_vcpu_init init;
	struct kvm_reg_list list = { .n = 0 };
	uint64_t vls[SVE_VLS_WORDS];
	char buf[256];
	int vm, vcpu, ret = -1;

	vm = hv->ioctl(sys, KVM_CREATE_VM, 0);
	if (vm < 0) {
		fprintf(stderr, "vmm: KVM_CREATE_VM: %s\n", strerror(errno));
		return -1;
	}
	vcpu = hv->ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0) {
		fprintf(stderr, "vmm: KVM_CREATE_VCPU: %s\n", strerror(errno));
		goto out_vm;
	}
	if (hv->ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0) {
		fprintf(stderr, "vmm: KVM_ARM_PREFERRED_TARGET: %s\n", strerror(errno));
		goto out_vcpu;
	}
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (!cfg->no_sve && hv->ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SVE) > 0)
		init.features[0] |= 1u << KVM_ARM_VCPU_SVE;
	else if (cfg->sve_vl) {
		fprintf(stderr, "vmm: --sve-vl: the %s hypervisor has no SVE\n", hv->name);
		goto out_vcpu;
	}
	/* as vmm run: pointer authentication whenever both capabilities exist */
	if (hv->ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PTRAUTH_ADDRESS) > 0 &&
	    hv->ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PTRAUTH_GENERIC) > 0)
		init.features[0] |= 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS |
				    1u << KVM_ARM_VCPU_PTRAUTH_GENERIC;
	if (hv->ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) < 0) {
		fprintf(stderr, "vmm: KVM_ARM_VCPU_INIT: %s\n", strerror(errno));
		goto out_vcpu;
	}
	printf("vCPU target:     %u\n", init.target);
	printf("Pointer auth:    %s\n", init.features[0] & (1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS) ?
	       "on (PTRAUTH_ADDRESS, PTRAUTH_GENERIC)" : "off");
	if (init.features[0] & (1u << KVM_ARM_VCPU_SVE)) {
		if (sve_get_vls(hv, vcpu, vls) == 0) {
			sve_format_vls(vls, buf, sizeof(buf));
			printf("SVE lengths:     %s bits\n", buf);
		}
		if (sve_configure(hv, vcpu, (unsigned int)cfg->sve_vl))
			goto out_vcpu;
		if (sve_get_vls(hv, vcpu, vls) == 0) {
			sve_format_vls(vls, buf, sizeof(buf));
			printf("SVE configured:  %s bits (finalized)\n", buf);
		}
	} else {
		printf("SVE:             off\n");
	}
	if (hv->ioctl(vcpu, KVM_GET_REG_LIST, &list) < 0 && errno != E2BIG) {
		fprintf(stderr, "vmm: KVM_GET_REG_LIST: %s\n", strerror(errno));
		goto out_vcpu;
	}
	printf("ONE_REG regs:    %llu\n", (unsigned long long)list.n);
	print_irqchips(hv, vm);
	ret = 0;
out_vcpu:
	hv->close(vcpu);
out_vm:
	hv->close(vm);
	return ret;
}

int cmd_info(int argc, char **argv)
{
	struct info_config cfg = { .accel = "auto" };
	const struct hv_ops *hv;
	int sys, r;

	r = parse_info_options(argc, argv, &cfg);
	if (r)
		return r > 0 ? 0 : 1;
	hv = hv_select(cfg.accel);
	sys = hv->open(O_RDWR | O_CLOEXEC);
	if (sys < 0) {
		fprintf(stderr, "vmm: opening the %s hypervisor: %s\n", hv->name,
			strerror(errno));
		return 1;
	}
	print_system(hv, sys);
	r = probe_vcpu(hv, sys, &cfg);
	hv->close(sys);
	return r < 0 ? 1 : 0;
}
