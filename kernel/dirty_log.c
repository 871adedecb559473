// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty page logging, as virt/kvm/kvm_main.c's generic dirty log:
 * KVM_MEM_LOG_DIRTY_PAGES on a memslot, KVM_GET_DIRTY_LOG, and with
 * KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 (MANUAL_PROTECT_ENABLE, INITIALLY_SET)
 * KVM_CLEAR_DIRTY_LOG; and the dirty ring (virt/kvm/dirty_ring.c,
 * KVM_CAP_DIRTY_LOG_RING_ACQ_REL as arm64 has it, without _WITH_BITMAP).
 *
 * KVM write-protects a logging slot's pages in stage 2 and marks a page at
 * its first write fault.  Here the soft TLB is the stage 2: a store enters
 * its page writable in the TLB only from the slow path, which sets the
 * page's bit first (kernel/cpu/mem.c).  Reporting and clearing bits then
 * write-protects again with a flush of every vCPU's TLB (a new memmap
 * generation) and, as KVM's remote flush, waits for the vCPUs in the
 * engine to acknowledge it before returning: a store the log did not
 * catch is in memory by then, and the next one is caught.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_host.h"

#define DIRTY_PAGE_SHIFT	12	/* the engine's page, and this host's */

static u64 slot_npages(const struct kvm_memslot *s)
{
	return s->size >> DIRTY_PAGE_SHIFT;
}

/* kvm_dirty_bitmap_bytes() in 64-bit words: ALIGN(npages, BITS_PER_LONG) */
static u64 bitmap_words(u64 npages)
{
	return (npages + 63) / 64;
}

void kvm_dirty_bitmaps_free(struct kvm_dirty_bitmap *b)
{
	while (b) {
		struct kvm_dirty_bitmap *next = b->next;

		free(b);
		b = next;
	}
}

/*
 * Freed once no memmap a vCPU may hold points at it (kvm_main.c retires it
 * with the memmap it replaces, or at once when no vCPU runs).
 */
void kvm_dirty_log_retire(struct kvm *kvm, struct kvm_dirty_bitmap *b)
{
	if (!b)
		return;
	b->next = kvm->dead_bitmaps;
	kvm->dead_bitmaps = b;
}

/*
 * kvm_prepare_memory_region()'s bitmap: none without logging, the old
 * one if the slot logged already, else a new one, all set under
 * KVM_DIRTY_LOG_INITIALLY_SET.  Caller holds kvm->lock.
 */
int kvm_dirty_log_prepare(struct kvm *kvm, const struct kvm_memslot *old,
			  u32 flags, u64 size, struct kvm_dirty_bitmap **dirty)
{
	u64 npages = size >> DIRTY_PAGE_SHIFT, words = bitmap_words(npages), i;
	struct kvm_dirty_bitmap *b;

	*dirty = NULL;
	if (!(flags & KVM_MEM_LOG_DIRTY_PAGES))
		return 0;
	if (old && old->dirty) {
		*dirty = old->dirty;
		return 0;
	}
	b = calloc(1, sizeof(*b) + words * sizeof(b->bits[0]));
	if (!b)
		return -ENOMEM;
	/* with a dirty ring a set bit means "pushed": none is, yet */
	if ((kvm->manual_dirty_log_protect & KVM_DIRTY_LOG_INITIALLY_SET) &&
	    !kvm->dirty_ring_size) {
		for (i = 0; i < npages / 64; i++)
			atomic_init(&b->bits[i], ~0ULL);
		if (npages & 63)
			atomic_init(&b->bits[i], (1ULL << (npages & 63)) - 1);
	}
	*dirty = b;
	return 0;
}

/* kvm_vm_ioctl_enable_cap_generic(): INITIALLY_SET only with MANUAL_PROTECT */
int kvm_dirty_log_enable_cap(struct kvm *kvm, const struct kvm_enable_cap *cap)
{
	u64 allowed = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE;

	if (cap->args[0] & KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE)
		allowed |= KVM_DIRTY_LOG_INITIALLY_SET;
	if (cap->flags || (cap->args[0] & ~allowed))
		return -EINVAL;
	pthread_mutex_lock(&kvm->lock);
	kvm->manual_dirty_log_protect = cap->args[0];
	pthread_mutex_unlock(&kvm->lock);
	return 0;
}

/* The slot a log ioctl names (as_id << 16 | id), or -EINVAL / -ENOENT. */
static int log_slot(struct kvm *kvm, u32 slot, struct kvm_memslot **s)
{
	u32 as_id = slot >> 16, id = slot & 0xffff;

	if (as_id >= 1 || id >= KVM_MEM_SLOTS_NR)
		return -EINVAL;
	*s = kvm_id_to_memslot(kvm, id);
	return *s && (*s)->dirty ? 0 : -ENOENT;
}

/*
 * kvm_get_dirty_log_protect(): without manual protection, take the bits
 * (each word exchanged with 0) and write-protect what they name; with it,
 * only copy them (KVM_CLEAR_DIRTY_LOG protects).
 */
int kvm_vm_ioctl_get_dirty_log(struct kvm *kvm, const struct kvm_dirty_log *log)
{
	struct kvm_memslot *s;
	u64 words, i, *buf, any = 0, gen = 0;
	int ret;

	pthread_mutex_lock(&kvm->lock);
	/* kvm_use_dirty_bitmap(): not with a dirty ring */
	ret = kvm->dirty_ring_size ? -ENXIO : log_slot(kvm, log->slot, &s);
	if (ret)
		goto out_unlock;
	words = bitmap_words(slot_npages(s));
	buf = malloc(words * sizeof(*buf));
	if (!buf) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	if (kvm->manual_dirty_log_protect) {
		for (i = 0; i < words; i++)
			buf[i] = atomic_load_explicit(&s->dirty->bits[i], memory_order_relaxed);
	} else {
		for (i = 0; i < words; i++) {
			if (!atomic_load_explicit(&s->dirty->bits[i], memory_order_relaxed)) {
				buf[i] = 0;
				continue;
			}
			buf[i] = atomic_exchange(&s->dirty->bits[i], 0);
			any |= buf[i];
		}
		if (any)
			gen = kvm_flush_remote_tlbs(kvm);
	}
	pthread_mutex_unlock(&kvm->lock);
	if (any)
		kvm_wait_memmap_gen(kvm, gen);
	ret = copy_to_user(log->dirty_bitmap, buf, words * sizeof(*buf));
	free(buf);
	return ret;

out_unlock:
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

/*
 * kvm_clear_dirty_log_protect(): first_page a multiple of 64, the range in
 * the slot, num_pages a multiple of 64 unless it reaches the slot's end.
 * The bits set in the caller's bitmap are cleared (and write-protected).
 */
int kvm_vm_ioctl_clear_dirty_log(struct kvm *kvm, const struct kvm_clear_dirty_log *log)
{
	struct kvm_memslot *s;
	u64 npages, words, i, *buf, flush = 0, gen = 0;
	int ret;

	if ((log->slot >> 16) >= 1 || (log->slot & 0xffff) >= KVM_MEM_SLOTS_NR)
		return -EINVAL;
	if (log->first_page & 63)
		return -EINVAL;
	pthread_mutex_lock(&kvm->lock);
	ret = kvm->dirty_ring_size ? -ENXIO : log_slot(kvm, log->slot, &s);
	if (ret)
		goto out_unlock;
	npages = slot_npages(s);
	if (log->first_page > npages || log->num_pages > npages - log->first_page ||
	    (log->num_pages < npages - log->first_page && (log->num_pages & 63))) {
		ret = -EINVAL;
		goto out_unlock;
	}
	words = bitmap_words(log->num_pages);
	buf = malloc(words ? words * sizeof(*buf) : 1);
	if (!buf) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	ret = copy_from_user(buf, log->dirty_bitmap, words * sizeof(*buf));
	if (ret) {
		free(buf);
		goto out_unlock;
	}
	for (i = 0; i < words; i++) {
		_Atomic u64 *w = &s->dirty->bits[log->first_page / 64 + i];
		u64 mask = buf[i];

		if (!mask)
			continue;
		flush |= mask & atomic_fetch_and(w, ~mask);
	}
	free(buf);
	if (flush)
		gen = kvm_flush_remote_tlbs(kvm);
	pthread_mutex_unlock(&kvm->lock);
	if (flush)
		kvm_wait_memmap_gen(kvm, gen);
	return 0;

out_unlock:
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

/* ---- the dirty ring ------------------------------------------------------------ */

/* KVM_DIRTY_RING_RSVD_ENTRIES: room kept past the soft limit */
#define DIRTY_RING_RSVD_ENTRIES	64

__thread struct kvm_vcpu *kvm_running_vcpu;

static size_t ring_page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static u32 ring_used(struct kvm_dirty_ring *r)
{
	return atomic_load_explicit(&r->dirty_index, memory_order_relaxed) -
	       atomic_load_explicit(&r->reset_index, memory_order_acquire);
}

/* kvm_dirty_ring_push(): on the vCPU's own thread */
static void ring_push(struct kvm_vcpu *vcpu, u32 slot, u64 offset)
{
	struct kvm_dirty_ring *r = &vcpu->dirty_ring;
	u32 idx = atomic_load_explicit(&r->dirty_index, memory_order_relaxed);
	struct kvm_dirty_gfn *e = &r->gfns[idx & (r->size - 1)];

	e->slot = slot;
	e->offset = offset;
	/* userspace reads flags with acquire, then slot and offset */
	__atomic_store_n(&e->flags, KVM_DIRTY_GFN_F_DIRTY, __ATOMIC_RELEASE);
	atomic_store_explicit(&r->dirty_index, idx + 1, memory_order_release);
	if (ring_used(r) >= r->soft_limit)
		atomic_store(&vcpu->cpu.kick, 1);	/* KVM_REQ_DIRTY_RING_SOFT_FULL */
}

bool kvm_dirty_ring_soft_full(struct kvm_vcpu *vcpu)
{
	return vcpu->dirty_ring.gfns && ring_used(&vcpu->dirty_ring) >= vcpu->dirty_ring.soft_limit;
}

bool cpu_hook_dirty_ring_room(struct cpu *cpu)
{
	struct kvm_vcpu *vcpu = cpu->backend;

	return !vcpu->dirty_ring.gfns || !kvm_dirty_ring_soft_full(vcpu);
}

void cpu_hook_page_dirtied(struct cpu *cpu, const struct cpu_mem_region *reg, uint64_t gpa)
{
	struct kvm_vcpu *vcpu = cpu->backend;

	if (vcpu->dirty_ring.gfns)
		ring_push(vcpu, reg->slot, (gpa - reg->gpa) >> DIRTY_PAGE_SHIFT);
}

/*
 * KVM_ENABLE_CAP(KVM_CAP_DIRTY_LOG_RING_ACQ_REL) (kvm_vm_ioctl_enable_dirty_log_ring):
 * a power of 2 of at least a page and the reserved entries, at most
 * KVM_DIRTY_RING_MAX_BYTES (E2BIG); once, before any vCPU (EINVAL).
 */
int kvm_dirty_ring_enable_cap(struct kvm *kvm, u64 size)
{
	int ret = 0;

	if (!size || (size & (size - 1)))
		return -EINVAL;
	if (size < DIRTY_RING_RSVD_ENTRIES * sizeof(struct kvm_dirty_gfn) ||
	    size < ring_page_size())
		return -EINVAL;
	if (size > KVM_DIRTY_RING_MAX_BYTES)
		return -E2BIG;
	pthread_mutex_lock(&kvm->lock);
	if (kvm->dirty_ring_size || kvm->created_vcpus)
		ret = -EINVAL;
	else
		kvm->dirty_ring_size = (u32)size;
	pthread_mutex_unlock(&kvm->lock);
	return ret;
}

/* The ring in the vCPU's memfd at KVM_DIRTY_LOG_PAGE_OFFSET; caller holds kvm->lock. */
int kvm_dirty_ring_alloc(struct kvm_vcpu *vcpu, int fd)
{
	struct kvm_dirty_ring *r = &vcpu->dirty_ring;
	size_t size = vcpu->kvm->dirty_ring_size;
	off_t at = (off_t)(KVM_DIRTY_LOG_PAGE_OFFSET * ring_page_size());
	void *p;

	if (!size)
		return 0;
	if (ftruncate(fd, at + (off_t)size))
		return -errno;
	p = vkvm_mmap_unpinned(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, at);
	if (p == MAP_FAILED)
		return -errno;
	r->gfns = p;
	r->size = (u32)(size / sizeof(struct kvm_dirty_gfn));
	r->soft_limit = r->size - DIRTY_RING_RSVD_ENTRIES;
	return 0;
}

void kvm_dirty_ring_free(struct kvm_vcpu *vcpu)
{
	if (vcpu->dirty_ring.gfns)
		munmap(vcpu->dirty_ring.gfns, vcpu->kvm->dirty_ring_size);
	vcpu->dirty_ring.gfns = NULL;
}

/* kvm_vcpu_mmap(): the ring's pages only shared, never executable */
int kvm_dirty_ring_check_mmap(struct kvm_vcpu *vcpu, size_t len, off_t off, int prot, int flags)
{
	size_t pg = ring_page_size(), first = KVM_DIRTY_LOG_PAGE_OFFSET * pg;
	size_t end = first + vcpu->kvm->dirty_ring_size;

	if (!vcpu->kvm->dirty_ring_size || off < 0 || !len)
		return 0;
	if ((size_t)off >= end || (size_t)off + len <= first)
		return 0;
	return (prot & PROT_EXEC) || !(flags & MAP_SHARED) ? -EINVAL : 0;
}

/*
 * KVM_RESET_DIRTY_RINGS (kvm_dirty_ring_reset): each vCPU's entries userspace
 * marked RESET, in order, become free and their pages clean (write-protected
 * again: a TLB flush every vCPU acknowledges).  Returns how many.
 */
int kvm_vm_ioctl_reset_dirty_rings(struct kvm *kvm)
{
	u64 flush = 0, gen = 0;
	unsigned int i;
	int count = 0;

	if (!kvm->dirty_ring_size)
		return -EINVAL;
	pthread_mutex_lock(&kvm->lock);
	for (i = 0; i < kvm->created_vcpus; i++) {
		struct kvm_vcpu *vcpu = kvm->vcpu_by_idx[i];
		struct kvm_dirty_ring *r = vcpu ? &vcpu->dirty_ring : NULL;

		if (!r || !r->gfns)
			continue;
		for (;;) {
			u32 idx = atomic_load(&r->reset_index);
			struct kvm_dirty_gfn *e = &r->gfns[idx & (r->size - 1)];
			struct kvm_memslot *s;
			u64 pn;

			/*
			 * The flags alone, as KVM: the vCPU publishes an entry
			 * (flags, release) before its dirty_index, so userspace
			 * may harvest one that index does not count yet.
			 */
			if (!(__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) & KVM_DIRTY_GFN_F_RESET))
				break;
			pn = e->offset;
			s = e->slot >> 16 ? NULL : kvm_id_to_memslot(kvm, e->slot & 0xffff);
			if (s && s->dirty && pn < slot_npages(s))
				flush |= atomic_fetch_and(&s->dirty->bits[pn / 64],
							  ~(1ULL << (pn % 64))) & (1ULL << (pn % 64));
			__atomic_store_n(&e->flags, 0, __ATOMIC_RELAXED);
			atomic_store_explicit(&r->reset_index, idx + 1, memory_order_release);
			count++;
		}
	}
	if (flush)
		gen = kvm_flush_remote_tlbs(kvm);
	pthread_mutex_unlock(&kvm->lock);
	if (flush)
		kvm_wait_memmap_gen(kvm, gen);
	return count;
}

/*
 * mark_page_dirty_in_slot(): vkvm wrote [gpa, gpa + len) of slot s for
 * the guest (a range inside s).  Caller holds kvm->lock, as a
 * kvm_write_guest() that found s does.
 */
void kvm_memslot_mark_dirty(const struct kvm_memslot *s, u64 gpa, u64 len)
{
	struct kvm_vcpu *vcpu = kvm_running_vcpu;
	u64 pn, last, bit, old;

	if (!s->dirty || !len)
		return;
	pn = (gpa - s->base_gpa) >> DIRTY_PAGE_SHIFT;
	last = (gpa + len - 1 - s->base_gpa) >> DIRTY_PAGE_SHIFT;
	for (; pn <= last; pn++) {
		bit = 1ULL << (pn % 64);
		if (!vcpu || !vcpu->dirty_ring.gfns) {
			/* with a ring but no vCPU to log to, as KVM: not logged,
			 * and the page stays clean for the guest's next store */
			if (!vcpu || !vcpu->kvm->dirty_ring_size)
				atomic_fetch_or(&s->dirty->bits[pn / 64], bit);
			continue;
		}
		if (ring_used(&vcpu->dirty_ring) >= vcpu->dirty_ring.size)
			continue;
		old = atomic_fetch_or(&s->dirty->bits[pn / 64], bit);
		if (!(old & bit))
			ring_push(vcpu, s->id, pn);
	}
}

/* mark_page_dirty(): a page vkvm wrote for the guest, in a logging slot. */
void kvm_mark_page_dirty(struct kvm *kvm, u64 gpa)
{
	struct kvm_memslot *s;

	pthread_mutex_lock(&kvm->lock);
	s = kvm_gpa_to_memslot(kvm, gpa);
	if (s && gpa - s->base_gpa < s->size)
		kvm_memslot_mark_dirty(s, gpa, 1);
	pthread_mutex_unlock(&kvm->lock);
}
