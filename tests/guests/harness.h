/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal KVM client that runs one bare-metal guest of guests/ (not the
 * VMM: the KVM ioctls directly, through a four-call table, so the same code
 * drives /dev/kvm and libvkvm).  It provides exactly what the guests expect
 * (guests/platform.h): RAM at RAM_BASE, the UART, the test-exit device and
 * the harness-only test window; it turns NISV and SEA exits into injected
 * external aborts and runs secondary vCPUs on their own threads.
 *
 * Everything it prints goes to stdout: the guest's console as the guest
 * wrote it ('\r' dropped), and its own lines starting with "harness: ".
 * The last of those says how the run ended, and so does the exit status.
 */
#ifndef TESTS_GUESTS_HARNESS_H
#define TESTS_GUESTS_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The seam, vmm's: struct hv_ops.  harness.c has its own tables, hv_kvm
 * and (with USE_VKVM) hv_vkvm; hv_select() and hv_known() are vmm's. */
#include "../../vmm/hv.h"

struct harness_opts {
	const struct hv_ops *hv;
	const void *image;		/* the guest, raw or with an Image header */
	size_t image_size;
	const char *name;		/* for messages */
	unsigned int vcpus;		/* 1..8 */
	size_t ram_size;
	unsigned int timeout;		/* seconds */
	uint64_t raw_offset;		/* where a raw binary goes in RAM */
	int nisv_to_user;		/* enable KVM_CAP_ARM_NISV_TO_USER */
	int sea_to_user;		/* enable KVM_CAP_ARM_SEA_TO_USER (skip if missing) */
	int poison;			/* poison POISON_GPA (vkvm only; skip if missing) */
	int sve;			/* give the vCPUs SVE (skip if missing) */
	unsigned int sve_vl;		/* with sve: cap the vector length (bits), 0: default */
};

/* Exit statuses besides the guest's own (0..255 from the test-exit device). */
#define HARNESS_RC_SKIP		77	/* a feature the guest needs is missing */
#define HARNESS_RC_NOT_RUN	78	/* KVM_EXIT_INTERNAL_ERROR at the first instruction */
#define HARNESS_RC_TIMEOUT	124
#define HARNESS_RC_ERROR	125	/* any other failure of the run */

void harness_defaults(struct harness_opts *o);
/* Runs the guest to its end; returns the exit status described above. */
int harness_run(const struct harness_opts *o);

#endif
