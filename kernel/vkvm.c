// SPDX-License-Identifier: GPL-2.0
/*
 * The four entry points and the table of the files vkvm handed out.
 *
 * Every KVM object (the system "device", a VM, a vCPU, a device) is a real
 * file: a memfd, so that numbering, close-on-exec, dup and poll behave as
 * the kernel's do, and so that a vCPU's kvm_run page can be shared through
 * mmap exactly as with KVM.  As in KVM, an object belongs to its open file
 * description, whatever descriptors name it: dups reach the same object, and
 * the object is released when the last descriptor of that description is
 * closed (docs/abi.md, "Descriptors").
 *
 * The table is keyed by the file's inode, so that any descriptor of it (the
 * one we returned, a dup, a number the caller got by dup2 or fork) finds the
 * object with one fstat() and one hash lookup.  A system call costs more
 * than a whole MMIO round trip, so KVM_RUN alone believes a cache indexed
 * by descriptor number (kept up to date by every other call), without
 * asking the kernel what the number names now.
 *
 * We cannot see close(2) or dup(2), so vkvm_close() asks the kernel whether
 * the description outlives the descriptor being closed: each description we
 * hand out holds an OFD lock (owned by the description, dropped only when
 * its last reference goes), and a second description of the same inode,
 * opened through /proc/self/fd, can test for it.  When the description is
 * still alive (a dup remains) the object stays, and keeps that second
 * description as its probe until a later check finds the lock gone.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vkvm.h>

#include "kvm_host.h"

/* The byte our OFD lock covers: far beyond anything a caller would lock. */
#define VKVM_LOCK_START		((off_t)0x7ffffffffffffffeLL)

struct vkvm_file {
	struct vkvm_file *next;		/* hash chain */
	int first_fd;			/* descriptor numbers cached for it, or -1 */
	struct vkvm_file *orphan_next, *orphan_prev;
	dev_t dev;
	ino_t ino;
	enum vkvm_file_type type;
	void *obj;			/* struct kvm, kvm_vcpu or kvm_device; NULL for system */
	unsigned int gen;		/* fork generation that created it */
	bool locked;			/* the description holds our OFD lock */
	int probe;			/* ours, once a dup outlived a close; or -1 */
};

/* The cache: what a descriptor number named when we last saw it. */
struct fd_slot {
	struct vkvm_file *file;
	int next;			/* the file's next cached number, or -1 */
};

static pthread_rwlock_t files_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct vkvm_file **buckets;	/* a power of two of them */
static size_t nr_buckets, nr_files;
static struct fd_slot *fd_cache;
static int fd_cache_size;
/* files whose description outlived a vkvm_close(): checked a few at a time */
static struct vkvm_file *orphans, *orphans_tail;

/* Bumped in each child of fork(): objects of an older generation are the parent's. */
static _Atomic unsigned int fork_gen;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void obj_get(enum vkvm_file_type type, void *obj)
{
	if (type == VKVM_FILE_VM)
		kvm_get(obj);
	else if (type == VKVM_FILE_VCPU)
		atomic_fetch_add(&((struct kvm_vcpu *)obj)->refcount, 1);
	else if (type == VKVM_FILE_DEVICE)
		atomic_fetch_add(&((struct kvm_device *)obj)->refcount, 1);
	else if (type == VKVM_FILE_GMEM)
		kvm_gmem_get(obj);
}

static void obj_put(enum vkvm_file_type type, void *obj)
{
	if (type == VKVM_FILE_VM)
		kvm_put(obj);
	else if (type == VKVM_FILE_VCPU)
		kvm_vcpu_put_ref(obj);
	else if (type == VKVM_FILE_DEVICE)
		kvm_device_put(obj);
	else if (type == VKVM_FILE_GMEM)
		kvm_gmem_put(obj);
}

void kvm_get(struct kvm *kvm)
{
	atomic_fetch_add(&kvm->refcount, 1);
}

void kvm_put(struct kvm *kvm)
{
	if (atomic_fetch_sub(&kvm->refcount, 1) == 1)
		kvm_destroy_vm(kvm);
}

/* The last fd of a vCPU is gone: it stays in its VM, which it no longer pins. */
void kvm_vcpu_put_ref(struct kvm_vcpu *vcpu)
{
	if (atomic_fetch_sub(&vcpu->refcount, 1) == 1)
		kvm_put(vcpu->kvm);
}

/* ---- fork ------------------------------------------------------------------ */

static void atfork_prepare(void)
{
	pthread_rwlock_wrlock(&files_lock);
}

static void atfork_parent(void)
{
	pthread_rwlock_unlock(&files_lock);
}

/*
 * The child has a copy of every object but none of the threads that ran or
 * served them: as in KVM (kvm->mm != current->mm), their ioctls say EIO,
 * and closing them never destroys them here.
 */
static void atfork_child(void)
{
	/* glibc's unlock would not know the new thread id for the writer's */
	files_lock = (pthread_rwlock_t)PTHREAD_RWLOCK_INITIALIZER;
	atomic_fetch_add(&fork_gen, 1);
}

static void atfork_register(void)
{
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

/* ---- descriptions ------------------------------------------------------------ */

/* A new anonymous file of @size bytes; @flags may hold O_CLOEXEC. */
int vkvm_new_fd(const char *name, size_t size, int flags)
{
	int fd = memfd_create(name, (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);

	if (fd < 0)
		return -errno;
	if (size && ftruncate(fd, size) < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	return fd;
}

/* A second open file description of @fd's file, close-on-exec; or -errno. */
static int reopen(int fd)
{
	char path[32];
	int r;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r = open(path, O_RDWR | O_CLOEXEC);
	return r < 0 ? -errno : r;
}

/*
 * Map @fd's file through a description of our own, so that the mapping does
 * not keep the caller's description (and with it the object) alive.  When
 * /proc cannot give us one, the caller's description is mapped: vkvm_close()
 * then cannot probe either and releases the object at once.
 */
void *vkvm_mmap_unpinned(void *addr, size_t len, int prot, int flags, int fd,
			 off_t off)
{
	int r = reopen(fd);
	void *p;

	if (r == -EMFILE || r == -ENFILE || r == -ENOMEM) {
		errno = -r;
		return MAP_FAILED;
	}
	if (r < 0)
		return mmap(addr, len, prot, flags, fd, off);
	p = mmap(addr, len, prot, flags, r, off);
	close(r);
	return p;
}

static bool ofd_lock(int fd)
{
	struct flock l = {
		.l_type = F_RDLCK, .l_whence = SEEK_SET,
		.l_start = VKVM_LOCK_START, .l_len = 1,
	};

	return fcntl(fd, F_OFD_SETLK, &l) == 0;
}

/* Does a description other than @probe's still hold our lock? */
static bool ofd_lock_held(int probe)
{
	struct flock l = {
		.l_type = F_WRLCK, .l_whence = SEEK_SET,
		.l_start = VKVM_LOCK_START, .l_len = 1,
	};

	if (fcntl(probe, F_OFD_GETLK, &l) < 0)
		return false;
	return l.l_type != F_UNLCK;
}

/* ---- the table ------------------------------------------------------------------ */

static size_t file_hash(dev_t dev, ino_t ino)
{
	u64 h = ((u64)ino ^ ((u64)dev << 32)) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (nr_buckets - 1);
}

/* Caller holds files_lock. */
static struct vkvm_file **file_slot(dev_t dev, ino_t ino)
{
	struct vkvm_file **p;

	if (!nr_buckets)
		return NULL;
	for (p = &buckets[file_hash(dev, ino)]; *p; p = &(*p)->next)
		if ((*p)->ino == ino && (*p)->dev == dev)
			return p;
	return NULL;
}

/* Caller holds files_lock for writing. */
static int files_grow(void)
{
	size_t n = nr_buckets ? nr_buckets * 2 : 64, i, old_n = nr_buckets;
	struct vkvm_file **nb = calloc(n, sizeof(*nb)), **old = buckets, *f;

	if (!nb)
		return -ENOMEM;
	buckets = nb;
	nr_buckets = n;
	for (i = 0; i < old_n; i++) {
		while ((f = old[i])) {
			size_t h = file_hash(f->dev, f->ino);

			old[i] = f->next;
			f->next = buckets[h];
			buckets[h] = f;
		}
	}
	free(old);
	return 0;
}

/* Forget what @fd named.  Caller holds files_lock for writing. */
static void fd_unbind(int fd)
{
	struct vkvm_file *f;
	int *p;

	if (fd < 0 || fd >= fd_cache_size || !(f = fd_cache[fd].file))
		return;
	for (p = &f->first_fd; *p >= 0; p = &fd_cache[*p].next) {
		if (*p == fd) {
			*p = fd_cache[fd].next;
			break;
		}
	}
	fd_cache[fd].file = NULL;
}

/* Remember that @fd names @f (best effort).  Caller holds files_lock for writing. */
static void fd_bind(int fd, struct vkvm_file *f)
{
	if (fd >= fd_cache_size) {
		int n = fd_cache_size ? fd_cache_size : 64;
		struct fd_slot *c;

		while (n <= fd)
			n *= 2;
		c = realloc(fd_cache, n * sizeof(*c));
		if (!c)
			return;
		memset(c + fd_cache_size, 0, (n - fd_cache_size) * sizeof(*c));
		fd_cache = c;
		fd_cache_size = n;
	}
	if (fd_cache[fd].file == f)
		return;
	fd_unbind(fd);
	fd_cache[fd].file = f;
	fd_cache[fd].next = f->first_fd;
	f->first_fd = fd;
}

/* @f leaves the table: so do the numbers cached for it. */
static void fd_unbind_all(struct vkvm_file *f)
{
	int fd;

	for (fd = f->first_fd; fd >= 0; fd = fd_cache[fd].next)
		fd_cache[fd].file = NULL;
	f->first_fd = -1;
}

/* Queue @f at the tail of the orphans.  Caller holds files_lock for writing. */
static void orphan_add(struct vkvm_file *f)
{
	f->orphan_next = NULL;
	f->orphan_prev = orphans_tail;
	if (orphans_tail)
		orphans_tail->orphan_next = f;
	else
		orphans = f;
	orphans_tail = f;
}

static void orphan_del(struct vkvm_file *f)
{
	if (f->orphan_prev)
		f->orphan_prev->orphan_next = f->orphan_next;
	else
		orphans = f->orphan_next;
	if (f->orphan_next)
		f->orphan_next->orphan_prev = f->orphan_prev;
	else
		orphans_tail = f->orphan_prev;
}

static void hash_unlink(struct vkvm_file **slot)
{
	*slot = (*slot)->next;
	nr_files--;
}

/* Unlink the file at *@slot from the table.  Caller holds files_lock for writing. */
static void file_unlink(struct vkvm_file **slot)
{
	struct vkvm_file *f = *slot;

	hash_unlink(slot);
	fd_unbind_all(f);
	if (f->probe >= 0)
		orphan_del(f);
}

/* @f is out of the table: drop its reference (in the process that made it). */
static void file_release(struct vkvm_file *f)
{
	if (f->probe >= 0)
		close(f->probe);
	if (f->gen == atomic_load(&fork_gen))
		obj_put(f->type, f->obj);
	free(f);
}

/*
 * Look at the two orphans at the head of the queue: unlink those whose
 * description has gone (its last dup was closed, maybe with close(2)) and
 * return them chained through ->next; the others go to the tail.  Each
 * vkvm_close() and each new object does this, so an orphan is found dead
 * within a few calls of its end.  Caller holds files_lock for writing.
 */
static struct vkvm_file *orphans_reap(void)
{
	struct vkvm_file *f, *dead = NULL;
	int n;

	for (n = 0; n < 2 && (f = orphans); n++) {
		orphan_del(f);
		if (ofd_lock_held(f->probe)) {
			orphan_add(f);
			if (f == orphans)
				break;		/* it is alone */
			continue;
		}
		/* an orphan is always in the table */
		hash_unlink(file_slot(f->dev, f->ino));
		fd_unbind_all(f);
		f->next = dead;
		dead = f;
	}
	return dead;
}

static void release_chain(struct vkvm_file *f)
{
	struct vkvm_file *next;

	for (; f; f = next) {
		next = f->next;
		file_release(f);
	}
}

/* Record that @fd is @obj.  Takes over one reference to @obj. */
static int vkvm_install(int fd, enum vkvm_file_type type, void *obj)
{
	struct vkvm_file *f, **slot, *stale = NULL, *dead;
	struct stat st;
	int ret = 0;

	if (fstat(fd, &st) < 0)
		return -errno;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->type = type;
	f->obj = obj;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->gen = atomic_load(&fork_gen);
	f->probe = -1;
	f->first_fd = -1;
	f->locked = ofd_lock(fd);

	pthread_rwlock_wrlock(&files_lock);
	if (nr_files >= nr_buckets)
		ret = files_grow();
	if (!ret) {
		/*
		 * The same inode in the table: the old file is gone (its
		 * descriptors closed with close(2)) and its number reused.
		 */
		slot = file_slot(f->dev, f->ino);
		if (slot) {
			stale = *slot;
			file_unlink(slot);
		}
		slot = &buckets[file_hash(f->dev, f->ino)];
		f->next = *slot;
		*slot = f;
		nr_files++;
		fd_bind(fd, f);
	}
	dead = orphans_reap();
	pthread_rwlock_unlock(&files_lock);
	release_chain(dead);
	if (stale)
		file_release(stale);
	if (ret)
		free(f);
	return ret;
}

/* Called by the ioctl handlers that create objects. */
int vkvm_install_object(int fd, enum vkvm_file_type type, void *obj)
{
	return vkvm_install(fd, type, obj);
}

/* What a lookup found: only a token once files_lock is dropped. */
struct vkvm_ref {
	struct vkvm_file *file;
	enum vkvm_file_type type;
	void *obj;			/* with a reference, unless foreign */
	bool foreign;			/* our parent's (we are a child of fork()) */
	bool locked;
	dev_t dev;
	ino_t ino;
};

/* Caller holds files_lock. */
static void ref_fill(struct vkvm_ref *r, struct vkvm_file *f, bool get)
{
	r->file = f;
	r->type = f->type;
	r->obj = f->obj;
	r->foreign = f->gen != atomic_load(&fork_gen);
	r->locked = f->locked;
	r->dev = f->dev;
	r->ino = f->ino;
	if (get && !r->foreign)
		obj_get(r->type, r->obj);
}

static void ref_put(struct vkvm_ref *r)
{
	if (!r->foreign)
		obj_put(r->type, r->obj);
}

static struct vkvm_file *fd_cached(int fd)
{
	return fd < fd_cache_size ? fd_cache[fd].file : NULL;
}

/*
 * The object @fd names, found through its inode (the cache may be stale
 * when the caller closed a number with close(2) or dup2); the cache is
 * brought up to date.  With @get, the object's reference is taken.
 * Returns false when @fd is not one of ours.
 */
static bool lookup_checked(int fd, struct vkvm_ref *r, bool get)
{
	struct vkvm_file **slot, *f = NULL, *cached;
	struct stat st;
	bool ours = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);

	if (fd < 0)
		return false;
	pthread_rwlock_rdlock(&files_lock);
	if (ours) {
		slot = file_slot(st.st_dev, st.st_ino);
		if (slot) {
			f = *slot;
			ref_fill(r, f, get);
		}
	}
	cached = fd_cached(fd);
	pthread_rwlock_unlock(&files_lock);

	if (cached != f) {
		pthread_rwlock_wrlock(&files_lock);
		slot = ours ? file_slot(st.st_dev, st.st_ino) : NULL;
		if (slot)
			fd_bind(fd, *slot);
		else
			fd_unbind(fd);
		pthread_rwlock_unlock(&files_lock);
	}
	return f != NULL;
}

/*
 * Find the object behind @fd and take a reference to it.  With @trust_cache
 * a cached number is believed without a system call (which costs more than
 * a KVM_RUN round trip): docs/abi.md says when it can be wrong.
 */
static bool vkvm_lookup(int fd, struct vkvm_ref *r, bool trust_cache)
{
	struct vkvm_file *f = NULL;

	if (fd < 0)
		return false;
	if (trust_cache) {
		pthread_rwlock_rdlock(&files_lock);
		f = fd_cached(fd);
		if (f)
			ref_fill(r, f, true);
		pthread_rwlock_unlock(&files_lock);
		if (f)
			return true;
	}
	return lookup_checked(fd, r, true);
}

/* kvm_gmem_bind()'s fget(): the guest_memfd @fd names, with a reference. */
int vkvm_gmem_lookup(int fd, struct kvm_gmem **gp)
{
	struct vkvm_ref r;

	if (!lookup_checked(fd, &r, true))
		return fcntl(fd, F_GETFD) < 0 ? -EBADF : -EINVAL;
	if (r.type != VKVM_FILE_GMEM || r.foreign) {
		ref_put(&r);
		return -EINVAL;
	}
	*gp = r.obj;
	return 0;
}

/* ---- the entry points ---------------------------------------------------------- */

int vkvm_open(int flags)
{
	int fd, ret;

	pthread_once(&atfork_once, atfork_register);
	fd = vkvm_new_fd("kvm", 0, flags);
	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	ret = vkvm_install(fd, VKVM_FILE_SYSTEM, NULL);
	if (ret) {
		close(fd);
		errno = -ret;
		return -1;
	}
	return fd;
}

int vkvm_ioctl(int fd, unsigned long request, ...)
{
	struct vkvm_ref r;
	unsigned long arg;
	unsigned int ioctl_nr;
	va_list ap;
	long ret;
	int new_fd = -1;

	va_start(ap, request);
	arg = va_arg(ap, unsigned long);
	va_end(ap);

	/* Like the kernel, only the low 32 bits name the command. */
	ioctl_nr = (unsigned int)request;
	if (!vkvm_lookup(fd, &r, ioctl_nr == KVM_RUN))
		return ioctl(fd, request, arg);

	/* The VFS answers these for any file (do_vfs_ioctl), KVM's included. */
	switch (ioctl_nr) {
	case FIOCLEX:
	case FIONCLEX:
	case FIONBIO:
	case FIOASYNC:
		ref_put(&r);
		return ioctl(fd, request, arg);
	case FIOQSIZE:
		/* only for regular files, directories and links: not KVM's */
		ref_put(&r);
		errno = ENOTTY;
		return -1;
	}

	if (r.foreign && r.type != VKVM_FILE_SYSTEM) {
		errno = EIO;
		return -1;
	}
	switch (r.type) {
	case VKVM_FILE_SYSTEM:
		ret = kvm_dev_ioctl(ioctl_nr, arg, &new_fd);
		break;
	case VKVM_FILE_VM:
		ret = kvm_vm_ioctl(r.obj, ioctl_nr, arg, &new_fd);
		break;
	case VKVM_FILE_VCPU:
		ret = kvm_vcpu_ioctl(r.obj, ioctl_nr, arg);
		break;
	case VKVM_FILE_DEVICE:
		ret = kvm_device_ioctl(r.obj, ioctl_nr, arg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	ref_put(&r);

	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return (int)ret;
}

void *vkvm_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct vkvm_ref r;
	void *p;

	if (!lookup_checked(fd, &r, true))
		return mmap(addr, len, prot, flags, fd, off);
	if (r.type == VKVM_FILE_GMEM && !r.foreign) {
		p = kvm_gmem_mmap(r.obj, addr, len, prot, flags, fd, off);
		ref_put(&r);
		return p;
	}
	/* Else only a vCPU has something to map: its kvm_run page(s). */
	if (r.type != VKVM_FILE_VCPU) {
		ref_put(&r);
		errno = ENODEV;
		return MAP_FAILED;
	}
	if (!r.foreign) {
		int ret = kvm_dirty_ring_check_mmap(r.obj, len, off, prot, flags);

		if (ret) {
			ref_put(&r);
			errno = -ret;
			return MAP_FAILED;
		}
	}
	p = vkvm_mmap_unpinned(addr, len, prot, flags, fd, off);
	/* the VM's coalesced-MMIO ring, shared by all its vCPUs as in KVM */
	if (p != MAP_FAILED && !r.foreign) {
		int ret = kvm_coalesced_mmio_map(((struct kvm_vcpu *)r.obj)->kvm,
						 p, len, off, prot, flags);

		if (ret) {
			munmap(p, len);
			errno = -ret;
			p = MAP_FAILED;
		}
	}
	ref_put(&r);
	return p;
}

/*
 * The file calls whose answer differs between KVM's files and the memfds
 * that stand for them.  None of KVM's files has read or write (a
 * guest_memfd's included: EINVAL), nor ftruncate (EINVAL); only a
 * guest_memfd has fallocate (guest_memfd.c), the others EOPNOTSUPP.
 * Descriptors vkvm did not hand out go to the system call.
 */
static bool kvm_file(int fd)
{
	struct vkvm_ref r;

	if (!lookup_checked(fd, &r, false))
		return false;
	return true;
}

static ssize_t refuse(int err)
{
	errno = err;
	return -1;
}

ssize_t vkvm_read(int fd, void *buf, size_t count)
{
	return kvm_file(fd) ? refuse(EINVAL) : read(fd, buf, count);
}

ssize_t vkvm_write(int fd, const void *buf, size_t count)
{
	return kvm_file(fd) ? refuse(EINVAL) : write(fd, buf, count);
}

ssize_t vkvm_pread(int fd, void *buf, size_t count, off_t off)
{
	return kvm_file(fd) ? refuse(EINVAL) : pread(fd, buf, count, off);
}

ssize_t vkvm_pwrite(int fd, const void *buf, size_t count, off_t off)
{
	return kvm_file(fd) ? refuse(EINVAL) : pwrite(fd, buf, count, off);
}

int vkvm_ftruncate(int fd, off_t len)
{
	return kvm_file(fd) ? (int)refuse(EINVAL) : ftruncate(fd, len);
}

int vkvm_fallocate(int fd, int mode, off_t off, off_t len)
{
	struct vkvm_ref r;
	int ret;

	if (!lookup_checked(fd, &r, true))
		return fallocate(fd, mode, off, len);
	if (r.type != VKVM_FILE_GMEM || r.foreign) {
		ref_put(&r);
		return (int)refuse(EOPNOTSUPP);
	}
	ret = kvm_gmem_fallocate(r.obj, fd, mode, off, len);
	ref_put(&r);
	return ret ? (int)refuse(-ret) : 0;
}

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

/* Does [addr, addr + len) meet a mapping of a guest_memfd (its memfd's name)? */
static bool gmem_mapped(void *addr, size_t len)
{
	unsigned long long lo, hi, a = (uintptr_t)addr, end = a + len;
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx-%llx", &lo, &hi) == 2 && lo < end && a < hi &&
		    strstr(line, "/memfd:kvm-gmem"))
			found = true;
	fclose(f);
	return found;
}

/* KVM's guest_memfd folios are never collapsed (EINVAL); the rest as madvise(2). */
int vkvm_madvise(void *addr, size_t len, int advice)
{
	if (advice == MADV_COLLAPSE && gmem_mapped(addr, len))
		return (int)refuse(EINVAL);
	return madvise(addr, len, advice);
}

const char *vkvm_insn_name(uint32_t insn)
{
	return insn_name(insn);
}

int vkvm_close(int fd)
{
	struct vkvm_file **slot, *f = NULL, *seen = NULL, *dead;
	struct vkvm_ref r;
	int probe = -1, ret, err;

	if (lookup_checked(fd, &r, false))
		seen = r.file;
	/*
	 * A second description, opened before the close, tells whether the
	 * caller's outlives this descriptor; it also keeps the inode (and so
	 * its number) from being reused until we are done.
	 */
	if (seen && r.locked)
		probe = reopen(fd);
	ret = close(fd);
	err = errno;
	if (!seen)
		goto out;

	pthread_rwlock_wrlock(&files_lock);
	/* unless a new object got the number meanwhile */
	if (fd < fd_cache_size && fd_cache[fd].file == seen)
		fd_unbind(fd);
	slot = file_slot(r.dev, r.ino);
	if (slot && *slot == seen) {
		f = seen;
		if (f->probe >= 0 && probe < 0) {
			/* an orphan already has its own probe */
			if (ofd_lock_held(f->probe))
				f = NULL;
		} else if (probe >= 0 && ofd_lock_held(probe)) {
			/* a dup keeps the description open: so does the object */
			if (f->probe < 0) {
				f->probe = probe;
				probe = -1;
				orphan_add(f);
			}
			f = NULL;
		}
		if (f)
			file_unlink(slot);
	}
	dead = orphans_reap();
	pthread_rwlock_unlock(&files_lock);
	release_chain(dead);
	if (f)
		file_release(f);
	if (probe >= 0)
		close(probe);
out:
	errno = err;
	return ret;
}
