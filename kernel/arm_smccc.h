/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SMCCC function numbers and return codes the backend answers (Arm DEN0028,
 * DEN0057A for PV time, DEN0098 for the TRNG; Linux's include/linux/
 * arm-smccc.h).
 */
#ifndef VKVM_ARM_SMCCC_H
#define VKVM_ARM_SMCCC_H

#define ARM_SMCCC_VERSION_FUNC_ID		0x80000000U
#define ARM_SMCCC_ARCH_FEATURES_FUNC_ID		0x80000001U
#define ARM_SMCCC_ARCH_WORKAROUND_1		0x80008000U
#define ARM_SMCCC_ARCH_WORKAROUND_2		0x80007fffU
#define ARM_SMCCC_ARCH_WORKAROUND_3		0x80003fffU
#define ARM_SMCCC_VERSION_1_1			0x10001

/* bits 29:24 of a function ID: its owner; 15:0 its number */
#define ARM_SMCCC_OWNER_NUM(fn)			(((fn) >> 24) & 0x3f)
#define ARM_SMCCC_FUNC_NUM(fn)			((fn) & 0xffff)
#define ARM_SMCCC_OWNER_STANDARD		4

/* Standard Secure Service calls: the TRNG (SMC32, RND64 SMC64) */
#define ARM_SMCCC_TRNG_VERSION			0x84000050U
#define ARM_SMCCC_TRNG_FEATURES			0x84000051U
#define ARM_SMCCC_TRNG_GET_UUID			0x84000052U
#define ARM_SMCCC_TRNG_RND32			0x84000053U
#define ARM_SMCCC_TRNG_RND64			0xc4000053U

/* Standard Hypervisor Service calls: PV time (SMC64) */
#define ARM_SMCCC_HV_PV_TIME_FEATURES		0xc5000020U
#define ARM_SMCCC_HV_PV_TIME_ST			0xc5000021U

/* Vendor-specific Hypervisor Service calls: KVM's (SMC32) */
#define ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID 0x86000000U
#define ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID	0x86000001U
#define ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID	0x8600ff01U
#define KVM_PTP_VIRT_COUNTER			0
#define KVM_PTP_PHYS_COUNTER			1

#define SMCCC_RET_SUCCESS			0
#define SMCCC_RET_NOT_SUPPORTED			(-1L)
#define SMCCC_RET_NOT_REQUIRED			(-2L)
#define SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED	1

#endif
