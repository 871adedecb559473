/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TESTS_PAUTHDIFF_PAUTH_VKVM_H
#define TESTS_PAUTHDIFF_PAUTH_VKVM_H

#include <stdint.h>

/* Run the flat guest image under vkvm, on a vCPU with PTRAUTH or not,
 * with nparam words of param at PAC_PARAM_VA (pacgen.h; none if 0): its
 * output lines (hex), or -1 */
int pauth_run_vkvm(const char *bin, uint64_t *out, unsigned int max, int ptrauth,
		   const uint64_t *param, unsigned int nparam);

#endif
