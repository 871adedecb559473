// SPDX-License-Identifier: GPL-2.0
/*
 * The SMCCC TRNG 1.0 interface (Arm DEN0098) as arch/arm64/kvm/trng.c
 * offers it: entropy from the host's getrandom(2), KVM's UUID, and the
 * TRNG's own return codes (deliberately not the generic SMCCC ones).
 */
#include <sys/random.h>

#include "arm_smccc.h"
#include "kvm_host.h"

#define ARM_SMCCC_TRNG_VERSION_1_0	0x10000UL
#define TRNG_SUCCESS			0UL
#define TRNG_NOT_SUPPORTED		((u64)-1)
#define TRNG_INVALID_PARAMETER		((u64)-2)
#define TRNG_NO_ENTROPY			((u64)-3)
#define TRNG_MAX_BITS64			192

/*
 * KVM's TRNG UUID, 0d21e000-4384-11eb-8070-524455 4e5a4c, as GET_UUID
 * returns it: the UUID's bytes in order, four little-endian words.
 */
static const u32 trng_uuid[4] = { 0x00e0210dU, 0xeb118443U, 0x44527080U, 0x4c5a4e55U };

/* RND32/RND64: x1..x3 hold num_bits of entropy, right-aligned in x3 */
static void trng_rnd(u32 num_bits, unsigned int size, u64 val[4])
{
	u64 bits[TRNG_MAX_BITS64 / 64] = { 0 };
	unsigned int i, words;
	size_t got = 0;

	if (num_bits > 3 * size) {
		val[0] = TRNG_INVALID_PARAMETER;
		return;
	}
	words = (num_bits + 63) / 64;
	while (got < words * sizeof(u64)) {
		ssize_t n = getrandom((u8 *)bits + got, words * sizeof(u64) - got, 0);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			val[0] = TRNG_NO_ENTROPY;
			return;
		}
		got += (size_t)n;
	}
	/* keep bits [0, num_bits) of the 192-bit string */
	for (i = 0; i < 3; i++) {
		unsigned int lo = i * 64;

		if (num_bits <= lo)
			bits[i] = 0;
		else if (num_bits < lo + 64)
			bits[i] &= (1ULL << (num_bits - lo)) - 1;
	}
	val[0] = TRNG_SUCCESS;
	if (size == 32) {
		val[1] = (u32)bits[1];
		val[2] = bits[0] >> 32;
		val[3] = (u32)bits[0];
	} else {
		val[1] = bits[2];
		val[2] = bits[1];
		val[3] = bits[0];
	}
	explicit_bzero(bits, sizeof(bits));
}

void kvm_trng_call(struct kvm_vcpu *vcpu, u32 fn, u64 val[4])
{
	u64 arg1 = vcpu_state(vcpu)->x[1];

	val[0] = TRNG_NOT_SUPPORTED;
	switch (fn) {
	case ARM_SMCCC_TRNG_VERSION:
		val[0] = ARM_SMCCC_TRNG_VERSION_1_0;
		break;
	case ARM_SMCCC_TRNG_FEATURES:
		switch ((u32)arg1) {
		case ARM_SMCCC_TRNG_VERSION:
		case ARM_SMCCC_TRNG_FEATURES:
		case ARM_SMCCC_TRNG_GET_UUID:
		case ARM_SMCCC_TRNG_RND32:
		case ARM_SMCCC_TRNG_RND64:
			val[0] = TRNG_SUCCESS;
		}
		break;
	case ARM_SMCCC_TRNG_GET_UUID:
		val[0] = trng_uuid[0];
		val[1] = trng_uuid[1];
		val[2] = trng_uuid[2];
		val[3] = trng_uuid[3];
		break;
	case ARM_SMCCC_TRNG_RND32:
		trng_rnd((u32)arg1, 32, val);
		break;
	case ARM_SMCCC_TRNG_RND64:
		trng_rnd((u32)arg1, 64, val);
		break;
	}
}
