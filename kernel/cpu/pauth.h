/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pointer authentication (FEAT_PAuth, pauth.c): the QARMA5 block cipher
 * and the Arm ARM's AddPAC, Auth and Strip for the EL1&0 regime.  The
 * instructions are in exec_pauth.c.
 */
#ifndef VKVM_CPU_PAUTH_H
#define VKVM_CPU_PAUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "state.h"

/*
 * Does this vCPU have pointer authentication (KVM_ARM_VCPU_PTRAUTH_*)?  Its
 * ID_AA64ISAR1_EL1.APA says so: without it the instructions are absent
 * (the HINT-space ones NOPs, the others UNDEFINED).
 */
static inline bool pauth_on(const struct cpu_state *s)
{
	return (s->sysreg[SR_ID_AA64ISAR1_EL1] >> 4) & 0xf;
}

/* A key: APxKeyHi_EL1 (key0 of ComputePAC) and APxKeyLo_EL1 (key1). */
struct pac_key {
	uint64_t hi, lo;
};

/* ComputePAC with the architected QARMA5 (ID_AA64ISAR1_EL1.APA = GPA = 1). */
uint64_t pac_compute(uint64_t data, uint64_t modifier, struct pac_key k);

/* The key held in the system-register slots from lo_slot (Lo, then Hi). */
static inline struct pac_key pac_key_of(const struct cpu_state *s, unsigned int lo_slot)
{
	return (struct pac_key){ .hi = s->sysreg[lo_slot + 1], .lo = s->sysreg[lo_slot] };
}

/* AddPAC, Auth (key_b: the error code of a B key), Strip. */
uint64_t pac_add(const struct cpu_state *s, uint64_t ptr, uint64_t modifier,
		 struct pac_key k, bool data);
uint64_t pac_auth(const struct cpu_state *s, uint64_t ptr, uint64_t modifier,
		  struct pac_key k, bool data, bool key_b);
uint64_t pac_strip(const struct cpu_state *s, uint64_t ptr, bool data);

/*
 * AddPAC (op 0) or Auth (PAC_OP_AUTH), with the key's PAC_OP_DATA and
 * PAC_OP_KEY_B, through a small memo of whole results and a stack of
 * the Auths that undo recent AddPACs (pauth.c): what pac_add or pac_auth
 * would return.
 */
#define PAC_OP_AUTH	1u
#define PAC_OP_DATA	2u
#define PAC_OP_KEY_B	4u
uint64_t pac_op(const struct cpu_state *s, unsigned int op, uint64_t ptr, uint64_t modifier,
		struct pac_key k);

/* EffectiveTBI for the EL1&0 regime, TBID included (FEAT_PAuth). */
bool pac_tbi(const struct cpu_state *s, uint64_t ptr, bool data);

#endif
