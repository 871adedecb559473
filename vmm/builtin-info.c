// SPDX-License-Identifier: GPL-2.0
/*
 * vmm info: what the hypervisor offers.  Creates a VM and a vCPU through
 * the KVM ioctls, negotiates SVE like `vmm run` will, and reports.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kvm.h>

#include "builtin.h"
#include "hv.h"
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
};

static void usage(FILE *f)
{
	fprintf(f, "usage: vmm info [--accel auto|vkvm|kvm] [--sve-vl BITS | --no-sve]\n");
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "accel", required_argument, NULL, 'a' },
		{ "sve-vl", required_argument, NULL, 's' },
		{ "no-sve", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *accel = "auto";
	unsigned long sve_vl = 0;
	bool no_sve = false;
	const struct hv_ops *hv;
	struct kvm_vcpu_init init;
	struct kvm_reg_list list = { .n = 0 };
	uint64_t vls[SVE_VLS_WORDS];
	char buf[256], shown[PRINTABLE_MAX];
	unsigned int seen_accel = 0;
	int sys, vm, vcpu, c, ret = 1;
	size_t i;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (seen_accel++) {
				fprintf(stderr, "vmm info: --accel given twice; give it once\n");
				return 1;
			}
			if (parse_accel_option(optarg))
				return 1;
			accel = optarg;
			break;
		case 's':
			if (sve_vl) {
				fprintf(stderr, "vmm info: --sve-vl given twice; give it once\n");
				return 1;
			}
			if (parse_sve_vl_option("--sve-vl", optarg, &sve_vl))
				return 1;
			break;
		case 'n':
			no_sve = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			fprintf(stderr, "vmm info: %s needs a value\n",
				printable(argv[optind - 1], shown, sizeof(shown)));
			return 1;
		default:
			fprintf(stderr, "vmm info: unknown option '%s'; see 'vmm info --help'\n",
				printable(argv[optind - 1], shown, sizeof(shown)));
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vmm info: unexpected argument '%s'\n",
			printable(argv[optind], shown, sizeof(shown)));
		return 1;
	}
	if (no_sve && sve_vl) {
		fprintf(stderr, "vmm: --sve-vl and --no-sve exclude each other\n");
		return 1;
	}
	hv = hv_select(accel);
	sys = hv->open(O_RDWR | O_CLOEXEC);
	if (sys < 0) {
		fprintf(stderr, "vmm: opening the %s hypervisor: %s\n", hv->name,
			strerror(errno));
		return 1;
	}
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

	vm = hv->ioctl(sys, KVM_CREATE_VM, 0);
	if (vm < 0) {
		fprintf(stderr, "vmm: KVM_CREATE_VM: %s\n", strerror(errno));
		goto out_sys;
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
	if (!no_sve && hv->ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SVE) > 0)
		init.features[0] |= 1u << KVM_ARM_VCPU_SVE;
	else if (sve_vl) {
		fprintf(stderr, "vmm: --sve-vl: the %s hypervisor has no SVE\n", hv->name);
		goto out_vcpu;
	}
	if (hv->ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) < 0) {
		fprintf(stderr, "vmm: KVM_ARM_VCPU_INIT: %s\n", strerror(errno));
		goto out_vcpu;
	}
	printf("vCPU target:     %u\n", init.target);
	if (init.features[0] & (1u << KVM_ARM_VCPU_SVE)) {
		if (sve_get_vls(hv, vcpu, vls) == 0) {
			sve_format_vls(vls, buf, sizeof(buf));
			printf("SVE lengths:     %s bits\n", buf);
		}
		if (sve_configure(hv, vcpu, (unsigned int)sve_vl))
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
	ret = 0;
out_vcpu:
	hv->close(vcpu);
out_vm:
	hv->close(vm);
out_sys:
	hv->close(sys);
	return ret;
}
