// SPDX-License-Identifier: GPL-2.0
/*
 * A KVM client, written for /dev/kvm, that records what a KVM answers as
 * "# key = value" lines: capabilities, errnos of the rules we rely on, every
 * REG_LIST register's value after reset for several vCPU configurations,
 * vCPU events, and the exits and injected exceptions of a tiny guest.
 *
 * Built with -DUSE_VKVM it asks vkvm (the four calls swapped, nothing else);
 * built statically for aarch64 it asks Linux KVM in the rig.
 * tests/kvmclient/compare-dump.sh compares two such records key by key,
 * against the differences docs/abi.md lists.  TAP: one test, the record's
 * completeness.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "kclient.h"

#define RAM_IPA		0x80000000ULL
#define RAM_SIZE	0x10000UL
#define MMIO_IPA	0x0a000000ULL	/* outside every memslot */
#define EXIT_IPA	0x0b000000ULL	/* the guest's "report": a store here */
#define VBAR_OFF	0x800UL
#define RUN_SECONDS	10	/* bounds one KVM_RUN; every exit here is immediate */

#define CORE_REG(field)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 (offsetof(struct kvm_regs, field) / sizeof(uint32_t)))
#define REG_X(n)	CORE_REG(regs.regs[n])
#define REG_PC		CORE_REG(regs.pc)
#define REG_PSTATE	CORE_REG(regs.pstate)
#define REG_ELR_EL1	CORE_REG(elr_el1)
#define REG_SPSR_EL1	CORE_REG(spsr[KVM_SPSR_EL1])
#define REG_ESR_EL1	ARM64_SYS_REG(3, 0, 5, 2, 0)
#define REG_FAR_EL1	ARM64_SYS_REG(3, 0, 6, 0, 0)
#define REG_VBAR_EL1	ARM64_SYS_REG(3, 0, 12, 0, 0)

#define PSTATE_EL1H_DAIF	0x3c5ULL
#define PSTATE_EL1H_A_CLEAR	0x2c5ULL

/* The guest: word offsets from RAM_IPA; each scenario sets PC to one. */
enum {
	G_LDRSB = 0x00, G_LDRSH = 0x08, G_LDP = 0x20, G_HVC = 0x30, G_STR = 0x40,
};
static const struct { unsigned int off; uint32_t insn; } guest_code[] = {
	{ 0x00, 0x39800001 },	/* ldrsb x1, [x0] */
	{ 0x04, 0xf9000121 },	/* str x1, [x9] */
	{ 0x08, 0x79c00001 },	/* ldrsh w1, [x0] */
	{ 0x0c, 0xf9000121 },	/* str x1, [x9] */
	{ 0x10, 0x14000000 },	/* b . */
	{ 0x20, 0xa9400801 },	/* ldp x1, x2, [x0] */
	{ 0x24, 0xf9000121 },	/* str x1, [x9] */
	{ 0x28, 0x14000000 },	/* b . */
	{ 0x30, 0xd4000002 },	/* hvc #0 */
	{ 0x34, 0xf9000120 },	/* str x0, [x9] */
	{ 0x38, 0x14000000 },	/* b . */
	{ 0x40, 0xf9000001 },	/* str x1, [x0] */
	{ 0x44, 0xf9000121 },	/* str x1, [x9] */
	{ 0x48, 0x14000000 },	/* b . */
};
#define INSN_REPORT_X0	0xf9000120	/* str x0, [x9]: every vector's first */
#define INSN_B_SELF	0x14000000

static int sys_fd;
static unsigned int keys;
static struct kvm_run *volatile running;

/* A guest that never exits ends its KVM_RUN with EINTR, not the record. */
static void on_alarm(int sig)
{
	(void)sig;
	if (running)
		running->immediate_exit = 1;
}

static void rec(const char *key, const char *fmt, ...)
{
	va_list ap;

	printf("# %s = ", key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	keys++;
}

/* 0 or the errno's name: the record must not depend on libc's wording. */
static const char *err_name(int r)
{
	static const struct { int e; const char *n; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
		{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" },
		{ ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
		{ ENOTTY, "ENOTTY" }, { ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" },
		{ ENOSYS, "ENOSYS" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	};
	static char buf[16];
	size_t i;

	if (r >= 0)
		return "0";
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == -r)
			return names[i].n;
	snprintf(buf, sizeof(buf), "E%d", -r);
	return buf;
}

static int res(long r)
{
	return r < 0 ? -errno : 0;
}

static int get_reg(int fd, uint64_t id, void *buf)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)buf };

	return res(k_ioctl(fd, KVM_GET_ONE_REG, &reg));
}

static uint64_t get64(int fd, uint64_t id)
{
	uint64_t v = 0;

	return get_reg(fd, id, &v) ? ~0ULL : v;
}

static int set64(int fd, uint64_t id, uint64_t v)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&v };

	return res(k_ioctl(fd, KVM_SET_ONE_REG, &reg));
}

/* ---- capabilities and the errnos of the rules ---------------------------- */

static void dump_caps(int vm_fd)
{
	char key[32];
	long c, v;

	for (c = 0; c < 320; c++) {
		v = k_ioctl(sys_fd, KVM_CHECK_EXTENSION, c);
		if (v) {
			snprintf(key, sizeof(key), "sys.cap.%ld", c);
			rec(key, "%ld", v < 0 ? -1L : v);
		}
		v = k_ioctl(vm_fd, KVM_CHECK_EXTENSION, c);
		if (v) {
			snprintf(key, sizeof(key), "vm.cap.%ld", c);
			rec(key, "%ld", v < 0 ? -1L : v);
		}
	}
}

static int vcpu_init(int vm_fd, int fd, uint32_t features)
{
	struct kvm_vcpu_init vi;

	memset(&vi, 0, sizeof(vi));
	if (k_ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &vi) < 0)
		return -errno;
	vi.features[0] = features;
	return res(k_ioctl(fd, KVM_ARM_VCPU_INIT, &vi));
}

static int enable_cap(int vm_fd, uint32_t cap, uint32_t flags, uint64_t arg0)
{
	struct kvm_enable_cap ec = { .cap = cap, .flags = flags, .args = { arg0 } };

	return res(k_ioctl(vm_fd, KVM_ENABLE_CAP, &ec));
}

static int set_events(int fd, const struct kvm_vcpu_events *ev)
{
	return res(k_ioctl(fd, KVM_SET_VCPU_EVENTS, ev));
}

static void dump_event_errnos(int fd)
{
	struct kvm_vcpu_events ev;

	memset(&ev, 0, sizeof(ev));
	ev.reserved[0] = 1;
	rec("err.events.reserved", "%s", err_name(set_events(fd, &ev)));
	memset(&ev, 0, sizeof(ev));
	ev.exception.pad[0] = 1;
	rec("err.events.pad", "%s", err_name(set_events(fd, &ev)));
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = 1;
	ev.exception.ext_iabt_pending = 1;
	rec("err.events.dabt_and_iabt", "%s", err_name(set_events(fd, &ev)));
	memset(&ev, 0, sizeof(ev));
	ev.exception.serror_pending = 1;
	ev.exception.serror_has_esr = 1;
	ev.exception.serror_esr = 1ULL << 25;
	rec("err.events.serror_esr_bit25", "%s", err_name(set_events(fd, &ev)));
	ev.exception.serror_esr = 1ULL << 24;
	rec("err.events.serror_esr_bit24", "%s", err_name(set_events(fd, &ev)));
	ev.exception.serror_pending = 0;
	ev.exception.serror_esr = 0;
	rec("err.events.has_esr_without_pending", "%s", err_name(set_events(fd, &ev)));
}

static void dump_errnos(void)
{
	int vm_fd = k_ioctl(sys_fd, KVM_CREATE_VM, 0), fd, r;
	struct kvm_reg_list list = { .n = 0 };
	uint64_t v = 0;

	rec("err.create_vm.bad_type", "%s", err_name(res(k_ioctl(sys_fd, KVM_CREATE_VM, 1UL << 20))));
	rec("err.create_vm.ipa_60", "%s", err_name(res(k_ioctl(sys_fd, KVM_CREATE_VM, 60))));
	fd = k_ioctl(vm_fd, KVM_CREATE_VCPU, 0);
	rec("err.create_vcpu.same_id", "%s", err_name(res(k_ioctl(vm_fd, KVM_CREATE_VCPU, 0))));
	rec("err.create_vcpu.id_4096", "%s", err_name(res(k_ioctl(vm_fd, KVM_CREATE_VCPU, 4096))));
	rec("err.run_before_init", "%s", err_name(res(k_ioctl(fd, KVM_RUN, 0))));
	rec("err.get_reg_before_init", "%s", err_name(get_reg(fd, REG_PC, &v)));
	rec("err.reg_list_before_init", "%s", err_name(res(k_ioctl(fd, KVM_GET_REG_LIST, &list))));
	rec("err.init.unknown_feature", "%s", err_name(vcpu_init(vm_fd, fd, 1u << 30)));
	rec("err.init.ptrauth_address_only", "%s",
	    err_name(vcpu_init(vm_fd, fd, 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS)));
	r = vcpu_init(vm_fd, fd, 1u << KVM_ARM_VCPU_PSCI_0_2);
	rec("err.init.psci", "%s", err_name(r));
	rec("err.init.again_other_features", "%s",
	    err_name(vcpu_init(vm_fd, fd, (1u << KVM_ARM_VCPU_PSCI_0_2) | (1u << KVM_ARM_VCPU_SVE))));
	list.n = 0;
	r = res(k_ioctl(fd, KVM_GET_REG_LIST, &list));
	rec("err.reg_list.n_0", "%s", err_name(r));
	rec("err.one_reg.unknown_sysreg", "%s", err_name(get_reg(fd, ARM64_SYS_REG(3, 7, 15, 15, 7), &v)));
	rec("err.one_reg.core_past_end", "%s", err_name(get_reg(fd, CORE_REG(fp_regs) + 0x1000, &v)));
	rec("err.one_reg.sve_vls_plain", "%s", err_name(get_reg(fd, KVM_REG_ARM64_SVE_VLS, &v)));
	rec("err.enable_cap.flags", "%s", err_name(enable_cap(vm_fd, KVM_CAP_ARM_NISV_TO_USER, 1, 0)));
	rec("err.enable_cap.unknown", "%s", err_name(enable_cap(vm_fd, 1000, 0, 0)));
	rec("err.enable_cap.sea_to_user.flags", "%s",
	    err_name(enable_cap(vm_fd, KVM_CAP_ARM_SEA_TO_USER, 1, 0)));
	rec("err.enable_cap.sea_to_user.arg", "%s",
	    err_name(enable_cap(vm_fd, KVM_CAP_ARM_SEA_TO_USER, 0, 1)));
	rec("err.enable_cap.sea_to_user", "%s",
	    err_name(enable_cap(vm_fd, KVM_CAP_ARM_SEA_TO_USER, 0, 0)));
	rec("err.enable_cap.sea_to_user.again", "%s",
	    err_name(enable_cap(vm_fd, KVM_CAP_ARM_SEA_TO_USER, 0, 0)));
	rec("err.enable_cap.nisv_to_user", "%s",
	    err_name(enable_cap(vm_fd, KVM_CAP_ARM_NISV_TO_USER, 0, 0)));
	dump_event_errnos(fd);
	k_close(fd);
	k_close(vm_fd);
}

/* ---- registers after reset, per vCPU configuration ----------------------- */

/* A stable name for a register id: the encoding, not our spelling of it. */
static void reg_name(uint64_t id, char *buf, size_t len)
{
	static const struct { uint64_t coproc; const char *prefix; int hex; } kinds[] = {
		{ KVM_REG_ARM_CORE, "core", 0 },
		{ KVM_REG_ARM_FW, "fw", 0 },
		{ KVM_REG_ARM_FW_FEAT_BMAP, "fw_bmap", 0 },
		{ KVM_REG_ARM64_SVE, "sve", 1 },
		{ KVM_REG_ARM_DEMUX, "demux", 1 },
	};
	uint64_t idx = id & 0xffff, coproc = id & KVM_REG_ARM_COPROC_MASK;
	unsigned int i;

	if (coproc == KVM_REG_ARM64_SYSREG) {
		snprintf(buf, len, "S%llu_%llu_C%llu_C%llu_%llu",
			 (unsigned long long)((idx >> 14) & 3), (unsigned long long)((idx >> 11) & 7),
			 (unsigned long long)((idx >> 7) & 15), (unsigned long long)((idx >> 3) & 15),
			 (unsigned long long)(idx & 7));
		return;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (coproc == kinds[i].coproc) {
			snprintf(buf, len, kinds[i].hex ? "%s.%04llx" : "%s.%llu",
				 kinds[i].prefix, (unsigned long long)idx);
			return;
		}
	snprintf(buf, len, "id.%016llx", (unsigned long long)id);
}

/* Counters move: their values are not part of the record. */
static int is_counter(uint64_t id)
{
	return id == KVM_REG_ARM_TIMER_CNT || id == KVM_REG_ARM_PTIMER_CNT;
}

static void dump_reg(int fd, const char *cfg, uint64_t id)
{
	uint8_t buf[256];
	char name[48], key[96], hex[2 * sizeof(buf) + 1];
	size_t size = 1UL << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT), i, nz = 0;
	int r;

	reg_name(id, name, sizeof(name));
	snprintf(key, sizeof(key), "%s.reg.%s", cfg, name);
	if (size > sizeof(buf)) {
		rec(key, "size %zu", size);
		return;
	}
	memset(buf, 0, sizeof(buf));
	r = get_reg(fd, id, buf);
	if (r) {
		rec(key, "%s", err_name(r));
		return;
	}
	if (is_counter(id)) {
		rec(key, "(counter)");
		return;
	}
	/* little-endian bytes, most significant first; 0 for all-zero */
	for (i = 0; i < size; i++)
		nz |= buf[i];
	hex[0] = '\0';
	for (i = size; i-- > 0 && nz;)
		snprintf(hex + 2 * (size - 1 - i), 3, "%02x", buf[i]);
	rec(key, "%s%s/%zu", nz ? "0x" : "0", hex, size * 8);
}

static void dump_events(int fd, const char *prefix)
{
	struct kvm_vcpu_events ev;
	char key[96];
	int r;

	memset(&ev, 0xa5, sizeof(ev));
	r = res(k_ioctl(fd, KVM_GET_VCPU_EVENTS, &ev));
	snprintf(key, sizeof(key), "%s.events", prefix);
	if (r) {
		rec(key, "%s", err_name(r));
		return;
	}
	rec(key, "serror_pending %u has_esr %u ext_dabt %u ext_iabt %u esr 0x%llx",
	    ev.exception.serror_pending, ev.exception.serror_has_esr,
	    ev.exception.ext_dabt_pending, ev.exception.ext_iabt_pending,
	    (unsigned long long)ev.exception.serror_esr);
}

static void dump_config(const char *cfg, uint32_t features)
{
	int vm_fd = k_ioctl(sys_fd, KVM_CREATE_VM, 0), fd, r, sve = KVM_ARM_VCPU_SVE;
	struct kvm_reg_list *list;
	struct kvm_mp_state mp;
	char key[64];
	uint64_t i;

	fd = k_ioctl(vm_fd, KVM_CREATE_VCPU, 0);
	r = vcpu_init(vm_fd, fd, features);
	snprintf(key, sizeof(key), "%s.init", cfg);
	rec(key, "%s", err_name(r));
	if (!r && (features & (1u << KVM_ARM_VCPU_SVE))) {
		r = res(k_ioctl(fd, KVM_ARM_VCPU_FINALIZE, &sve));
		snprintf(key, sizeof(key), "%s.finalize", cfg);
		rec(key, "%s", err_name(r));
	}
	list = calloc(1, sizeof(*list) + 4096 * sizeof(uint64_t));
	if (!r && list) {
		list->n = 4096;
		r = res(k_ioctl(fd, KVM_GET_REG_LIST, list));
		snprintf(key, sizeof(key), "%s.nregs", cfg);
		rec(key, "%llu", r ? 0ULL : (unsigned long long)list->n);
		for (i = 0; !r && i < list->n; i++)
			dump_reg(fd, cfg, list->reg[i]);
		dump_events(fd, cfg);
		snprintf(key, sizeof(key), "%s.mp_state", cfg);
		rec(key, "%u", k_ioctl(fd, KVM_GET_MP_STATE, &mp) < 0 ? 99u : mp.mp_state);
	}
	free(list);
	k_close(fd);
	k_close(vm_fd);
}

/*
 * Does a KVM that lists the AArch32 EL2 state registers (DACR32_EL2,
 * IFSR32_EL2, FPEXC32_EL2, DBGVCR32_EL2) still list them once
 * ID_AA64PFR0_EL1 says AArch64 only at EL0 and EL1, as vkvm's CPU does?
 */
static void dump_aa64only(void)
{
	static const struct { const char *name; uint64_t id; } aa32[] = {
		{ "DACR32_EL2", ARM64_SYS_REG(3, 4, 3, 0, 0) },
		{ "IFSR32_EL2", ARM64_SYS_REG(3, 4, 5, 0, 1) },
		{ "FPEXC32_EL2", ARM64_SYS_REG(3, 4, 5, 3, 0) },
		{ "DBGVCR32_EL2", ARM64_SYS_REG(2, 4, 0, 7, 0) },
	};
	const uint64_t pfr0_id = ARM64_SYS_REG(3, 0, 0, 4, 0);
	int vm_fd = k_ioctl(sys_fd, KVM_CREATE_VM, 0), fd, r;
	struct kvm_reg_list *list = calloc(1, sizeof(*list) + 4096 * sizeof(uint64_t));
	char listed[128] = "";
	uint64_t pfr0, i;
	size_t j;

	fd = k_ioctl(vm_fd, KVM_CREATE_VCPU, 0);
	r = vcpu_init(vm_fd, fd, 1u << KVM_ARM_VCPU_PSCI_0_2);
	pfr0 = get64(fd, pfr0_id);
	if (!r)
		r = set64(fd, pfr0_id, (pfr0 & ~0xffULL) | 0x11);
	rec("cfg.aa64only.set_pfr0", "%s", err_name(r));
	if (list) {
		list->n = 4096;
		if (!k_ioctl(fd, KVM_GET_REG_LIST, list))
			for (j = 0; j < sizeof(aa32) / sizeof(aa32[0]); j++)
				for (i = 0; i < list->n; i++)
					if (list->reg[i] == aa32[j].id) {
						strcat(listed, " ");
						strcat(listed, aa32[j].name);
					}
	}
	rec("cfg.aa64only.aarch32_regs_listed", "%s", listed[0] ? listed + 1 : "none");
	free(list);
	k_close(fd);
	k_close(vm_fd);
}

/* ---- the guest: exits and injected exceptions ---------------------------- */

struct vm {
	int vm_fd, fd;
	uint8_t *ram;
	struct kvm_run *run;
};

static int vm_open(struct vm *vm)
{
	struct kvm_userspace_memory_region region = {
		.slot = 0, .guest_phys_addr = RAM_IPA, .memory_size = RAM_SIZE,
	};
	long size;
	size_t i;

	vm->vm_fd = k_ioctl(sys_fd, KVM_CREATE_VM, 0);
	vm->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->vm_fd < 0 || vm->ram == MAP_FAILED)
		return -1;
	for (i = 0; i < 16; i++) {
		uint32_t *v = (uint32_t *)(vm->ram + VBAR_OFF + 0x80 * i);

		v[0] = INSN_REPORT_X0;
		v[1] = INSN_B_SELF;
	}
	for (i = 0; i < sizeof(guest_code) / sizeof(guest_code[0]); i++)
		memcpy(vm->ram + guest_code[i].off, &guest_code[i].insn, 4);
	region.userspace_addr = (uint64_t)(uintptr_t)vm->ram;
	if (k_ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return -1;
	vm->fd = k_ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	size = k_ioctl(sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->fd < 0 || size <= 0 || vcpu_init(vm->vm_fd, vm->fd, 1u << KVM_ARM_VCPU_PSCI_0_2))
		return -1;
	vm->run = k_mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->fd, 0);
	if (vm->run == MAP_FAILED)
		return -1;
	if (set64(vm->fd, REG_VBAR_EL1, RAM_IPA + VBAR_OFF) || set64(vm->fd, REG_X(0), MMIO_IPA) ||
	    set64(vm->fd, REG_X(9), EXIT_IPA))
		return -1;
	return 0;
}

static void vm_close(struct vm *vm)
{
	k_close(vm->fd);
	k_close(vm->vm_fd);
	munmap(vm->ram, RAM_SIZE);
}

static int vm_start(struct vm *vm, unsigned int pc_off, uint64_t pstate)
{
	if (vm_open(vm) < 0) {
		printf("Bail out! cannot set up the guest: %s\n", strerror(errno));
		exit(1);
	}
	return set64(vm->fd, REG_PC, RAM_IPA + pc_off) || set64(vm->fd, REG_PSTATE, pstate);
}

/* KVM_RUN once; records the exit under "PREFIX.exit". */
static void run_rec(struct vm *vm, const char *prefix)
{
	struct kvm_run *run = vm->run;
	char key[96];
	uint64_t pc;
	int r;

	running = run;
	alarm(RUN_SECONDS);
	r = res(k_ioctl(vm->fd, KVM_RUN, 0));
	alarm(0);
	running = NULL;
	run->immediate_exit = 0;
	pc = get64(vm->fd, REG_PC);

	snprintf(key, sizeof(key), "%s.exit", prefix);
	if (r) {
		rec(key, "KVM_RUN %s, pc +0x%llx", err_name(r), (unsigned long long)(pc - RAM_IPA));
		return;
	}
	switch (run->exit_reason) {
	case KVM_EXIT_MMIO: {
		uint64_t data = 0;

		memcpy(&data, run->mmio.data, sizeof(data));
		rec(key, "MMIO ipa 0x%llx len %u write %u data 0x%llx pc +0x%llx",
		    (unsigned long long)run->mmio.phys_addr, run->mmio.len, run->mmio.is_write,
		    run->mmio.is_write ? (unsigned long long)data : 0ULL,
		    (unsigned long long)(pc - RAM_IPA));
		break;
	}
	case KVM_EXIT_ARM_NISV:
		rec(key, "ARM_NISV esr_iss 0x%llx fault_ipa 0x%llx pc +0x%llx",
		    (unsigned long long)run->arm_nisv.esr_iss,
		    (unsigned long long)run->arm_nisv.fault_ipa, (unsigned long long)(pc - RAM_IPA));
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		rec(key, "SYSTEM_EVENT type %u ndata %u data0 0x%llx", run->system_event.type,
		    run->system_event.ndata, (unsigned long long)run->system_event.data[0]);
		break;
	default:
		rec(key, "reason %u pc +0x%llx", run->exit_reason, (unsigned long long)(pc - RAM_IPA));
	}
}

/* The EL1 exception state after the guest took an exception. */
static void rec_exception(struct vm *vm, const char *prefix)
{
	char key[96];

	snprintf(key, sizeof(key), "%s.taken", prefix);
	rec(key, "vector +0x%llx ESR_EL1 0x%llx FAR_EL1 0x%llx ELR_EL1 +0x%llx SPSR_EL1 0x%llx PSTATE 0x%llx",
	    (unsigned long long)(get64(vm->fd, REG_PC) - RAM_IPA - VBAR_OFF),
	    (unsigned long long)get64(vm->fd, REG_ESR_EL1),
	    (unsigned long long)get64(vm->fd, REG_FAR_EL1),
	    (unsigned long long)(get64(vm->fd, REG_ELR_EL1) - RAM_IPA),
	    (unsigned long long)get64(vm->fd, REG_SPSR_EL1),
	    (unsigned long long)get64(vm->fd, REG_PSTATE));
}

/*
 * A sign-extending MMIO load, completed with data whose top bit is set; the
 * next store reports the register.  A fresh VM each: the completion of the
 * last MMIO exit moves the PC on at the next KVM_RUN, wherever it points.
 */
static void scenario_mmio_read(const char *p, unsigned int pc_off, unsigned int byte)
{
	char key[96];
	struct vm vm;

	vm_start(&vm, pc_off, PSTATE_EL1H_DAIF);
	run_rec(&vm, p);
	memset(vm.run->mmio.data, 0, 8);
	vm.run->mmio.data[byte] = 0x80;
	snprintf(key, sizeof(key), "%s.completed", p);
	run_rec(&vm, key);
	vm_close(&vm);
}

/* LDP to MMIO: NISV (or KVM's answer without the capability), then an abort. */
static void scenario_nisv(int nisv, int iabt)
{
	const char *p = !nisv ? "guest.ldp_no_nisv" : iabt ? "guest.ldp_iabt" : "guest.ldp_dabt";
	struct kvm_vcpu_events ev;
	char key[96];
	struct vm vm;
	int r;

	vm_start(&vm, G_LDP, PSTATE_EL1H_DAIF);
	if (nisv)
		enable_cap(vm.vm_fd, KVM_CAP_ARM_NISV_TO_USER, 0, 0);
	run_rec(&vm, p);
	if (nisv) {
		memset(&ev, 0, sizeof(ev));
		if (iabt)
			ev.exception.ext_iabt_pending = 1;
		else
			ev.exception.ext_dabt_pending = 1;
		r = set_events(vm.fd, &ev);
		snprintf(key, sizeof(key), "%s.inject", p);
		rec(key, "%s", err_name(r));
		dump_events(vm.fd, p);
		if (!r) {
			run_rec(&vm, p);
			rec_exception(&vm, p);
		}
	}
	vm_close(&vm);
}

/* A fetch from outside every memslot: KVM injects the instruction abort. */
static void scenario_fetch_outside(void)
{
	struct vm vm;

	vm_start(&vm, 0, PSTATE_EL1H_DAIF);
	set64(vm.fd, REG_PC, MMIO_IPA);
	run_rec(&vm, "guest.fetch_outside");
	rec_exception(&vm, "guest.fetch_outside");
	vm_close(&vm);
}

/* An external data abort injected after an MMIO read exit: never completed. */
static void scenario_dabt_after_mmio(void)
{
	struct kvm_vcpu_events ev;
	struct vm vm;

	vm_start(&vm, G_LDRSB, PSTATE_EL1H_DAIF);
	set64(vm.fd, REG_X(1), 0x1111);
	run_rec(&vm, "guest.mmio_dabt");
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = 1;
	rec("guest.mmio_dabt.inject", "%s", err_name(set_events(vm.fd, &ev)));
	run_rec(&vm, "guest.mmio_dabt");
	rec_exception(&vm, "guest.mmio_dabt");
	rec("guest.mmio_dabt.x1", "0x%llx", (unsigned long long)get64(vm.fd, REG_X(1)));
	vm_close(&vm);
}

/* An SError made pending after an MMIO write exit, masked or not. */
static void scenario_serror(const char *p, uint64_t pstate, int has_esr)
{
	struct kvm_vcpu_events ev;
	char key[96];
	struct vm vm;

	vm_start(&vm, G_STR, pstate);
	run_rec(&vm, p);
	memset(&ev, 0, sizeof(ev));
	ev.exception.serror_pending = 1;
	ev.exception.serror_has_esr = (uint8_t)has_esr;
	ev.exception.serror_esr = has_esr ? 0x1c0ffee : 0;
	snprintf(key, sizeof(key), "%s.inject", p);
	rec(key, "%s", err_name(set_events(vm.fd, &ev)));
	dump_events(vm.fd, p);
	run_rec(&vm, p);
	rec_exception(&vm, p);
	dump_events(vm.fd, p);
	vm_close(&vm);
}

static void scenario_psci(const char *p, uint64_t function, uint64_t arg)
{
	char key[96];
	struct vm vm;

	vm_start(&vm, G_HVC, PSTATE_EL1H_DAIF);
	set64(vm.fd, REG_X(0), function);
	set64(vm.fd, REG_X(1), arg);
	run_rec(&vm, p);
	snprintf(key, sizeof(key), "%s.x0", p);
	rec(key, "0x%llx", (unsigned long long)get64(vm.fd, REG_X(0)));
	vm_close(&vm);
}

int main(void)
{
	struct sigaction sa;
	int vm_fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sys_fd = k_open(O_RDWR | O_CLOEXEC);
	if (sys_fd < 0) {
		printf("1..0 # SKIP no KVM: %s\n", strerror(errno));
		return 0;
	}
	printf("1..1\n");
	rec("api_version", "%d", k_ioctl(sys_fd, KVM_GET_API_VERSION, 0));
	rec("vcpu_mmap_size", "%s", k_ioctl(sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0) > 0 ? "ok" : "error");
	vm_fd = k_ioctl(sys_fd, KVM_CREATE_VM, 0);
	dump_caps(vm_fd);
	k_close(vm_fd);
	dump_errnos();
	dump_config("cfg.base", 1u << KVM_ARM_VCPU_PSCI_0_2);
	dump_config("cfg.sve", (1u << KVM_ARM_VCPU_PSCI_0_2) | (1u << KVM_ARM_VCPU_SVE));
	dump_config("cfg.ptrauth", (1u << KVM_ARM_VCPU_PSCI_0_2) |
		    (1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS) | (1u << KVM_ARM_VCPU_PTRAUTH_GENERIC));
	dump_config("cfg.pmu", (1u << KVM_ARM_VCPU_PSCI_0_2) | (1u << KVM_ARM_VCPU_PMU_V3));
	dump_config("cfg.el2", (1u << KVM_ARM_VCPU_PSCI_0_2) | (1u << KVM_ARM_VCPU_HAS_EL2));
	dump_config("cfg.el1_32bit", 1u << KVM_ARM_VCPU_EL1_32BIT);
	dump_aa64only();
	scenario_mmio_read("guest.ldrsb_x", G_LDRSB, 0);
	scenario_mmio_read("guest.ldrsh_w", G_LDRSH, 1);
	scenario_nisv(1, 0);
	scenario_nisv(1, 1);
	scenario_nisv(0, 0);
	scenario_fetch_outside();
	scenario_dabt_after_mmio();
	scenario_serror("guest.serror_masked_esr", PSTATE_EL1H_DAIF, 1);
	scenario_serror("guest.serror_esr", PSTATE_EL1H_A_CLEAR, 1);
	scenario_serror("guest.serror_no_esr", PSTATE_EL1H_A_CLEAR, 0);
	scenario_psci("guest.psci_version", 0x84000000, 0);
	scenario_psci("guest.psci_features.system_off2", 0x8400000a, 0xc4000015);
	scenario_psci("guest.psci_features.mem_protect", 0x8400000a, 0x84000013);
	scenario_psci("guest.psci_system_off", 0x84000008, 0);
	printf("ok 1 - %u keys recorded\n", keys);
	k_close(sys_fd);
	return 0;
}
