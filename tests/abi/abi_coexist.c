/*
 * Our <linux/kvm.h> in a translation unit that also uses the host's libc
 * and kernel headers, included after them.  abi_coexist_kvm_first.c is the
 * same with our header first.  -Iinclude/uapi makes our linux/types.h,
 * linux/ioctl.h, asm/kvm.h... shadow the host's for the whole unit, so this
 * is where a clash would show.
 */
#ifndef ABI_KVM_FIRST
#include <asm/ioctl.h>		/* the host's: defines _IOC before we can */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <unistd.h>
#include <linux/kvm.h>
#define ABI_COEXIST_FN abi_coexist
#else
#include <linux/kvm.h>
#include <asm/ioctl.h>		/* the host's: must be a no-op by now */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <unistd.h>
#define ABI_COEXIST_FN abi_coexist_kvm_first
#endif

#include "abi.h"

int ABI_COEXIST_FN(char *why, size_t len)
{
	__kernel_long_t host_type = 0;	/* from the host's posix_types via our types.h */
	struct kvm_run run;
	sigset_t set;
	int r;

	(void)host_type;
	(void)run;
	sigemptyset(&set);

	/*
	 * The libc ioctl() with our request numbers: a bad fd, so EBADF
	 * (qemu-user refuses requests it does not know first: ENOSYS).
	 */
	errno = 0;
	r = ioctl(-1, KVM_GET_API_VERSION, 0);
	if (r != -1 || (errno != EBADF && errno != ENOSYS)) {
		snprintf(why, len, "ioctl(-1, KVM_GET_API_VERSION) = %d, errno %d", r, errno);
		return -1;
	}
	/* A host ioctl number next to ours. */
	errno = 0;
	r = ioctl(-1, TIOCGWINSZ, NULL);
	if (r != -1 || errno != EBADF) {
		snprintf(why, len, "ioctl(-1, TIOCGWINSZ) = %d, errno %d", r, errno);
		return -1;
	}
	if (_IOC_SIZE(KVM_GET_REGS) != sizeof(struct kvm_regs) ||
	    _IOC_TYPE(KVM_RUN) != KVMIO || sizeof(__u64) != 8) {
		snprintf(why, len, "ioctl encoding macros disagree");
		return -1;
	}
	if (get_nprocs() < 1) {
		snprintf(why, len, "get_nprocs() < 1");
		return -1;
	}
	return 0;
}
