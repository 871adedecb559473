/* SPDX-License-Identifier: GPL-2.0 */
/* The qemu-aarch64 side's way in and out of an MTE case: X0-X30 and NZCV. */
#include "diffentry.h"

#define DIFF_REGS_SIZE	256		/* sizeof(struct diff_regs) */

	diff_enter_begin
	diff_enter_end

	diff_exit_begin DIFF_REGS_SIZE
	diff_exit_end
