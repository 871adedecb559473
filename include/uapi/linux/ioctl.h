/*
 * ioctl request encoding, asm-generic flavour (arm64 and x86-64 share it):
 *
 *   bits 31..30 direction, 29..16 argument size, 15..8 type, 7..0 number.
 *
 * Guarded with Linux's own guard for asm-generic/ioctl.h so that this and
 * the host's <asm/ioctl.h> (via <sys/ioctl.h>) never both define the macros.
 */
#ifndef _LINUX_IOCTL_H
#define _LINUX_IOCTL_H

#ifndef _ASM_GENERIC_IOCTL_H
#define _ASM_GENERIC_IOCTL_H

#define _IOC_NRBITS	8
#define _IOC_TYPEBITS	8
#ifndef _IOC_SIZEBITS
#define _IOC_SIZEBITS	14
#endif
#ifndef _IOC_DIRBITS
#define _IOC_DIRBITS	2
#endif

#define _IOC_NRMASK	((1 << _IOC_NRBITS) - 1)
#define _IOC_TYPEMASK	((1 << _IOC_TYPEBITS) - 1)
#define _IOC_SIZEMASK	((1 << _IOC_SIZEBITS) - 1)
#define _IOC_DIRMASK	((1 << _IOC_DIRBITS) - 1)

#define _IOC_NRSHIFT	0
#define _IOC_TYPESHIFT	(_IOC_NRSHIFT + _IOC_NRBITS)
#define _IOC_SIZESHIFT	(_IOC_TYPESHIFT + _IOC_TYPEBITS)
#define _IOC_DIRSHIFT	(_IOC_SIZESHIFT + _IOC_SIZEBITS)

#ifndef _IOC_NONE
#define _IOC_NONE	0U
#endif
#ifndef _IOC_WRITE
#define _IOC_WRITE	1U	/* userspace writes, the kernel reads */
#endif
#ifndef _IOC_READ
#define _IOC_READ	2U	/* the kernel writes, userspace reads */
#endif

#define _IOC(dir, type, nr, size)		\
	(((dir) << _IOC_DIRSHIFT) |		\
	 ((type) << _IOC_TYPESHIFT) |		\
	 ((nr) << _IOC_NRSHIFT) |		\
	 ((size) << _IOC_SIZESHIFT))

#define _IOC_TYPECHECK(t)	(sizeof(t))

#define _IO(type, nr)		_IOC(_IOC_NONE, (type), (nr), 0)
#define _IOR(type, nr, arg)	_IOC(_IOC_READ, (type), (nr), (_IOC_TYPECHECK(arg)))
#define _IOW(type, nr, arg)	_IOC(_IOC_WRITE, (type), (nr), (_IOC_TYPECHECK(arg)))
#define _IOWR(type, nr, arg)	_IOC(_IOC_READ | _IOC_WRITE, (type), (nr), (_IOC_TYPECHECK(arg)))
#define _IOR_BAD(type, nr, arg)	_IOC(_IOC_READ, (type), (nr), sizeof(arg))
#define _IOW_BAD(type, nr, arg)	_IOC(_IOC_WRITE, (type), (nr), sizeof(arg))
#define _IOWR_BAD(type, nr, arg) _IOC(_IOC_READ | _IOC_WRITE, (type), (nr), sizeof(arg))

#define _IOC_DIR(nr)		(((nr) >> _IOC_DIRSHIFT) & _IOC_DIRMASK)
#define _IOC_TYPE(nr)		(((nr) >> _IOC_TYPESHIFT) & _IOC_TYPEMASK)
#define _IOC_NR(nr)		(((nr) >> _IOC_NRSHIFT) & _IOC_NRMASK)
#define _IOC_SIZE(nr)		(((nr) >> _IOC_SIZESHIFT) & _IOC_SIZEMASK)

#define IOC_IN		(_IOC_WRITE << _IOC_DIRSHIFT)
#define IOC_OUT		(_IOC_READ << _IOC_DIRSHIFT)
#define IOC_INOUT	((_IOC_WRITE | _IOC_READ) << _IOC_DIRSHIFT)
#define IOCSIZE_MASK	(_IOC_SIZEMASK << _IOC_SIZESHIFT)
#define IOCSIZE_SHIFT	(_IOC_SIZESHIFT)

#endif /* _ASM_GENERIC_IOCTL_H */

#endif /* _LINUX_IOCTL_H */
