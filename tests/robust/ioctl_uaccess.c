// SPDX-License-Identifier: GPL-2.0
/*
 * Every ioctl argument that is a pointer, and every pointer inside one
 * (ONE_REG's addr, a device attribute's addr, REG_LIST's array), given as a
 * hostile caller would: misaligned but valid (KVM accepts it: the result
 * must be the aligned one's, and no UBSan report), NULL, unmapped, half
 * mapped, a kernel address, wrapping around (EFAULT, as in KVM).
 *
 * Issue 11 item 6: KVM_GET_REG_LIST at a misaligned address was a UBSan
 * "member access within misaligned address" in kernel/arm.c.
 */
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <sys/eventfd.h>

#include "ioctl_util.h"

#define RAM_GPA		0x80000000ULL
#define RAM_SIZE	0x10000ULL
#define REG_LIST_MAX	400

enum target { T_VM, T_VCPU, T_DEVICE };

/* A fresh VM for each attempt: vCPU 0 (SVE or not), maybe a GIC, RAM. */
struct env {
	int sys, vm, vcpu, gic, efd;
	void *ram;
};

struct ucase {
	const char *name;
	enum target target;
	unsigned long req;
	size_t size;
	bool init;		/* KVM_ARM_VCPU_INIT first */
	bool sve;		/* ...with SVE */
	bool gic;		/* a GICv3 device first */
	bool slot;		/* a memslot first */
	bool compare_out;	/* the misaligned output must equal the aligned one */
	bool null_ok;		/* NULL is an argument of its own (not EFAULT) */
	long expect;		/* with a valid pointer */
	void (*fill)(struct env *e, void *arg);
};

static void env_create(struct env *e, const struct ucase *c)
{
	memset(e, 0, sizeof(*e));
	e->sys = open_sys();
	e->vm = create_vm(e->sys);
	e->vcpu = create_vcpu(e->vm, 0);
	e->gic = c->gic ? create_gic(e->vm) : -1;
	e->efd = eventfd(0, EFD_CLOEXEC);
	ck_assert_int_ge(e->efd, 0);
	if (c->init) {
		ck_assert_int_eq(vcpu_init(e->vcpu, c->sve ? 1u << KVM_ARM_VCPU_SVE : 0), 0);
		if (c->sve) {
			int what = KVM_ARM_VCPU_SVE;

			ck_assert_int_eq(kio(e->vcpu, KVM_ARM_VCPU_FINALIZE, &what), 0);
		}
	}
	e->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(e->ram, MAP_FAILED);
	if (c->slot) {
		struct kvm_userspace_memory_region mr = {
			.slot = 0, .guest_phys_addr = RAM_GPA, .memory_size = RAM_SIZE,
			.userspace_addr = (uintptr_t)e->ram,
		};

		ck_assert_int_eq(kio(e->vm, KVM_SET_USER_MEMORY_REGION, &mr), 0);
	}
}

static void env_destroy(struct env *e)
{
	close(e->efd);
	if (e->gic >= 0)
		vkvm_close(e->gic);
	vkvm_close(e->vcpu);
	vkvm_close(e->vm);
	vkvm_close(e->sys);
	munmap(e->ram, RAM_SIZE);
}

static int target_fd(const struct env *e, enum target t)
{
	return t == T_VM ? e->vm : t == T_VCPU ? e->vcpu : e->gic;
}

/* ---- the direct arguments ------------------------------------------------- */

static void fill_memslot(struct env *e, void *arg)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 1, .guest_phys_addr = RAM_GPA, .memory_size = RAM_SIZE,
		.userspace_addr = (uintptr_t)e->ram,
	};

	memcpy(arg, &mr, sizeof(mr));
}

static void fill_enable_cap(struct env *e, void *arg)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };

	memcpy(arg, &cap, sizeof(cap));
}

static void fill_memory_error(struct env *e, void *arg)
{
	struct vkvm_memory_error me = {
		.gpa = RAM_GPA, .size = 0x1000, .flags = VKVM_MEMORY_ERROR_POISON,
	};

	memcpy(arg, &me, sizeof(me));
}

static void fill_create_device(struct env *e, void *arg)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };

	memcpy(arg, &cd, sizeof(cd));
}

static void fill_irq_line(struct env *e, void *arg)
{
	struct kvm_irq_level irq = {
		.irq = KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | 40, .level = 1,
	};

	memcpy(arg, &irq, sizeof(irq));
}

static void fill_irqfd(struct env *e, void *arg)
{
	struct kvm_irqfd irqfd = { .fd = (uint32_t)e->efd, .gsi = 8 };

	memcpy(arg, &irqfd, sizeof(irqfd));
}

static void fill_ioeventfd(struct env *e, void *arg)
{
	struct kvm_ioeventfd io = { .addr = 0x10000000, .len = 4, .fd = e->efd };

	memcpy(arg, &io, sizeof(io));
}

static void fill_vcpu_init(struct env *e, void *arg)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };

	memcpy(arg, &init, sizeof(init));
}

static void fill_reg_list(struct env *e, void *arg)
{
	uint64_t n = REG_LIST_MAX;

	memcpy(arg, &n, sizeof(n));
}

static void fill_finalize(struct env *e, void *arg)
{
	int what = KVM_ARM_VCPU_SVE;

	memcpy(arg, &what, sizeof(what));
}

static void fill_events(struct env *e, void *arg)
{
	struct kvm_vcpu_events ev = { .exception.serror_pending = 1 };

	memcpy(arg, &ev, sizeof(ev));
}

static void fill_mp_state(struct env *e, void *arg)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_STOPPED };

	memcpy(arg, &mp, sizeof(mp));
}

static void fill_guest_debug(struct env *e, void *arg)
{
	struct kvm_guest_debug dbg = { .control = KVM_GUESTDBG_ENABLE };

	memcpy(arg, &dbg, sizeof(dbg));
}

/* The attribute struct itself; its addr points at valid memory (the env's RAM). */
static void fill_gic_attr(struct env *e, void *arg)
{
	struct kvm_device_attr attr = {
		.group = KVM_DEV_ARM_VGIC_GRP_NR_IRQS, .addr = (uintptr_t)e->ram,
	};

	*(uint32_t *)e->ram = 64;
	memcpy(arg, &attr, sizeof(attr));
}

static void fill_timer_attr(struct env *e, void *arg)
{
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VCPU_TIMER_CTRL, .attr = KVM_ARM_VCPU_TIMER_IRQ_VTIMER,
		.addr = (uintptr_t)e->ram,
	};

	*(int *)e->ram = 27;
	memcpy(arg, &attr, sizeof(attr));
}

static void fill_one_reg(struct env *e, void *arg)
{
	struct kvm_one_reg reg = {
		.id = KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_SIZE_U64 |
		      KVM_REG_ARM_CORE_REG(regs.pc),
		.addr = (uintptr_t)e->ram,
	};

	*(uint64_t *)e->ram = 0x80001000;
	memcpy(arg, &reg, sizeof(reg));
}

static void fill_sigmask(struct env *e, void *arg)
{
	uint32_t len = 8;
	uint64_t mask = 1ULL << (SIGUSR2 - 1);

	memcpy(arg, &len, sizeof(len));
	memcpy((uint8_t *)arg + 4, &mask, sizeof(mask));
}

static void fill_nothing(struct env *e, void *arg)
{
}

/* slot 0 logs; the bitmap goes to the end of RAM */
static void log_slot0(struct env *e)
{
	struct kvm_userspace_memory_region mr = {
		.slot = 0, .flags = KVM_MEM_LOG_DIRTY_PAGES, .guest_phys_addr = RAM_GPA,
		.memory_size = RAM_SIZE, .userspace_addr = (uintptr_t)e->ram,
	};

	ck_assert_int_eq(kio(e->vm, KVM_SET_USER_MEMORY_REGION, &mr), 0);
}

static void fill_dirty_log(struct env *e, void *arg)
{
	struct kvm_dirty_log log = {
		.slot = 0, .dirty_bitmap = (uint8_t *)e->ram + RAM_SIZE / 2,
	};

	log_slot0(e);
	memcpy(arg, &log, sizeof(log));
}

static void fill_clear_dirty_log(struct env *e, void *arg)
{
	struct kvm_clear_dirty_log log = {
		.slot = 0, .num_pages = RAM_SIZE / 4096, .first_page = 0,
		.dirty_bitmap = (uint8_t *)e->ram + RAM_SIZE / 2,
	};

	log_slot0(e);
	memcpy(arg, &log, sizeof(log));
}

#define ANY	LONG_MIN

static const struct ucase cases[] = {
	{ "KVM_SET_USER_MEMORY_REGION", T_VM, KVM_SET_USER_MEMORY_REGION,
	  sizeof(struct kvm_userspace_memory_region), .expect = 0, .fill = fill_memslot },
	{ "KVM_ENABLE_CAP", T_VM, KVM_ENABLE_CAP, sizeof(struct kvm_enable_cap),
	  .expect = 0, .fill = fill_enable_cap },
	{ "KVM_GET_DIRTY_LOG", T_VM, KVM_GET_DIRTY_LOG, sizeof(struct kvm_dirty_log),
	  .slot = true, .expect = 0, .fill = fill_dirty_log },
	{ "KVM_CLEAR_DIRTY_LOG", T_VM, KVM_CLEAR_DIRTY_LOG,
	  sizeof(struct kvm_clear_dirty_log), .slot = true, .expect = 0,
	  .fill = fill_clear_dirty_log },
	{ "VKVM_SET_MEMORY_ERROR", T_VM, VKVM_SET_MEMORY_ERROR,
	  sizeof(struct vkvm_memory_error), .slot = true, .expect = 0,
	  .fill = fill_memory_error },
	{ "KVM_CREATE_DEVICE", T_VM, KVM_CREATE_DEVICE, sizeof(struct kvm_create_device),
	  .expect = 0, .fill = fill_create_device },
	{ "KVM_IRQ_LINE", T_VM, KVM_IRQ_LINE, sizeof(struct kvm_irq_level),
	  .gic = true, .expect = ANY, .fill = fill_irq_line },
	{ "KVM_IRQ_LINE_STATUS", T_VM, KVM_IRQ_LINE_STATUS, sizeof(struct kvm_irq_level),
	  .gic = true, .expect = ANY, .compare_out = true, .fill = fill_irq_line },
	{ "KVM_IRQFD", T_VM, KVM_IRQFD, sizeof(struct kvm_irqfd), .gic = true,
	  .expect = 0, .fill = fill_irqfd },
	{ "KVM_IOEVENTFD", T_VM, KVM_IOEVENTFD, sizeof(struct kvm_ioeventfd),
	  .expect = 0, .fill = fill_ioeventfd },
	{ "KVM_ARM_PREFERRED_TARGET", T_VM, KVM_ARM_PREFERRED_TARGET,
	  sizeof(struct kvm_vcpu_init), .expect = 0, .compare_out = true,
	  .fill = fill_nothing },
	{ "KVM_ARM_VCPU_INIT", T_VCPU, KVM_ARM_VCPU_INIT, sizeof(struct kvm_vcpu_init),
	  .expect = 0, .fill = fill_vcpu_init },
	{ "KVM_SET_ONE_REG", T_VCPU, KVM_SET_ONE_REG, sizeof(struct kvm_one_reg),
	  .init = true, .expect = 0, .fill = fill_one_reg },
	{ "KVM_GET_ONE_REG", T_VCPU, KVM_GET_ONE_REG, sizeof(struct kvm_one_reg),
	  .init = true, .expect = 0, .fill = fill_one_reg },
	{ "KVM_GET_REG_LIST", T_VCPU, KVM_GET_REG_LIST,
	  sizeof(struct kvm_reg_list) + REG_LIST_MAX * sizeof(uint64_t), .init = true,
	  .expect = 0, .compare_out = true, .fill = fill_reg_list },
	{ "KVM_GET_REG_LIST (SVE)", T_VCPU, KVM_GET_REG_LIST,
	  sizeof(struct kvm_reg_list) + REG_LIST_MAX * sizeof(uint64_t), .init = true,
	  .sve = true, .expect = 0, .compare_out = true, .fill = fill_reg_list },
	{ "KVM_ARM_VCPU_FINALIZE", T_VCPU, KVM_ARM_VCPU_FINALIZE, sizeof(int),
	  .init = true, .expect = -EINVAL, .fill = fill_finalize },
	{ "KVM_GET_VCPU_EVENTS", T_VCPU, KVM_GET_VCPU_EVENTS,
	  sizeof(struct kvm_vcpu_events), .init = true, .expect = 0, .compare_out = true,
	  .fill = fill_nothing },
	{ "KVM_SET_VCPU_EVENTS", T_VCPU, KVM_SET_VCPU_EVENTS,
	  sizeof(struct kvm_vcpu_events), .init = true, .expect = 0, .fill = fill_events },
	{ "KVM_GET_MP_STATE", T_VCPU, KVM_GET_MP_STATE, sizeof(struct kvm_mp_state),
	  .expect = 0, .compare_out = true, .fill = fill_nothing },
	{ "KVM_SET_MP_STATE", T_VCPU, KVM_SET_MP_STATE, sizeof(struct kvm_mp_state),
	  .expect = 0, .fill = fill_mp_state },
	{ "KVM_SET_GUEST_DEBUG", T_VCPU, KVM_SET_GUEST_DEBUG, sizeof(struct kvm_guest_debug),
	  .init = true, .expect = 0, .fill = fill_guest_debug },
	{ "KVM_SET_SIGNAL_MASK", T_VCPU, KVM_SET_SIGNAL_MASK, 4 + 8, .expect = 0,
	  .null_ok = true, .fill = fill_sigmask },
	{ "KVM_SET_DEVICE_ATTR (vCPU timer)", T_VCPU, KVM_SET_DEVICE_ATTR,
	  sizeof(struct kvm_device_attr), .init = true, .gic = true, .expect = 0,
	  .fill = fill_timer_attr },
	{ "KVM_GET_DEVICE_ATTR (vCPU timer)", T_VCPU, KVM_GET_DEVICE_ATTR,
	  sizeof(struct kvm_device_attr), .init = true, .gic = true, .expect = 0,
	  .fill = fill_timer_attr },
	{ "KVM_HAS_DEVICE_ATTR (vCPU timer)", T_VCPU, KVM_HAS_DEVICE_ATTR,
	  sizeof(struct kvm_device_attr), .init = true, .gic = true, .expect = 0,
	  .fill = fill_timer_attr },
	{ "KVM_SET_DEVICE_ATTR (GIC)", T_DEVICE, KVM_SET_DEVICE_ATTR,
	  sizeof(struct kvm_device_attr), .gic = true, .expect = 0, .fill = fill_gic_attr },
	{ "KVM_GET_DEVICE_ATTR (GIC)", T_DEVICE, KVM_GET_DEVICE_ATTR,
	  sizeof(struct kvm_device_attr), .gic = true, .expect = 0, .fill = fill_gic_attr },
	{ "KVM_HAS_DEVICE_ATTR (GIC)", T_DEVICE, KVM_HAS_DEVICE_ATTR,
	  sizeof(struct kvm_device_attr), .gic = true, .expect = 0, .fill = fill_gic_attr },
};

START_TEST(direct_argument)
{
	const struct ucase *c = &cases[_i];
	uint8_t in[8 + REG_LIST_MAX * 8], out_aligned[sizeof(in)];
	long r, r_aligned = 0;
	struct hostile h;
	struct env e;
	int k;

	ck_assert_uint_le(c->size, sizeof(in));
	hostile_init(&h);
	for (k = 0; k < H_NR; k++) {
		void *p;

		env_create(&e, c);
		memset(in, 0, sizeof(in));
		c->fill(&e, in);
		memset(h.base, 0, 2 * h.page);
		p = hostile_put(&h, in, c->size, (enum hostile_kind)k);
		r = kio(target_fd(&e, c->target), c->req, p);
		if (k == H_ALIGNED) {
			r_aligned = r;
			if (c->expect != ANY)
				ck_assert_msg(r == c->expect, "%s, aligned: %ld, expected %ld",
					      c->name, r, c->expect);
			memcpy(out_aligned, p, c->size);
		} else if (k == H_MISALIGNED) {
			ck_assert_msg(r == r_aligned, "%s, misaligned: %ld, aligned %ld",
				      c->name, r, r_aligned);
			if (c->compare_out)
				ck_assert_msg(!memcmp(out_aligned, p, c->size),
					      "%s: misaligned output differs", c->name);
		} else if (k == H_NULL && c->null_ok) {
			ck_assert_msg(r == c->expect, "%s, NULL: %ld", c->name, r);
		} else {
			ck_assert_msg(r == -EFAULT, "%s, %s pointer: %ld, expected EFAULT",
				      c->name, hostile_names[k], r);
		}
		/* a created device's fd, to close with the rest */
		if (c->req == KVM_CREATE_DEVICE && r == 0 && hostile_valid(k)) {
			struct kvm_create_device cd;

			memcpy(&cd, p, sizeof(cd));
			vkvm_close((int)cd.fd);
		}
		env_destroy(&e);
	}
	hostile_fini(&h);
}
END_TEST

/* ---- pointers inside the argument ----------------------------------------- */

struct ncase {
	const char *name;
	enum target target;
	unsigned long req;	/* ONE_REG or a DEVICE_ATTR ioctl */
	uint64_t id;		/* ONE_REG: register id; attr: group << 32 | attr */
	size_t size;		/* bytes at the inner pointer */
	bool sve, gic;
	bool finalize;		/* SVE: finalized first (not for VLS) */
	long expect;
	uint8_t value[8];	/* what a SET stores (the rest zero) */
};

#define CORE(name, sz)	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | (sz) | KVM_REG_ARM_CORE_REG(name))
#define ATTR(g, a)	((uint64_t)(g) << 32 | (a))

static const struct ncase ncases[] = {
	{ "core PC", T_VCPU, KVM_GET_ONE_REG, CORE(regs.pc, KVM_REG_SIZE_U64), 8, .expect = 0 },
	{ "core PC", T_VCPU, KVM_SET_ONE_REG, CORE(regs.pc, KVM_REG_SIZE_U64), 8,
	  .value = { 0x00, 0x10, 0, 0x80 } },
	{ "core V0", T_VCPU, KVM_GET_ONE_REG, CORE(fp_regs.vregs[0], KVM_REG_SIZE_U128), 16,
	  .expect = 0 },
	{ "core V31", T_VCPU, KVM_SET_ONE_REG, CORE(fp_regs.vregs[31], KVM_REG_SIZE_U128), 16,
	  .value = { 1, 2, 3 } },
	{ "core FPSR", T_VCPU, KVM_SET_ONE_REG, CORE(fp_regs.fpsr, KVM_REG_SIZE_U32), 4,
	  .expect = 0 },
	{ "SCTLR_EL1", T_VCPU, KVM_GET_ONE_REG, ARM64_SYS_REG(3, 0, 1, 0, 0), 8, .expect = 0 },
	{ "TPIDR_EL0", T_VCPU, KVM_SET_ONE_REG, ARM64_SYS_REG(3, 3, 13, 0, 2), 8,
	  .value = { 0x55 } },
	{ "CNTVCT", T_VCPU, KVM_GET_ONE_REG, KVM_REG_ARM_TIMER_CNT, 8, .expect = ANY },
	{ "PSCI version", T_VCPU, KVM_GET_ONE_REG, KVM_REG_ARM_PSCI_VERSION, 8, .expect = 0 },
	{ "CCSIDR demux", T_VCPU, KVM_GET_ONE_REG, KVM_REG_ARM64 | KVM_REG_SIZE_U32 |
	  KVM_REG_ARM_DEMUX | KVM_REG_ARM_DEMUX_ID_CCSIDR | 0, 4, .expect = 0 },
	{ "SVE VLS", T_VCPU, KVM_GET_ONE_REG, KVM_REG_ARM64_SVE_VLS, 64, .sve = true },
	{ "SVE VLS", T_VCPU, KVM_SET_ONE_REG, KVM_REG_ARM64_SVE_VLS, 64, .sve = true,
	  .value = { 0x0b } },
	{ "SVE Z7", T_VCPU, KVM_GET_ONE_REG, KVM_REG_ARM64_SVE_ZREG(7, 0), 256,
	  .sve = true, .finalize = true },
	{ "SVE Z7", T_VCPU, KVM_SET_ONE_REG, KVM_REG_ARM64_SVE_ZREG(7, 0), 256,
	  .sve = true, .finalize = true, .value = { 7, 7 } },
	{ "SVE P3", T_VCPU, KVM_SET_ONE_REG, KVM_REG_ARM64_SVE_PREG(3, 0), 32,
	  .sve = true, .finalize = true, .value = { 3 } },
	{ "vtimer IRQ", T_VCPU, KVM_GET_DEVICE_ATTR,
	  ATTR(KVM_ARM_VCPU_TIMER_CTRL, KVM_ARM_VCPU_TIMER_IRQ_VTIMER), 4, .gic = true },
	{ "ptimer IRQ", T_VCPU, KVM_SET_DEVICE_ATTR,
	  ATTR(KVM_ARM_VCPU_TIMER_CTRL, KVM_ARM_VCPU_TIMER_IRQ_PTIMER), 4, .gic = true,
	  .value = { 26 } },
	{ "GIC distributor address", T_DEVICE, KVM_SET_DEVICE_ATTR,
	  ATTR(KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST), 8, .gic = true,
	  .value = { 0, 0, 0xff, 0x3f } },
	{ "GIC distributor address", T_DEVICE, KVM_GET_DEVICE_ATTR,
	  ATTR(KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST), 8, .gic = true },
	{ "GIC redistributor region", T_DEVICE, KVM_GET_DEVICE_ATTR,
	  ATTR(KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION), 8,
	  .gic = true, .expect = -ENOENT },
	{ "GIC NR_IRQS", T_DEVICE, KVM_SET_DEVICE_ATTR,
	  ATTR(KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0), 4, .gic = true, .value = { 128 } },
	{ "GIC NR_IRQS", T_DEVICE, KVM_GET_DEVICE_ATTR,
	  ATTR(KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0), 4, .gic = true },
};

static bool is_set(unsigned long req)
{
	return req == KVM_SET_ONE_REG || req == KVM_SET_DEVICE_ATTR;
}

START_TEST(inner_pointer)
{
	const struct ncase *c = &ncases[_i];
	/* VLS is set between INIT and FINALIZE: INIT it here */
	struct ucase env_case = { .init = c->target == T_VCPU && (!c->sve || c->finalize),
				  .sve = c->sve, .gic = c->gic };
	uint8_t value[256] = { 0 }, out_aligned[256];
	long r, r_aligned = 0;
	struct hostile h;
	struct env e;
	int k;

	memcpy(value, c->value, sizeof(c->value));
	hostile_init(&h);
	for (k = 0; k < H_NR; k++) {
		void *p;

		env_create(&e, &env_case);
		if (c->sve && !c->finalize)
			ck_assert_int_eq(vcpu_init(e.vcpu, 1u << KVM_ARM_VCPU_SVE), 0);
		memset(h.base, 0, 2 * h.page);
		p = is_set(c->req) ? hostile_put(&h, value, c->size, (enum hostile_kind)k)
				   : hostile_at(&h, c->size, (enum hostile_kind)k);
		if (c->req == KVM_GET_ONE_REG || c->req == KVM_SET_ONE_REG) {
			struct kvm_one_reg reg = { .id = c->id, .addr = (uintptr_t)p };

			r = kio(e.vcpu, c->req, &reg);
		} else {
			struct kvm_device_attr attr = {
				.group = (uint32_t)(c->id >> 32), .attr = (uint32_t)c->id,
				.addr = (uintptr_t)p,
			};

			r = kio(target_fd(&e, c->target), c->req, &attr);
		}
		if (k == H_ALIGNED) {
			r_aligned = r;
			if (c->expect != ANY)
				ck_assert_msg(r == c->expect, "%s %s, aligned: %ld, expected %ld",
					      c->name, is_set(c->req) ? "set" : "get", r,
					      c->expect);
			memcpy(out_aligned, p, c->size);
		} else if (k == H_MISALIGNED) {
			ck_assert_msg(r == r_aligned, "%s, misaligned: %ld, aligned %ld",
				      c->name, r, r_aligned);
			if (c->id != KVM_REG_ARM_TIMER_CNT)
				ck_assert_msg(!memcmp(out_aligned, p, c->size),
					      "%s: misaligned value differs", c->name);
		} else {
			ck_assert_msg(r == -EFAULT, "%s %s, %s pointer: %ld, expected EFAULT",
				      c->name, is_set(c->req) ? "set" : "get",
				      hostile_names[k], r);
		}
		env_destroy(&e);
	}
	hostile_fini(&h);
}
END_TEST

/* The first report: REG_LIST's list at a misaligned address. */
START_TEST(reg_list_misaligned_matches)
{
	struct ucase c = { .init = true };
	uint64_t aligned[1 + REG_LIST_MAX], n, id;
	uint8_t *buf = malloc(8 * (1 + REG_LIST_MAX) + 1), *p = buf + 1;
	struct env e;
	unsigned int i;

	ck_assert_ptr_nonnull(buf);
	env_create(&e, &c);
	aligned[0] = REG_LIST_MAX;
	ck_assert_int_eq(kio(e.vcpu, KVM_GET_REG_LIST, aligned), 0);
	n = REG_LIST_MAX;
	memcpy(p, &n, 8);
	ck_assert_int_eq(kio(e.vcpu, KVM_GET_REG_LIST, p), 0);
	memcpy(&n, p, 8);
	ck_assert_uint_eq(n, aligned[0]);
	ck_assert_uint_gt(n, 100);
	for (i = 0; i < n; i++) {
		memcpy(&id, p + 8 + 8 * i, 8);
		ck_assert_uint_eq(id, aligned[1 + i]);
	}
	/* too small, misaligned: E2BIG with n updated */
	n = 1;
	memcpy(p, &n, 8);
	ck_assert_int_eq(kio(e.vcpu, KVM_GET_REG_LIST, p), -E2BIG);
	memcpy(&n, p, 8);
	ck_assert_uint_eq(n, aligned[0]);
	env_destroy(&e);
	free(buf);
}
END_TEST

int main(void)
{
	TCase *tc;
	Suite *s = check_suite_case("ioctl_uaccess", "uaccess", 120, &tc);

	tcase_add_test(tc, reg_list_misaligned_matches);
	tcase_add_loop_test(tc, direct_argument, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_loop_test(tc, inner_pointer, 0, (int)(sizeof(ncases) / sizeof(ncases[0])));
	return run_tap(s);
}
