/*
 * Our headers against the upstream literals of abi_newer.h.  Built at run
 * time: KVM_ARM_FEATURE_ID_RANGE_IDX is a statement expression.
 */
#include <string.h>

#include <linux/kvm.h>

#include "abi.h"

#define N(g, e, lit)	{ #e, (unsigned long long)(e), (unsigned long long)(lit), g },
#define NS(g, T, size)	N(g, sizeof(T), size)
#define NL(g, T, m, off, size)						\
	{ "offsetof(" #T ", " #m ")", offsetof(T, m), off, g },		\
	{ "sizeof(((" #T " *)0)->" #m ")", sizeof(((T *)0)->m), size, g },

size_t abi_newer(struct abi_newer_item *out, size_t max)
{
	const struct abi_newer_item items[] = {
#include "abi_newer.h"
	};
	size_t n = sizeof(items) / sizeof(items[0]);

	if (n > max)
		return 0;
	memcpy(out, items, sizeof(items));
	return n;
}
