/*
 * ABI test plumbing shared by the translation units that see our UAPI
 * headers (abi_ours.c, abi_newer.c), the one that sees Linux 6.1's
 * (abi_debian.c) and the TAP driver (abi_test.c).  Uses nothing but
 * <stddef.h>, so it builds against either set of headers.
 */
#ifndef ABI_H
#define ABI_H

#include <stddef.h>

enum abi_group {
#define G(id, desc) id,
#include "abi_groups.h"
#undef G
	ABI_NR_GROUPS
};

struct abi_item {
	const char *name;
	unsigned long long value;
	unsigned char size;		/* sizeof the expression's type */
	unsigned char is_signed;
	unsigned char group;
};

/* An item whose value is fixed by upstream Linux, not by another header set. */
struct abi_newer_item {
	const char *name;
	unsigned long long value;	/* what our headers give */
	unsigned long long upstream;	/* literal from upstream Linux */
	unsigned char group;
};

extern const struct abi_item abi_ours[];
extern const size_t abi_ours_count;
extern const struct abi_item abi_debian[];
extern const size_t abi_debian_count;
extern const int abi_debian_present;	/* 0: built without Debian's headers */
size_t abi_newer(struct abi_newer_item *out, size_t max);
int abi_coexist(char *why, size_t len);
int abi_coexist_kvm_first(char *why, size_t len);

/*
 * Item macros for abi_items.h.  ABI_SIGNED is a constant expression: -1
 * converted to the type stays below 1 only if the type is signed.  (Written
 * against 1, not 0, so that -Wtype-limits has nothing to say.)
 */
#define ABI_SIGNED(e)	((__typeof__(e))-1 < (__typeof__(e))1)

#define ABI_V(g, e)	{ #e, (unsigned long long)(e), sizeof(e), ABI_SIGNED(e), g },
#define ABI_S(g, T)	ABI_V(g, sizeof(T))
#define ABI_A(g, T)	ABI_V(g, _Alignof(T))
#define ABI_F(g, T, m)	{ "offsetof(" #T ", " #m ")", offsetof(T, m), sizeof(size_t), 0, g },
#define ABI_L(g, T, m)	ABI_F(g, T, m)						\
	{ "sizeof(((" #T " *)0)->" #m ")", sizeof(((T *)0)->m), sizeof(size_t), 0, g },

/* Where kvm_vcpu_events' pad ends, in the headers of the unit expanding it
 * (6.1's pad[5]; our ext_iabt_pending and pad[4]). */
#define ABI_VCPU_EVENTS_PAD_END \
	(offsetof(struct kvm_vcpu_events, exception.pad) + \
	 sizeof(((struct kvm_vcpu_events *)0)->exception.pad))

/* Composite register IDs as a client builds them. */
#define ABI_CORE_ID(size, m)						\
	(KVM_REG_ARM64 | KVM_REG_SIZE_ ## size | KVM_REG_ARM_CORE |	\
	 KVM_REG_ARM_CORE_REG(m))
#define ABI_CCSIDR_ID(n)						\
	(KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_DEMUX |		\
	 KVM_REG_ARM_DEMUX_ID_CCSIDR | (n))

#endif /* ABI_H */
