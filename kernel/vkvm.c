// SPDX-License-Identifier: GPL-2.0
/*
 * The four entry points and the table of descriptors vkvm handed out.
 *
 * Every KVM object (the system "device", a VM, a vCPU) is a real file
 * descriptor: a memfd, so that numbering, close-on-exec, dup and poll behave
 * as the kernel's do, and so that a vCPU's kvm_run page can be shared through
 * mmap exactly as with KVM.  A table maps descriptor numbers to objects; a
 * descriptor we do not know (a dup, say) is matched by its inode.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vkvm.h>

#include "kvm_host.h"

struct vkvm_file {
	enum vkvm_file_type type;
	void *obj;			/* struct kvm, kvm_vcpu or kvm_device; NULL for system */
	dev_t dev;
	ino_t ino;
};

static pthread_rwlock_t files_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct vkvm_file **files;	/* indexed by descriptor number */
static int nr_files;

static void obj_get(enum vkvm_file_type type, void *obj)
{
	if (type == VKVM_FILE_VM)
		kvm_get(obj);
	else if (type == VKVM_FILE_VCPU)
		atomic_fetch_add(&((struct kvm_vcpu *)obj)->refcount, 1);
	else if (type == VKVM_FILE_DEVICE)
		atomic_fetch_add(&((struct kvm_device *)obj)->refcount, 1);
}

static void obj_put(enum vkvm_file_type type, void *obj)
{
	if (type == VKVM_FILE_VM)
		kvm_put(obj);
	else if (type == VKVM_FILE_VCPU)
		kvm_vcpu_put_ref(obj);
	else if (type == VKVM_FILE_DEVICE)
		kvm_device_put(obj);
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

/* Caller holds files_lock for writing. */
static int files_grow(int fd)
{
	struct vkvm_file **n;
	int nr = nr_files ? nr_files : 64;

	while (nr <= fd)
		nr *= 2;
	n = realloc(files, nr * sizeof(*n));
	if (!n)
		return -ENOMEM;
	memset(n + nr_files, 0, (nr - nr_files) * sizeof(*n));
	files = n;
	nr_files = nr;
	return 0;
}

/* Record that @fd is @obj.  Takes over one reference to @obj. */
static int vkvm_install(int fd, enum vkvm_file_type type, void *obj)
{
	struct vkvm_file *f;
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

	pthread_rwlock_wrlock(&files_lock);
	if (fd >= nr_files)
		ret = files_grow(fd);
	if (!ret) {
		/* A stale entry: the caller closed it with close(2), not vkvm_close(). */
		struct vkvm_file *old = files[fd];

		files[fd] = f;
		if (old) {
			obj_put(old->type, old->obj);
			free(old);
		}
	}
	pthread_rwlock_unlock(&files_lock);
	if (ret)
		free(f);
	return ret;
}

/*
 * Find the object behind @fd and take a reference to it.  Returns false
 * when @fd is not one of ours.
 */
static bool vkvm_lookup(int fd, enum vkvm_file_type *type, void **obj)
{
	struct vkvm_file *f = NULL;
	struct stat st;
	int i;

	if (fd < 0)
		return false;
	pthread_rwlock_rdlock(&files_lock);
	if (fd < nr_files)
		f = files[fd];
	if (f) {
		*type = f->type;
		*obj = f->obj;
		obj_get(f->type, f->obj);
	}
	pthread_rwlock_unlock(&files_lock);
	if (f)
		return true;

	/* Not a number we handed out: maybe a dup of one. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	pthread_rwlock_rdlock(&files_lock);
	for (i = 0; i < nr_files; i++) {
		if (files[i] && files[i]->dev == st.st_dev &&
		    files[i]->ino == st.st_ino) {
			f = files[i];
			*type = f->type;
			*obj = f->obj;
			obj_get(f->type, f->obj);	/* for the caller */
			obj_get(f->type, f->obj);	/* for the new entry */
			break;
		}
	}
	pthread_rwlock_unlock(&files_lock);
	if (!f)
		return false;
	if (vkvm_install(fd, *type, *obj))
		obj_put(*type, *obj);
	return true;
}

int vkvm_open(int flags)
{
	int fd, ret;

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
	enum vkvm_file_type type;
	unsigned long arg;
	unsigned int ioctl_nr;
	void *obj;
	va_list ap;
	long ret;
	int new_fd = -1;

	va_start(ap, request);
	arg = va_arg(ap, unsigned long);
	va_end(ap);

	if (!vkvm_lookup(fd, &type, &obj))
		return ioctl(fd, request, arg);

	/* Like the kernel, only the low 32 bits name the command. */
	ioctl_nr = (unsigned int)request;
	switch (type) {
	case VKVM_FILE_SYSTEM:
		ret = kvm_dev_ioctl(ioctl_nr, arg, &new_fd);
		break;
	case VKVM_FILE_VM:
		ret = kvm_vm_ioctl(obj, ioctl_nr, arg, &new_fd);
		break;
	case VKVM_FILE_VCPU:
		ret = kvm_vcpu_ioctl(obj, ioctl_nr, arg);
		break;
	case VKVM_FILE_DEVICE:
		ret = kvm_device_ioctl(obj, ioctl_nr, arg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	obj_put(type, obj);

	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return (int)ret;
}

/* Called by the ioctl handlers that create objects. */
int vkvm_install_object(int fd, enum vkvm_file_type type, void *obj)
{
	return vkvm_install(fd, type, obj);
}

void *vkvm_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	enum vkvm_file_type type;
	void *obj;

	if (!vkvm_lookup(fd, &type, &obj))
		return mmap(addr, len, prot, flags, fd, off);
	obj_put(type, obj);
	/* Only a vCPU has something to map: its kvm_run page(s). */
	if (type != VKVM_FILE_VCPU) {
		errno = ENODEV;
		return MAP_FAILED;
	}
	return mmap(addr, len, prot, flags, fd, off);
}

/* Is @f's object still named by another entry of the table? */
static bool file_has_other_entry(const struct vkvm_file *f, int fd)
{
	int i;

	for (i = 0; i < nr_files; i++)
		if (i != fd && files[i] && files[i]->obj == f->obj &&
		    files[i]->type == f->type)
			return true;
	return false;
}

/*
 * Another descriptor of this process for the same file (a dup we were never
 * shown), other than @except; -1 if none.  Only asked when the last known
 * descriptor of an object closes, so the /proc walk is rare.
 */
static int find_untracked_dup(dev_t dev, ino_t ino, int except)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *de;
	struct stat st;
	int found = -1, fd;

	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = atoi(de->d_name);
		if (fd == except || fd == dirfd(dir))
			continue;
		if (fstat(fd, &st) == 0 && st.st_dev == dev && st.st_ino == ino) {
			found = fd;
			break;
		}
	}
	closedir(dir);
	return found;
}

int vkvm_close(int fd)
{
	struct vkvm_file *f = NULL;
	int other = -1;

	if (fd >= 0) {
		pthread_rwlock_wrlock(&files_lock);
		if (fd < nr_files) {
			f = files[fd];
			files[fd] = NULL;
		}
		if (f && !file_has_other_entry(f, fd))
			other = find_untracked_dup(f->dev, f->ino, fd);
		/* Like the kernel, a dup keeps the object alive: hand it over. */
		if (other >= 0 && (other < nr_files || files_grow(other) == 0) &&
		    !files[other]) {
			files[other] = f;
			f = NULL;
		}
		pthread_rwlock_unlock(&files_lock);
	}
	if (f) {
		obj_put(f->type, f->obj);
		free(f);
	}
	return close(fd);
}
