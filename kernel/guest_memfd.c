// SPDX-License-Identifier: GPL-2.0
/*
 * guest_memfd (virt/kvm/guest_memfd.c): KVM_CREATE_GUEST_MEMFD and the
 * memslots it backs (KVM_MEM_GUEST_MEMFD).  A guest_memfd here is a memfd
 * vkvm made and tracks like its other files: the caller's descriptor names
 * it, fstat() gives its size, a mapping of it (vkvm_mmap, GUEST_MEMFD_FLAG_MMAP)
 * shares its pages with the guest, and fallocate(PUNCH_HOLE) through
 * vkvm_fallocate() zeroes them for both.  Where the kernel's file refuses
 * what a memfd allows (read, write, ftruncate, unaligned or growing
 * fallocate), vkvm_read() and friends refuse it; the system calls made on
 * the descriptor directly act on the memfd (docs/abi.md, "guest_memfd").
 *
 * A bound memslot's memory is vkvm's own shared mapping of the file's
 * range, which does not pin the caller's description: as in KVM the file
 * pins the VM, not the other way round, and when the file's last
 * descriptor (and mapping) goes, the slots it backed stay but every guest
 * access to them ends KVM_RUN with EFAULT until they are deleted.
 */
#include <fcntl.h>
#include <linux/falloc.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_host.h"

/* arm64 KVM: every guest_memfd can be mapped, and starts shared */
#define GMEM_SUPPORTED_FLAGS	(GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED)

u64 kvm_gmem_supported_flags(void)
{
	return GMEM_SUPPORTED_FLAGS;
}

/* kvm_gmem_create(): a new guest_memfd of the VM; its descriptor or -errno. */
int kvm_gmem_create(struct kvm *kvm, void *argp, int *new_fd)
{
	struct kvm_create_guest_memfd args;
	u64 page = (u64)getpagesize();
	struct kvm_gmem *g;
	int fd, ret;

	ret = copy_from_user(&args, argp, sizeof(args));
	if (ret)
		return ret;
	if (args.flags & ~GMEM_SUPPORTED_FLAGS)
		return -EINVAL;
	/* a loff_t: positive and page aligned */
	if ((int64_t)args.size <= 0 || (args.size & (page - 1)))
		return -EINVAL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	fd = vkvm_new_fd("kvm-gmem", 0, 0);	/* no O_CLOEXEC, as KVM */
	if (fd < 0) {
		free(g);
		return fd;
	}
	if (ftruncate(fd, (off_t)args.size) < 0) {
		ret = -errno;
		goto out_close;
	}
	atomic_init(&g->refcount, 1);
	g->kvm = kvm;
	g->size = args.size;
	g->flags = args.flags;
	kvm_get(kvm);
	ret = vkvm_install_object(fd, VKVM_FILE_GMEM, g);
	if (ret) {
		kvm_put(kvm);
		goto out_close;
	}
	*new_fd = fd;
	return fd;

out_close:
	close(fd);
	free(g);
	return ret;
}

/*
 * kvm_gmem_release(): the file's last reference is gone.  The slots it
 * backed stay, without memory: the engine ends KVM_RUN with EFAULT at
 * their first access (CPU_MEM_NOACCESS).
 */
static void kvm_gmem_release(struct kvm_gmem *g)
{
	struct kvm *kvm = g->kvm;

	kvm_memslots_gmem_gone(kvm, g);
	free(g);
	kvm_put(kvm);
}

void kvm_gmem_get(struct kvm_gmem *g)
{
	atomic_fetch_add(&g->refcount, 1);
}

void kvm_gmem_put(struct kvm_gmem *g)
{
	if (atomic_fetch_sub(&g->refcount, 1) == 1)
		kvm_gmem_release(g);
}

/*
 * kvm_gmem_bind(): back slot @s ([gpa, gpa + size)) with the range at
 * @offset of guest_memfd @g, whose descriptor is @fd.  Caller holds
 * kvm->lock and a reference to @g, and has checked the offset's alignment
 * and wrap.  0, -EINVAL (another VM's, past its end, or a range another
 * slot has), or the mapping's -errno.
 */
int kvm_gmem_bind(struct kvm *kvm, struct kvm_memslot *s, struct kvm_gmem *g, int fd,
		  u64 offset)
{
	unsigned int i;
	void *hva;

	if (g->kvm != kvm || offset + s->size > g->size)
		return -EINVAL;
	for (i = 0; i < kvm->nr_slots; i++) {
		const struct kvm_memslot *o = kvm->slots[i];

		if (o->gmem == g && offset < o->gmem_offset + o->size &&
		    o->gmem_offset < offset + s->size)
			return -EINVAL;
	}
	hva = vkvm_mmap_unpinned(NULL, s->size, PROT_READ | PROT_WRITE, MAP_SHARED,
				 fd, (off_t)offset);
	if (hva == MAP_FAILED)
		return -errno;
	s->gmem = g;
	s->gmem_offset = offset;
	s->hva = hva;
	return 0;
}

/* The slot is gone (deleted, or its VM): vkvm's mapping of the file goes too. */
void kvm_gmem_unbind(struct kvm_memslot *s)
{
	if (s->flags & KVM_MEM_GUEST_MEMFD)
		munmap(s->hva, s->size);
	s->gmem = NULL;
}

/* ---- the file's own calls (vkvm.c's entry points) -------------------------- */

/* kvm_gmem_mmap(): MAP_SHARED only, and only with GUEST_MEMFD_FLAG_MMAP. */
void *kvm_gmem_mmap(struct kvm_gmem *g, void *addr, size_t len, int prot, int flags,
		    int fd, off_t off)
{
	int empty;
	void *p;

	if (!(g->flags & GUEST_MEMFD_FLAG_MMAP)) {
		errno = ENODEV;
		return MAP_FAILED;
	}
	if ((flags & MAP_TYPE) != MAP_SHARED && (flags & MAP_TYPE) != MAP_SHARED_VALIDATE) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	if (g->flags & GUEST_MEMFD_FLAG_INIT_SHARED)
		return mmap(addr, len, prot, flags, fd, off);	/* pins the file, as KVM's */
	/*
	 * Private memory: every host access faults with SIGBUS, as KVM's
	 * kvm_gmem_fault_user_mapping() without INIT_SHARED.  An empty file
	 * mapped there does that.
	 */
	empty = memfd_create("kvm-gmem-private", MFD_CLOEXEC);
	if (empty < 0)
		return MAP_FAILED;
	p = mmap(addr, len, prot, flags, empty, 0);
	close(empty);
	return p;
}

/* kvm_gmem_fallocate(): KEEP_SIZE, page-aligned, allocation within the size. */
int kvm_gmem_fallocate(struct kvm_gmem *g, int fd, int mode, off_t off, off_t len)
{
	off_t page = (off_t)getpagesize();

	/* vfs_fallocate()'s own checks come first */
	if (off < 0 || len <= 0)
		return -EINVAL;
	if (!(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if ((off & (page - 1)) || (len & (page - 1)))
		return -EINVAL;
	if (!(mode & FALLOC_FL_PUNCH_HOLE) && (off < 0 || len <= 0 ||
					       (u64)off + (u64)len > g->size))
		return -EINVAL;
	if (fallocate(fd, mode, off, len) < 0)
		return -errno;
	return 0;
}
