/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test device's registers (`vmm run --testdev`, devices/testdev.c): the
 * values of guests/platform.h's test window, as offsets into the device at
 * TESTDEV_BASE (vmm/memmap.h).  tests/vmm checks that the two agree.
 */
#ifndef VMM_TESTDEV_H
#define VMM_TESTDEV_H

#include <stdint.h>

#define TESTDEV_PATTERN_OFF		0x000
#define TESTDEV_PATTERN_LEN		0x800
#define TESTDEV_SCRATCH_OFF		0x800
#define TESTDEV_SCRATCH_LEN		0x800
#define TESTDEV_CTL_OFF			0x1000
#define TESTDEV_CTL_SERROR_ESR		0x00	/* w: SError with ESR = value */
#define TESTDEV_CTL_SERROR		0x08	/* w: SError without ESR */
#define TESTDEV_CTL_SEA_MODE		0x10	/* r: TESTDEV_SEA_MODE_* */
#define TESTDEV_SEA_MODE_TO_USER	0x1	/* KVM_CAP_ARM_SEA_TO_USER is on */
#define TESTDEV_SEA_MODE_POISONED	0x2	/* TESTDEV_POISON_GPA's page is poisoned */
#define TESTDEV_CTL_MSI			0x18	/* w: MSI DeviceID << 32 | EventID to the ITS */
#define TESTDEV_CTL_MSI_RESULT		0x20	/* r: what KVM_SIGNAL_MSI answered */
/* the RAM page the sea guest reads: RAM base + 12 MiB */
#define TESTDEV_POISON_GPA		0x80c00000ULL

struct vm;

/* The pattern area: the byte at guest physical address @gpa. */
uint8_t testdev_pattern_byte(uint64_t gpa);
/* What CTL_SEA_MODE reads in this VM. */
uint64_t testdev_sea_mode(const struct vm *vm);

#endif
