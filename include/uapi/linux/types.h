/*
 * Fixed-width types of the Linux UAPI, as used by our KVM headers.
 *
 * The guard is the one Linux uses, so whichever copy of <linux/types.h> a
 * translation unit meets first wins and the other is skipped.  The widths
 * are those of asm-generic/int-ll64.h, which arm64 and x86-64 both use.
 */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

/* Skip if <asm/types.h> already brought in Linux's int-ll64 definitions. */
#ifndef _ASM_GENERIC_INT_LL64_H
#define _ASM_GENERIC_INT_LL64_H

typedef __signed__ char __s8;
typedef unsigned char __u8;
typedef __signed__ short __s16;
typedef unsigned short __u16;
typedef __signed__ int __s32;
typedef unsigned int __u32;
__extension__ typedef __signed__ long long __s64;
__extension__ typedef unsigned long long __u64;

#endif /* _ASM_GENERIC_INT_LL64_H */

/* Byte-order annotations are only meaningful to sparse. */
#ifndef __bitwise
#ifdef __CHECKER__
#define __bitwise __attribute__((bitwise))
#else
#define __bitwise
#endif
#endif
#ifndef __bitwise__
#define __bitwise__ __bitwise
#endif

typedef __u16 __bitwise __le16;
typedef __u16 __bitwise __be16;
typedef __u32 __bitwise __le32;
typedef __u32 __bitwise __be32;
typedef __u64 __bitwise __le64;
typedef __u64 __bitwise __be64;

typedef __u16 __bitwise __sum16;
typedef __u32 __bitwise __wsum;

/* 8-byte alignment even where the ABI would give a u64 less (i386). */
#define __aligned_u64 __u64 __attribute__((aligned(8)))
#define __aligned_be64 __be64 __attribute__((aligned(8)))
#define __aligned_le64 __le64 __attribute__((aligned(8)))

typedef unsigned __bitwise __poll_t;

/*
 * Host <linux/...> headers reached through libc (e.g. <sys/sysinfo.h>) expect
 * <linux/types.h> to carry the __kernel_* types too.  Pull them in when the
 * host has them; the KVM ABI itself never needs them.
 */
#if defined(__has_include)
#if __has_include(<linux/posix_types.h>)
#include <linux/posix_types.h>
#endif
#endif

#endif /* _LINUX_TYPES_H */
