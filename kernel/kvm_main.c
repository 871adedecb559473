// SPDX-License-Identifier: GPL-2.0
/*
 * The system fd and the VM fd: API version, capabilities, VM creation,
 * memslots, vCPU creation and VM-wide capabilities.  Semantics and error
 * codes follow virt/kvm/kvm_main.c and arch/arm64/kvm/arm.c.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <vkvm.h>

#include "kvm_host.h"
#include "cpu/id_regs.h"
#include "vgic/vgic.h"

static long host_page_size(void)
{
	static long size;

	if (!size)
		size = sysconf(_SC_PAGESIZE);
	return size;
}

size_t kvm_vcpu_mmap_size(void)
{
	/* kvm_run, then the coalesced-MMIO ring page (KVM_COALESCED_MMIO_PAGE_OFFSET) */
	return 2 * host_page_size();
}

static long host_nr_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? n : 1;
}

/*
 * What this vkvm implements.  Only capabilities that work end to end are
 * advertised; the rest answer 0, as a kernel without them would.
 */
long kvm_vm_check_extension(struct kvm *kvm, long ext)
{
	switch (ext) {
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_USER_MEMORY2:
	case KVM_CAP_BINARY_STATS_FD:
	case KVM_CAP_DESTROY_MEMORY_REGION_WORKS:
	case KVM_CAP_JOIN_MEMORY_REGIONS_WORKS:
	case KVM_CAP_INTERNAL_ERROR_DATA:
	case KVM_CAP_CHECK_EXTENSION_VM:
	case KVM_CAP_ENABLE_CAP_VM:
	case KVM_CAP_ONE_REG:
	case KVM_CAP_MP_STATE:
	case KVM_CAP_VCPU_EVENTS:
	case KVM_CAP_READONLY_MEM:
	case KVM_CAP_ARM_SVE:
	case KVM_CAP_ARM_PTRAUTH_ADDRESS:
	case KVM_CAP_ARM_PTRAUTH_GENERIC:
	case KVM_CAP_IMMEDIATE_EXIT:
	case KVM_CAP_SET_GUEST_DEBUG:
	case KVM_CAP_ARM_PSCI:
	case KVM_CAP_ARM_PSCI_0_2:
	case KVM_CAP_ARM_NISV_TO_USER:
	case KVM_CAP_ARM_INJECT_EXT_DABT:
	case KVM_CAP_ARM_SEA_TO_USER:
	case KVM_CAP_ARM_PMU_V3:
	case KVM_CAP_ARM_SYSTEM_SUSPEND:
	case KVM_CAP_COUNTER_OFFSET:
	case KVM_CAP_ARM_WRITABLE_IMP_ID_REGS:
	case KVM_CAP_VCPU_ATTRIBUTES:		/* the timer's and the PMU's */
	case KVM_CAP_PTP_KVM:
	case KVM_CAP_ARM_EL2:			/* nested virtualization (docs/nested.md) */
	case KVM_CAP_ARM_EL2_E2H0:
		return 1;
	case KVM_CAP_STEAL_TIME:
		return kvm_arm_pvtime_supported();
	case KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES:	/* the feature-ID range */
		return BIT(KVM_ARM_FEATURE_ID_RANGE);
	case KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2:	/* KVM_DIRTY_LOG_MANUAL_CAPS */
		return KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | KVM_DIRTY_LOG_INITIALLY_SET;
	case KVM_CAP_DIRTY_LOG_RING_ACQ_REL:	/* arm64's only kind: the most bytes */
		return (int)KVM_DIRTY_RING_MAX_BYTES;
	case KVM_CAP_IRQCHIP:			/* the GICv3 device exists */
	case KVM_CAP_DEVICE_CTRL:
	case KVM_CAP_ARM_IRQ_LINE_LAYOUT_2:
	case KVM_CAP_IRQFD:
	case KVM_CAP_IRQFD_RESAMPLE:
	case KVM_CAP_IOEVENTFD:
	case KVM_CAP_IOEVENTFD_ANY_LENGTH:
	case KVM_CAP_SIGNAL_MSI:		/* with the ITS (vgic-its.c) */
		return 1;
	case KVM_CAP_IRQ_ROUTING:
		return 4096;			/* KVM_MAX_IRQ_ROUTES */
	case KVM_CAP_MSI_DEVID:
		/* an ITS's MSIs carry a DeviceID; the system fd cannot tell */
		return kvm ? kvm->vgic.has_its : -EINVAL;
	case KVM_CAP_GUEST_DEBUG_HW_BPS:
		return CPU_DBG_BRPS;
	case KVM_CAP_GUEST_DEBUG_HW_WPS:
		return CPU_DBG_WRPS;
	case KVM_CAP_SET_GUEST_DEBUG2:
		return KVM_GUESTDBG_VALID_MASK;
	case KVM_CAP_ARM_INJECT_SERROR_ESR:
		/* the emulated CPU implements RAS: an SError can carry an ESR */
		return 1;
	case KVM_CAP_NR_VCPUS:
		return host_nr_cpus() < KVM_MAX_VCPUS_NR ? host_nr_cpus()
							 : KVM_MAX_VCPUS_NR;
	case KVM_CAP_MAX_VCPUS:
	case KVM_CAP_MAX_VCPU_ID:
		return kvm ? kvm->max_vcpus : KVM_MAX_VCPUS_NR;
	case KVM_CAP_NR_MEMSLOTS:
		return KVM_MEM_SLOTS_NR;
	case KVM_CAP_ARM_VM_IPA_SIZE:
		return KVM_IPA_LIMIT;
	case KVM_CAP_COALESCED_MMIO:
		/* where the ring is: a page offset in the vCPU mmap */
		return KVM_COALESCED_MMIO_PAGE_OFFSET;
	case KVM_CAP_COALESCED_PIO:
		/* generic KVM answers 1 on arm64 too (zones kept, no port I/O) */
		return 1;
	case KVM_CAP_ARM_MTE:
		return 1;	/* FEAT_MTE2/MTE3 once enabled (mte.c) */
	case KVM_CAP_GUEST_MEMFD:
		return 1;
	case KVM_CAP_GUEST_MEMFD_FLAGS:
		return (long)kvm_gmem_supported_flags();
	default:
		return 0;
	}
}

/* ---- VM creation and destruction ------------------------------------------ */

static int kvm_arm_setup_stage2(struct kvm *kvm, unsigned long type)
{
	unsigned int phys_shift;

	if (type & ~(unsigned long)KVM_VM_TYPE_ARM_IPA_SIZE_MASK)
		return -EINVAL;
	phys_shift = KVM_VM_TYPE_ARM_IPA_SIZE(type);
	if (phys_shift) {
		if (phys_shift > KVM_IPA_LIMIT || phys_shift < KVM_IPA_MIN)
			return -EINVAL;
	} else {
		phys_shift = KVM_IPA_DEFAULT;
	}
	kvm->cpu_vm.ipa_bits = phys_shift;
	return 0;
}

static int kvm_create_vm(unsigned long type, int *new_fd)
{
	struct kvm *kvm;
	struct cpu_memmap *map;
	int fd, ret;

	kvm = calloc(1, sizeof(*kvm));
	map = calloc(1, sizeof(*map));
	if (!kvm || !map) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = kvm_arm_setup_stage2(kvm, type);
	if (ret)
		goto out_free;
	atomic_init(&kvm->refcount, 1);
	pthread_mutex_init(&kvm->lock, NULL);
	atomic_init(&kvm->cpu_vm.memmap, map);
	kvm->max_vcpus = KVM_MAX_VCPUS_NR;
	kvm->pmcr_n = CPU_PMU_COUNTERS;
	kvm_arm_init_hypercalls(kvm);
	kvm_vgic_early_init(kvm);
	kvm_timer_vm_init(kvm);
	kvm_stats_init(&kvm->stats);
	pthread_mutex_init(&kvm->bus_lock, NULL);
	pthread_mutex_init(&kvm->irq_lock, NULL);
	ret = kvm_coalesced_mmio_init(kvm);
	if (ret)
		goto out_free;

	fd = vkvm_new_fd("kvm-vm", 0, O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto out_free;
	}
	ret = vkvm_install_object(fd, VKVM_FILE_VM, kvm);
	if (ret) {
		close(fd);
		goto out_free;
	}
	*new_fd = fd;
	return fd;

out_free:
	if (kvm)
		kvm_coalesced_mmio_free(kvm);
	free(map);
	free(kvm);
	return ret;
}

bool kvm_trylock_all_vcpus(struct kvm *kvm)
{
	unsigned int i, j;

	for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
		if (!kvm->vcpu_by_idx[i])
			continue;
		if (pthread_mutex_trylock(&kvm->vcpu_by_idx[i]->lock)) {
			for (j = 0; j < i; j++)
				if (kvm->vcpu_by_idx[j])
					pthread_mutex_unlock(&kvm->vcpu_by_idx[j]->lock);
			return false;
		}
	}
	return true;
}

void kvm_unlock_all_vcpus(struct kvm *kvm)
{
	unsigned int i;

	for (i = 0; i < KVM_MAX_VCPUS_NR; i++)
		if (kvm->vcpu_by_idx[i])
			pthread_mutex_unlock(&kvm->vcpu_by_idx[i]->lock);
}

void kvm_destroy_vm(struct kvm *kvm)
{
	unsigned int i;

	/*
	 * As in KVM, a vCPU outlives its fd (other vCPUs may still name it,
	 * through PSCI or the GIC): they all go with the VM.
	 */
	for (i = 0; i < KVM_MAX_VCPUS_NR; i++)
		if (kvm->vcpus[i])
			kvm_vcpu_destroy(kvm->vcpus[i]);
	kvm_eventfd_destroy(kvm);
	kvm_timer_vm_destroy(kvm);
	kvm_vgic_destroy(kvm);
	kvm_irq_routing_destroy(kvm);
	pthread_mutex_destroy(&kvm->irq_lock);
	for (i = 0; i < kvm->nr_old_buses; i++)
		free(kvm->old_buses[i]);
	free(kvm->old_buses);
	free(atomic_load(&kvm->mmio_bus));
	pthread_mutex_destroy(&kvm->bus_lock);
	kvm_coalesced_mmio_free(kvm);
	for (i = 0; i < kvm->nr_retired; i++) {
		free(kvm->retired[i].map);
		kvm_dirty_bitmaps_free(kvm->retired[i].bitmaps);
	}
	free(kvm->retired);
	kvm_dirty_bitmaps_free(kvm->dead_bitmaps);
	free(atomic_load(&kvm->cpu_vm.memmap));
	for (i = 0; i < kvm->nr_slots; i++) {
		kvm_dirty_bitmaps_free(kvm->slots[i]->dirty);
		kvm_mte_slot_retire(kvm, kvm->slots[i]);
		kvm_gmem_unbind(kvm->slots[i]);
		free(kvm->slots[i]);
	}
	kvm_mte_destroy(kvm);
	free(kvm->slots);
	free(kvm->slot_by_id);
	free(kvm->poison);
	free(kvm->pmu_filter);
	free(kvm->smccc_filter);
	kvm_stats_destroy(&kvm->stats);
	pthread_mutex_destroy(&kvm->lock);
	free(kvm);
}

long kvm_dev_ioctl(unsigned int ioctl, unsigned long arg, int *new_fd)
{
	switch (ioctl) {
	case KVM_GET_API_VERSION:
		if (arg)
			return -EINVAL;
		return KVM_API_VERSION_NR;
	case KVM_CREATE_VM:
		return kvm_create_vm(arg, new_fd);
	case KVM_CHECK_EXTENSION:
		return kvm_vm_check_extension(NULL, (long)arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		if (arg)
			return -EINVAL;
		return (long)kvm_vcpu_mmap_size();
	default:
		/* kvm_arch_dev_ioctl() on arm64 */
		return -EINVAL;
	}
}

/* ---- memslots ---------------------------------------------------------------- */

/*
 * Is [addr, addr+len) fully mapped and readable?  KVM finds out when the
 * guest first touches the memory; we cannot survive reading an unmapped
 * host page, so we check up front (docs/abi.md).  Write permission is
 * asked at each store's TLB fill, as KVM asks at its stage-2 fault
 * (cpu_host_writable()).
 */
static bool host_range_usable(u64 addr, u64 len)
{
	int readable = cpu_host_readable((const void *)(uintptr_t)addr, len);
	FILE *f;
	char line[512];
	u64 next = addr, end = addr + len;

	/* one syscall under qemu-user, where a read of the file costs ~13 ms */
	if (readable >= 0)
		return readable;
	f = fopen("/proc/self/maps", "re");
	if (!f)
		return true;	/* cannot tell: trust the caller, as KVM does */
	while (next < end && fgets(line, sizeof(line), f)) {
		unsigned long long lo, hi;
		char perms[8];

		if (sscanf(line, "%llx-%llx %7s", &lo, &hi, perms) != 3)
			continue;
		if (hi <= next || lo > next)
			continue;
		if (perms[0] != 'r')
			break;
		next = hi;
	}
	fclose(f);
	return next >= end;
}

/*
 * After publishing a new bus: is no vCPU inside KVM_RUN, so that none can
 * still hold a replaced one?  A vCPU entering KVM_RUN counts itself before
 * it looks at anything (arm.c), so either we see it here or it sees the
 * new bus.
 */
static bool kvm_quiescent(struct kvm *kvm)
{
	atomic_thread_fence(memory_order_seq_cst);
	return atomic_load(&kvm->nr_running) == 0;
}

/*
 * Free the replaced memmaps no vCPU can hold any more: every vCPU is
 * outside the engine or holds a generation at least as new as the one
 * that replaced them (cpu.memmap_busy; a vCPU entering the engine says
 * "busy" before it reads the memmap, so either we see that or it sees the
 * new memmap).  RCU's grace period, with the engine's run-loop boundaries
 * as quiescent states.  Caller holds kvm->lock.
 */
static void kvm_reclaim_memmaps(struct kvm *kvm)
{
	u64 oldest = UINT64_MAX, busy;
	unsigned int i, j;

	atomic_thread_fence(memory_order_seq_cst);
	for (i = 0; i < KVM_MAX_VCPUS_NR; i++) {
		if (!kvm->vcpus[i])
			continue;
		busy = atomic_load(&kvm->vcpus[i]->cpu.memmap_busy);
		if (busy && busy - 1 < oldest)
			oldest = busy - 1;
	}
	for (i = j = 0; i < kvm->nr_retired; i++) {
		if (kvm->retired[i].gen <= oldest) {
			free(kvm->retired[i].map);
			kvm_dirty_bitmaps_free(kvm->retired[i].bitmaps);
		} else
			kvm->retired[j++] = kvm->retired[i];
	}
	kvm->nr_retired = j;
}

/* Publish the current memslots to the engine.  Caller holds kvm->lock. */
static int kvm_publish_memmap(struct kvm *kvm)
{
	struct cpu_memmap *map, *old;
	unsigned int i;

	if (kvm->nr_retired == kvm->retired_cap) {
		unsigned int cap = kvm->retired_cap ? 2 * kvm->retired_cap : 4;
		struct kvm_retired_map *r = realloc(kvm->retired, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		kvm->retired = r;
		kvm->retired_cap = cap;
	}
	map = malloc(sizeof(*map) + kvm->nr_slots * sizeof(map->r[0]) +
		     kvm->nr_poison * sizeof(u64));
	if (!map)
		return -ENOMEM;
	/* kvm->slots is sorted by guest address, as the engine's search needs */
	for (i = 0; i < kvm->nr_slots; i++) {
		const struct kvm_memslot *s = kvm->slots[i];

		map->r[i] = (struct cpu_mem_region){
			.gpa = s->base_gpa, .size = s->size,
			.hva = s->hva,
			.flags = ((s->flags & KVM_MEM_READONLY) ? CPU_MEM_READONLY : 0) |
				 (s->gmem_gone ? CPU_MEM_NOACCESS : 0),
			.slot = s->id,
			.dirty = s->dirty ? s->dirty->bits : NULL,
			.tags = s->tags ? s->tags->t : NULL,
		};
	}
	map->nr = kvm->nr_slots;
	/* the poisoned pages live in the same allocation, after the regions */
	map->poison = (const u64 *)&map->r[map->nr];
	map->nr_poison = kvm->nr_poison;
	if (kvm->nr_poison)
		memcpy((u64 *)map->poison, kvm->poison, kvm->nr_poison * sizeof(u64));

	atomic_store(&kvm->memmap_dirty, false);
	old = atomic_exchange(&kvm->cpu_vm.memmap, map);
	/* every vCPU drops what its TLB took from the old map */
	kvm->stats.data[VM_STAT_REMOTE_TLB_FLUSH_REQUESTS]++;
	kvm->stats.data[VM_STAT_REMOTE_TLB_FLUSH]++;
	kvm->retired[kvm->nr_retired].map = old;
	kvm->retired[kvm->nr_retired].gen = atomic_fetch_add(&kvm->cpu_vm.memmap_gen, 1) + 1;
	/* the bitmaps of slots gone from the new map live as long as the old one */
	kvm->retired[kvm->nr_retired].bitmaps = kvm->dead_bitmaps;
	kvm->dead_bitmaps = NULL;
	kvm->nr_retired++;
	kvm_reclaim_memmaps(kvm);
	return 0;
}

/*
 * The memslots changed (caller holds kvm->lock): publish now if a vCPU is
 * in KVM_RUN, else leave it to the next KVM_RUN (kvm_memslots_sync): one
 * side or the other sees the change (the same pairing as kvm_quiescent).
 */
static int kvm_memslots_changed(struct kvm *kvm)
{
	atomic_store(&kvm->memmap_dirty, true);
	if (kvm_quiescent(kvm)) {
		/* no vCPU reads a memmap before the next one is published */
		kvm_dirty_bitmaps_free(kvm->dead_bitmaps);
		kvm->dead_bitmaps = NULL;
		return 0;
	}
	return kvm_publish_memmap(kvm);
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/*
 * KVM's remote TLB flush, after dirty bits were cleared: a new memmap
 * generation (the same map) makes every vCPU flush its TLB, so that the
 * next store to each page takes the slow path and sets its bit again.
 * Caller holds kvm->lock; kvm_wait_memmap_gen() the result after unlocking.
 */
u64 kvm_flush_remote_tlbs(struct kvm *kvm)
{
	kvm->stats.data[VM_STAT_REMOTE_TLB_FLUSH_REQUESTS]++;
	kvm->stats.data[VM_STAT_REMOTE_TLB_FLUSH]++;
	return atomic_fetch_add(&kvm->cpu_vm.memmap_gen, 1) + 1;
}

/*
 * KVM's flush waits for every vCPU to acknowledge it: wait until each vCPU
 * is outside the engine or holds generation gen or newer (cpu.memmap_busy,
 * refreshed at every run-loop boundary, a few microseconds apart).  Not
 * under kvm->lock: a vCPU in the engine may need it.
 */
void kvm_wait_memmap_gen(struct kvm *kvm, u64 gen)
{
	struct kvm_vcpu *vcpus[KVM_MAX_VCPUS_NR];
	unsigned int i, n = 0, spins = 0;
	u64 busy;

	pthread_mutex_lock(&kvm->lock);
	for (i = 0; i < KVM_MAX_VCPUS_NR; i++)
		if (kvm->vcpus[i])
			vcpus[n++] = kvm->vcpus[i];
	pthread_mutex_unlock(&kvm->lock);
	atomic_thread_fence(memory_order_seq_cst);
	/*
	 * The vCPU answers within microseconds unless the host preempted
	 * its thread: spin a while (a sched_yield() on a loaded host gives
	 * the CPU away for a whole slice), then nap.
	 */
	for (i = 0; i < n; i++)
		while ((busy = atomic_load(&vcpus[i]->cpu.memmap_busy)) && busy - 1 < gen) {
			if (++spins < 1000)
				cpu_relax();
			else
				usleep(20);
		}
}

int kvm_memslots_sync(struct kvm *kvm)
{
	int ret = 0;

	if (!atomic_load(&kvm->memmap_dirty))
		return 0;
	pthread_mutex_lock(&kvm->lock);
	if (atomic_load(&kvm->memmap_dirty))
		ret = kvm_publish_memmap(kvm);
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

static struct kvm_memslot *find_slot(struct kvm *kvm, u32 id)
{
	return id < kvm->id_cap ? kvm->slot_by_id[id] : NULL;
}

struct kvm_memslot *kvm_id_to_memslot(struct kvm *kvm, u32 id)
{
	return find_slot(kvm, id);
}

/* The index of the first slot that ends above @gpa. */
static unsigned int slot_after(struct kvm *kvm, u64 gpa)
{
	unsigned int lo = 0, hi = kvm->nr_slots;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct kvm_memslot *s = kvm->slots[mid];

		if (s->base_gpa + s->size <= gpa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct kvm_memslot *kvm_gpa_to_memslot(struct kvm *kvm, u64 gpa)
{
	unsigned int i = slot_after(kvm, gpa);

	if (i < kvm->nr_slots && kvm->slots[i]->base_gpa <= gpa)
		return kvm->slots[i];
	return NULL;
}

static bool overlaps_other(struct kvm *kvm, u32 id, u64 gpa, u64 size)
{
	unsigned int i;

	/* the slots are sorted and disjoint: only a run of them can overlap */
	for (i = slot_after(kvm, gpa); i < kvm->nr_slots; i++) {
		const struct kvm_memslot *s = kvm->slots[i];

		if (s->base_gpa >= gpa + size)
			break;
		if (s->id != id)
			return true;
	}
	return false;
}

/* Room for one more slot, and for id @id in the index. */
static int slots_reserve(struct kvm *kvm, u32 id)
{
	if (kvm->nr_slots == kvm->slots_cap) {
		unsigned int cap = kvm->slots_cap ? kvm->slots_cap * 2 : 8;
		struct kvm_memslot **n = realloc(kvm->slots, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		kvm->slots = n;
		kvm->slots_cap = cap;
	}
	if (id >= kvm->id_cap) {
		unsigned int cap = kvm->id_cap ? kvm->id_cap : 8;
		struct kvm_memslot **n;

		while (cap <= id)
			cap *= 2;
		n = realloc(kvm->slot_by_id, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		memset(&n[kvm->id_cap], 0, (cap - kvm->id_cap) * sizeof(*n));
		kvm->slot_by_id = n;
		kvm->id_cap = cap;
	}
	return 0;
}

/* Put @s (not in the array; room reserved) in its place by guest address. */
static void slot_insert(struct kvm *kvm, struct kvm_memslot *s)
{
	unsigned int i = slot_after(kvm, s->base_gpa);

	memmove(&kvm->slots[i + 1], &kvm->slots[i],
		(kvm->nr_slots - i) * sizeof(kvm->slots[0]));
	kvm->slots[i] = s;
	kvm->nr_slots++;
	kvm->slot_by_id[s->id] = s;
}

/* Take @s out of the array (it stays allocated). */
static void slot_remove(struct kvm *kvm, struct kvm_memslot *s)
{
	unsigned int i = slot_after(kvm, s->base_gpa);

	memmove(&kvm->slots[i], &kvm->slots[i + 1],
		(kvm->nr_slots - i - 1) * sizeof(kvm->slots[0]));
	kvm->nr_slots--;
	kvm->slot_by_id[s->id] = NULL;
}

/* check_memory_region_flags() and __kvm_set_memory_region()'s own checks */
static int check_region_args(const struct kvm_userspace_memory_region2 *mem)
{
	u64 page = (u64)host_page_size();
	u32 as_id = mem->slot >> 16, id = mem->slot & 0xffff;

	/*
	 * check_memory_region_flags(): a guest_memfd slot neither logs dirty
	 * pages nor is read-only; without the flag the guest_memfd fields
	 * are never looked at.
	 */
	u32 valid = mem->flags & KVM_MEM_GUEST_MEMFD ? KVM_MEM_GUEST_MEMFD :
		    KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY;

	if (mem->flags & ~valid)
		return -EINVAL;
	if (as_id >= 1 || id >= KVM_MEM_SLOTS_NR)
		return -EINVAL;
	if (mem->memory_size & (page - 1))
		return -EINVAL;
	if (mem->guest_phys_addr & (page - 1))
		return -EINVAL;
	if (mem->userspace_addr & (page - 1))
		return -EINVAL;
	/* access_ok(userspace_addr, memory_size) */
	if (mem->userspace_addr > KVM_USER_VA_LIMIT ||
	    mem->memory_size > KVM_USER_VA_LIMIT - mem->userspace_addr)
		return -EINVAL;
	if (mem->flags & KVM_MEM_GUEST_MEMFD &&
	    ((mem->guest_memfd_offset & (page - 1)) ||
	     mem->guest_memfd_offset + mem->memory_size < mem->guest_memfd_offset))
		return -EINVAL;
	if (mem->guest_phys_addr + mem->memory_size < mem->guest_phys_addr)
		return -EINVAL;
	if (mem->memory_size / page > KVM_MEM_MAX_NR_PAGES)
		return -EINVAL;
	return 0;
}

/* Create slot @id, or move @old there.  Caller holds kvm->lock. */
static int slot_create_or_move(struct kvm *kvm, struct kvm_memslot *old, u32 id,
			       const struct kvm_userspace_memory_region2 *mem,
			       struct kvm_gmem *gmem)
{
	struct kvm_memslot *s;
	int ret;

	if (overlaps_other(kvm, id, mem->guest_phys_addr, mem->memory_size))
		return -EEXIST;
	/* kvm_arch_prepare_memory_region(): the slot must fit in the IPA space */
	if (mem->guest_phys_addr + mem->memory_size > (1ULL << kvm->cpu_vm.ipa_bits))
		return -EFAULT;
	/* a guest_memfd slot's memory is the file's, not userspace_addr's */
	if (!gmem && !host_range_usable(mem->userspace_addr, mem->memory_size))
		return -EFAULT;
	if (old) {
		/* move: out of its place, then into its new one */
		slot_remove(kvm, old);
		old->base_gpa = mem->guest_phys_addr;
		slot_insert(kvm, old);
		return 0;
	}
	s = malloc(sizeof(*s));
	ret = s ? slots_reserve(kvm, id) : -ENOMEM;
	if (ret) {
		free(s);
		return ret;
	}
	*s = (struct kvm_memslot){
		.id = id, .flags = mem->flags, .base_gpa = mem->guest_phys_addr,
		.size = mem->memory_size, .userspace_addr = mem->userspace_addr,
		.hva = (u8 *)(uintptr_t)mem->userspace_addr,
	};
	if (gmem) {
		ret = kvm_gmem_bind(kvm, s, gmem, (int)mem->guest_memfd,
				    mem->guest_memfd_offset);
		if (ret) {
			free(s);
			return ret;
		}
	}
	ret = kvm_mte_slot_init(kvm, s);
	if (ret) {
		kvm_gmem_unbind(s);
		free(s);
		return ret;
	}
	slot_insert(kvm, s);
	return 0;
}

/* guest_memfd.c: @g's file is gone; its slots stay, every access EFAULT. */
void kvm_memslots_gmem_gone(struct kvm *kvm, struct kvm_gmem *g)
{
	bool any = false;
	unsigned int i;

	pthread_mutex_lock(&kvm->lock);
	for (i = 0; i < kvm->nr_slots; i++) {
		if (kvm->slots[i]->gmem != g)
			continue;
		kvm->slots[i]->gmem = NULL;
		kvm->slots[i]->gmem_gone = true;
		any = true;
	}
	if (any)
		kvm_memslots_changed(kvm);
	pthread_mutex_unlock(&kvm->lock);
}

static int kvm_set_memory_region(struct kvm *kvm,
				 const struct kvm_userspace_memory_region2 *mem)
{
	u32 id = mem->slot & 0xffff;
	struct kvm_memslot *old, *gone = NULL;
	struct kvm_gmem *gmem = NULL;
	bool log_started = false;
	u64 gen = 0;
	int ret;

	ret = check_region_args(mem);
	if (ret)
		return ret;
	/* kvm_gmem_bind()'s fget(): referenced outside kvm->lock (its last
	 * put takes the lock) */
	if (mem->flags & KVM_MEM_GUEST_MEMFD && mem->memory_size) {
		ret = vkvm_gmem_lookup((int)mem->guest_memfd, &gmem);
		if (ret)
			return ret;
	}
	pthread_mutex_lock(&kvm->lock);
	old = find_slot(kvm, id);
	if (!mem->memory_size) {
		/* delete */
		if (!old) {
			ret = -EINVAL;
			goto out;
		}
		slot_remove(kvm, old);
		kvm_dirty_log_retire(kvm, old->dirty);
		kvm_mte_slot_retire(kvm, old);
		if (old->flags & KVM_MEM_GUEST_MEMFD)
			gone = old;	/* its mapping, once no vCPU can use it */
		else
			free(old);
	} else if (old && (mem->flags & KVM_MEM_GUEST_MEMFD ||
			   old->flags & KVM_MEM_GUEST_MEMFD)) {
		/* a guest_memfd slot is immutable: it can only be deleted */
		ret = -EINVAL;
		goto out;
	} else if (old && (mem->userspace_addr != old->userspace_addr ||
			   mem->memory_size != old->size ||
			   ((mem->flags ^ old->flags) & KVM_MEM_READONLY))) {
		ret = -EINVAL;
		goto out;
	} else if (old && mem->guest_phys_addr == old->base_gpa &&
		   mem->flags == old->flags) {
		goto out;	/* nothing changes: a no-op, as in KVM */
	} else {
		struct kvm_dirty_bitmap *dirty, *had = old ? old->dirty : NULL;
		struct kvm_memslot *s;

		/* kvm_prepare_memory_region(): a logging slot keeps its bitmap */
		ret = kvm_dirty_log_prepare(kvm, old, mem->flags, mem->memory_size, &dirty);
		if (ret)
			goto out;
		/* the same address: KVM_MR_FLAGS_ONLY; else a create or a move */
		if (!old || mem->guest_phys_addr != old->base_gpa) {
			ret = slot_create_or_move(kvm, old, id, mem, gmem);
			if (ret) {
				if (dirty != had)
					kvm_dirty_bitmaps_free(dirty);
				goto out;
			}
		}
		s = find_slot(kvm, id);
		if (had && dirty != had)
			kvm_dirty_log_retire(kvm, had);
		s->dirty = dirty;
		s->flags = mem->flags;
		log_started = old && dirty && dirty != had;
	}
	ret = kvm_memslots_changed(kvm);
	gen = atomic_load(&kvm->cpu_vm.memmap_gen);
out:
	pthread_mutex_unlock(&kvm->lock);
	if (gmem)
		kvm_gmem_put(gmem);
	/* KVM write-protects a slot that starts logging before returning */
	if (!ret && (log_started || gone))
		kvm_wait_memmap_gen(kvm, gen);
	if (gone) {
		kvm_gmem_unbind(gone);
		free(gone);
	}
	return ret;
}

/* ---- kvm_read_guest() / kvm_write_guest() ------------------------------------- */

/*
 * Copy to or from guest memory through the memslots, as the in-kernel
 * devices (the ITS's tables, the LPI property and pending tables) do:
 * -EFAULT for an IPA outside every memslot, for a store to a read-only
 * slot, or for host memory userspace has unmapped.  Takes kvm->lock: the
 * caller holds no vgic lock.
 */
static int kvm_guest_copy(struct kvm *kvm, u64 gpa, void *data, size_t len,
			  bool write)
{
	int ret = 0;

	pthread_mutex_lock(&kvm->lock);
	while (len && !ret) {
		unsigned int i = slot_after(kvm, gpa);
		const struct kvm_memslot *s = i < kvm->nr_slots ? kvm->slots[i] : NULL;
		size_t n;
		void *hva;

		if (!s || s->base_gpa > gpa || s->gmem_gone ||
		    (write && (s->flags & KVM_MEM_READONLY))) {
			ret = -EFAULT;
			break;
		}
		n = s->base_gpa + s->size - gpa;
		if (n > len)
			n = len;
		hva = s->hva + (gpa - s->base_gpa);
		ret = write ? copy_to_user(hva, data, n) : copy_from_user(data, hva, n);
		/* a logging slot sees vkvm's stores (ITS tables, PV time) as the guest's */
		if (write && !ret)
			kvm_memslot_mark_dirty(s, gpa, n);
		gpa += n;
		data = (u8 *)data + n;
		len -= n;
	}
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

int kvm_read_guest(struct kvm *kvm, u64 gpa, void *data, size_t len)
{
	return kvm_guest_copy(kvm, gpa, data, len, false);
}

int kvm_write_guest(struct kvm *kvm, u64 gpa, const void *data, size_t len)
{
	return kvm_guest_copy(kvm, gpa, (void *)data, len, true);
}

/* kvm_is_visible_gfn(): is the page of @gpa inside a memslot? */
bool kvm_is_visible_gpa(struct kvm *kvm, u64 gpa)
{
	unsigned int i;
	bool ret;

	pthread_mutex_lock(&kvm->lock);
	i = slot_after(kvm, gpa);
	ret = i < kvm->nr_slots && kvm->slots[i]->base_gpa <= gpa;
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

/* Is @gpa inside a memslot? (pvtime.c) */
bool kvm_gpa_in_memslot(struct kvm *kvm, u64 gpa)
{
	return kvm_is_visible_gpa(kvm, gpa);
}

/* ---- emulated memory errors (vkvm only) -------------------------------------- */

static bool range_in_memslots(struct kvm *kvm, u64 gpa, u64 size)
{
	u64 end = gpa + size;
	unsigned int i = slot_after(kvm, gpa);

	/* walk forward through the (sorted) slots that continue the range */
	for (; gpa < end && i < kvm->nr_slots; i++) {
		const struct kvm_memslot *s = kvm->slots[i];

		if (s->base_gpa > gpa)
			break;
		gpa = s->base_gpa + s->size;
	}
	return gpa >= end;
}

static int u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return (x > y) - (x < y);
}

static int kvm_vm_set_memory_error(struct kvm *kvm, unsigned long arg)
{
	struct vkvm_memory_error me;
	u64 page, n, i, j, *set;
	int ret;

	ret = copy_from_user(&me, (void *)arg, sizeof(me));
	if (ret)
		return ret;
	/* poison is tracked in 4 KiB pages, the engine's page size */
	if (me.reserved || (me.flags & ~VKVM_MEMORY_ERROR_POISON) ||
	    !me.size || (me.gpa | me.size) & 0xfff || me.gpa + me.size < me.gpa)
		return -EINVAL;
	n = me.size >> 12;

	pthread_mutex_lock(&kvm->lock);
	if (!range_in_memslots(kvm, me.gpa, me.size)) {
		ret = -EINVAL;
		goto out;
	}
	if (me.flags & VKVM_MEMORY_ERROR_POISON) {
		/* a bound on what one caller can make us allocate and sort */
		if (n > VKVM_MAX_POISON_PAGES - kvm->nr_poison) {
			ret = -ENOMEM;
			goto out;
		}
		set = realloc(kvm->poison, (kvm->nr_poison + n) * sizeof(u64));
		if (!set) {
			ret = -ENOMEM;
			goto out;
		}
		for (i = 0; i < n; i++)
			set[kvm->nr_poison + i] = me.gpa + (i << 12);
		qsort(set, kvm->nr_poison + n, sizeof(u64), u64_cmp);
		/* drop duplicates */
		for (i = j = 0; i < kvm->nr_poison + n; i++)
			if (!j || set[j - 1] != set[i])
				set[j++] = set[i];
		kvm->poison = set;
		kvm->nr_poison = (unsigned int)j;
	} else {
		for (i = j = 0; i < kvm->nr_poison; i++) {
			page = kvm->poison[i];
			if (page < me.gpa || page >= me.gpa + me.size)
				kvm->poison[j++] = page;
		}
		kvm->nr_poison = (unsigned int)j;
	}
	ret = kvm_publish_memmap(kvm);
out:
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

/* ---- VM ioctls ------------------------------------------------------------------ */

static int kvm_vm_ioctl_create_vcpu(struct kvm *kvm, unsigned long id,
				    int *new_fd)
{
	struct kvm_vcpu *vcpu;
	int fd, ret;

	if (id >= KVM_MAX_VCPUS_NR)
		return -EINVAL;

	pthread_mutex_lock(&kvm->lock);
	if (kvm->created_vcpus >= kvm->max_vcpus || id >= kvm->max_vcpus) {
		ret = -EINVAL;
		goto out;
	}
	/* kvm_arch_vcpu_precreate(): the GIC's redistributors are fixed */
	if (irqchip_in_kernel(kvm) && vgic_initialized(kvm)) {
		ret = -EBUSY;
		goto out;
	}
	if (kvm->vcpus[id]) {
		ret = -EEXIST;
		goto out;
	}
	vcpu = kvm_vcpu_create(kvm, (u32)id, &fd);
	if (!vcpu) {
		ret = fd;
		goto out;
	}
	vcpu->vcpu_idx = kvm->created_vcpus;
	kvm_timer_vcpu_init(vcpu);
	ret = kvm_dirty_ring_alloc(vcpu, fd);
	if (!ret)
		ret = kvm_vgic_vcpu_init(vcpu);
	if (!ret)
		ret = vkvm_install_object(fd, VKVM_FILE_VCPU, vcpu);
	if (ret) {
		close(fd);
		kvm_vcpu_destroy(vcpu);
		kvm_put(kvm);
		goto out;
	}
	kvm->vcpus[id] = vcpu;
	kvm->created_vcpus++;
	*new_fd = fd;
	ret = fd;
out:
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

static int kvm_vm_ioctl_enable_cap(struct kvm *kvm, unsigned long arg)
{
	struct kvm_enable_cap cap;
	int ret;

	ret = copy_from_user(&cap, (void *)arg, sizeof(cap));
	if (ret)
		return ret;
	if (cap.flags)
		return -EINVAL;
	switch (cap.cap) {
	case KVM_CAP_ARM_NISV_TO_USER:
		kvm->nisv_to_user = true;
		return 0;
	case KVM_CAP_ARM_SEA_TO_USER:
		kvm->sea_to_user = true;
		return 0;
	case KVM_CAP_ARM_SYSTEM_SUSPEND:
		kvm->system_suspend = true;
		return 0;
	case KVM_CAP_ARM_WRITABLE_IMP_ID_REGS:
		/* only before the first vCPU: they reset from it */
		pthread_mutex_lock(&kvm->lock);
		ret = kvm->created_vcpus ? -EINVAL : 0;
		if (!ret)
			kvm->writable_imp_id_regs = true;
		pthread_mutex_unlock(&kvm->lock);
		return ret;
	case KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2:
		return kvm_dirty_log_enable_cap(kvm, &cap);
	case KVM_CAP_DIRTY_LOG_RING_ACQ_REL:
		return kvm_dirty_ring_enable_cap(kvm, cap.args[0]);
	case KVM_CAP_ARM_MTE:
		return kvm_vm_enable_mte(kvm);
	default:
		return -EINVAL;
	}
}

long kvm_vm_ioctl(struct kvm *kvm, unsigned int ioctl, unsigned long arg,
		  int *new_fd)
{
	switch (ioctl) {
	case KVM_CREATE_VCPU:
		return kvm_vm_ioctl_create_vcpu(kvm, arg, new_fd);
	case KVM_SET_USER_MEMORY_REGION:
	case KVM_SET_USER_MEMORY_REGION2: {
		/* the first is a prefix of the second; the rest reads as zero */
		struct kvm_userspace_memory_region2 mem = { 0 };
		size_t size = ioctl == KVM_SET_USER_MEMORY_REGION2 ? sizeof(mem) :
			      sizeof(struct kvm_userspace_memory_region);
		int ret = copy_from_user(&mem, (void *)arg, size);

		if (ret)
			return ret;
		/* KVM_SET_USER_MEMORY_REGION_V1_FLAGS: no guest_memfd there */
		if (ioctl == KVM_SET_USER_MEMORY_REGION &&
		    (mem.flags & ~(u32)(KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY)))
			return -EINVAL;
		return kvm_set_memory_region(kvm, &mem);
	}
	case KVM_CREATE_GUEST_MEMFD:
		return kvm_gmem_create(kvm, (void *)arg, new_fd);
	case KVM_GET_DIRTY_LOG: {
		struct kvm_dirty_log log;
		int ret = copy_from_user(&log, (void *)arg, sizeof(log));

		return ret ? ret : kvm_vm_ioctl_get_dirty_log(kvm, &log);
	}
	case KVM_RESET_DIRTY_RINGS:
		return kvm_vm_ioctl_reset_dirty_rings(kvm);
	case KVM_CLEAR_DIRTY_LOG: {
		struct kvm_clear_dirty_log log;
		int ret = copy_from_user(&log, (void *)arg, sizeof(log));

		return ret ? ret : kvm_vm_ioctl_clear_dirty_log(kvm, &log);
	}
	case KVM_GET_STATS_FD: {
		char id[32];
		int ret;

		snprintf(id, sizeof(id), "kvm-%d", (int)getpid());
		pthread_mutex_lock(&kvm->lock);
		ret = kvm_stats_get_fd(&kvm->stats, 0, id);
		pthread_mutex_unlock(&kvm->lock);
		return ret;
	}
	case KVM_CHECK_EXTENSION:
		return kvm_vm_check_extension(kvm, (long)arg);
	case KVM_ENABLE_CAP:
		return kvm_vm_ioctl_enable_cap(kvm, arg);
	case VKVM_SET_MEMORY_ERROR:
		return kvm_vm_set_memory_error(kvm, arg);
	case KVM_ARM_MTE_COPY_TAGS: {
		struct kvm_arm_copy_mte_tags ct;
		int ret = copy_from_user(&ct, (void *)arg, sizeof(ct));

		return ret ? ret : kvm_vm_ioctl_mte_copy_tags(kvm, &ct);
	}
	case KVM_CREATE_DEVICE: {
		struct kvm_create_device cd;
		int ret = copy_from_user(&cd, (void *)arg, sizeof(cd));

		if (ret)
			return ret;
		ret = kvm_ioctl_create_device(kvm, &cd);
		if (ret)
			return ret;
		return copy_to_user((void *)arg, &cd, sizeof(cd));
	}
	case KVM_CREATE_IRQCHIP: {
		/* a GICv2 without a device descriptor (kvm_arch_vm_ioctl) */
		int ret;

		pthread_mutex_lock(&kvm->lock);
		ret = kvm_vgic_create(kvm, KVM_DEV_TYPE_ARM_VGIC_V2);
		pthread_mutex_unlock(&kvm->lock);
		return ret;
	}
	case KVM_IRQ_LINE:
	case KVM_IRQ_LINE_STATUS: {
		struct kvm_irq_level irq;
		int ret = copy_from_user(&irq, (void *)arg, sizeof(irq));

		if (ret)
			return ret;
		ret = kvm_vm_ioctl_irq_line(kvm, &irq);
		if (ret || ioctl == KVM_IRQ_LINE)
			return ret;
		return copy_to_user((void *)arg, &irq, sizeof(irq));
	}
	case KVM_IRQFD: {
		struct kvm_irqfd data;
		int ret = copy_from_user(&data, (void *)arg, sizeof(data));

		return ret ? ret : kvm_irqfd(kvm, &data);
	}
	case KVM_SET_GSI_ROUTING:
		return kvm_vm_ioctl_set_gsi_routing(kvm, arg);
	case KVM_SIGNAL_MSI: {
		struct kvm_msi msi;
		int ret = copy_from_user(&msi, (void *)arg, sizeof(msi));

		return ret ? ret : kvm_send_userspace_msi(kvm, &msi);
	}
	case KVM_REGISTER_COALESCED_MMIO:
	case KVM_UNREGISTER_COALESCED_MMIO: {
		struct kvm_coalesced_mmio_zone zone;
		int ret = copy_from_user(&zone, (void *)arg, sizeof(zone));

		if (ret)
			return ret;
		if (ioctl == KVM_REGISTER_COALESCED_MMIO)
			return kvm_vm_ioctl_register_coalesced_mmio(kvm, &zone);
		return kvm_vm_ioctl_unregister_coalesced_mmio(kvm, &zone);
	}
	case KVM_IOEVENTFD: {
		struct kvm_ioeventfd data;
		int ret = copy_from_user(&data, (void *)arg, sizeof(data));

		return ret ? ret : kvm_ioeventfd(kvm, &data);
	}
	case KVM_ARM_GET_REG_WRITABLE_MASKS: {
		struct reg_mask_range range;
		int ret = copy_from_user(&range, (void *)arg, sizeof(range));

		return ret ? ret : kvm_vm_ioctl_get_reg_writable_masks(kvm, &range);
	}
	case KVM_ARM_SET_COUNTER_OFFSET: {
		struct kvm_arm_counter_offset offset;
		int ret = copy_from_user(&offset, (void *)arg, sizeof(offset));

		return ret ? ret : kvm_vm_ioctl_set_counter_offset(kvm, &offset);
	}
	case KVM_HAS_DEVICE_ATTR:
	case KVM_SET_DEVICE_ATTR: {
		struct kvm_device_attr attr;
		int ret = copy_from_user(&attr, (void *)arg, sizeof(attr));

		if (ret)
			return ret;
		/* kvm_vm_has_attr(), kvm_vm_set_attr(): the SMCCC filter only */
		if (attr.group != KVM_ARM_VM_SMCCC_CTRL)
			return -ENXIO;
		if (ioctl == KVM_HAS_DEVICE_ATTR)
			return kvm_vm_smccc_has_attr(kvm, &attr);
		return kvm_vm_smccc_set_attr(kvm, &attr);
	}
	case KVM_ARM_PREFERRED_TARGET: {
		struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };

		return copy_to_user((void *)arg, &init, sizeof(init));
	}
	case KVM_GET_API_VERSION:
	case KVM_CREATE_VM:
	case KVM_GET_VCPU_MMAP_SIZE:
		/* system ioctls: kvm_vm_ioctl() hands them to the arch, which refuses */
	default:
		return -EINVAL;
	}
}

/* ---- the in-kernel MMIO bus (kvm_io_bus) ----------------------------------------- */

/* Publish a copy of the bus with @add added or @del removed.  Caller holds bus_lock. */
static int kvm_io_bus_publish(struct kvm *kvm, const struct kvm_io_range *add,
			      const struct kvm_io_device *del)
{
	struct kvm_io_bus *old = atomic_load(&kvm->mmio_bus), *bus, **olds;
	unsigned int n = old ? old->dev_count : 0, i, j = 0;

	if (add && n >= NR_IOBUS_DEVS)
		return -ENOSPC;
	bus = calloc(1, sizeof(*bus) + (n + 1) * sizeof(bus->range[0]));
	olds = realloc(kvm->old_buses, (kvm->nr_old_buses + 1) * sizeof(*olds));
	if (olds)
		kvm->old_buses = olds;
	if (!bus || !olds) {
		free(bus);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (old->range[i].dev != del)
			bus->range[j++] = old->range[i];
	if (add)
		bus->range[j++] = *add;
	bus->dev_count = j;
	atomic_store(&kvm->mmio_bus, bus);
	/* a vCPU thread may still be reading the old bus: keep it, unless none runs */
	if (old)
		kvm->old_buses[kvm->nr_old_buses++] = old;
	if (kvm_quiescent(kvm)) {
		for (i = 0; i < kvm->nr_old_buses; i++)
			free(kvm->old_buses[i]);
		kvm->nr_old_buses = 0;
	}
	return 0;
}

int kvm_io_bus_register_dev(struct kvm *kvm, u64 addr, u64 len,
			    struct kvm_io_device *dev)
{
	struct kvm_io_range r = { .addr = addr, .len = len, .dev = dev };
	int ret;

	pthread_mutex_lock(&kvm->bus_lock);
	ret = kvm_io_bus_publish(kvm, &r, NULL);
	pthread_mutex_unlock(&kvm->bus_lock);
	return ret;
}

int kvm_io_bus_unregister_dev(struct kvm *kvm, struct kvm_io_device *dev)
{
	int ret;

	pthread_mutex_lock(&kvm->bus_lock);
	ret = kvm_io_bus_publish(kvm, NULL, dev);
	pthread_mutex_unlock(&kvm->bus_lock);
	return ret;
}

/* Does the access at @addr start inside @r?  (A zero length names one address.) */
static bool io_range_hit(const struct kvm_io_range *r, u64 addr)
{
	return addr == r->addr || (addr > r->addr && addr - r->addr < r->len);
}

static int kvm_io_bus_access(struct kvm_vcpu *vcpu, u64 addr, unsigned int len,
			     void *val, bool write)
{
	const struct kvm_io_bus *bus = atomic_load(&vcpu->kvm->mmio_bus);
	unsigned int i;

	if (!bus)
		return -EOPNOTSUPP;
	for (i = 0; i < bus->dev_count; i++) {
		struct kvm_io_device *dev = bus->range[i].dev;

		if (!io_range_hit(&bus->range[i], addr))
			continue;
		if (write && dev->ops->write &&
		    !dev->ops->write(vcpu, dev, addr, len, val))
			return 0;
		if (!write && dev->ops->read &&
		    !dev->ops->read(vcpu, dev, addr, len, val))
			return 0;
	}
	return -EOPNOTSUPP;
}

int kvm_io_bus_write(struct kvm_vcpu *vcpu, u64 addr, unsigned int len,
		     const void *val)
{
	return kvm_io_bus_access(vcpu, addr, len, (void *)val, true);
}

int kvm_io_bus_read(struct kvm_vcpu *vcpu, u64 addr, unsigned int len, void *val)
{
	return kvm_io_bus_access(vcpu, addr, len, val, false);
}
