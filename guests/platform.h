/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest platform the bare-metal guests expect (DESIGN §7), and the test
 * window that tests/guests/harness.c provides, and vmm with `--testdev`
 * (devices/testdev.c, whose devices/testdev.h tests/vmm checks against this
 * file).  Shared by the guests and the harness so they agree on every address.
 */
#ifndef GUESTS_PLATFORM_H
#define GUESTS_PLATFORM_H

#define RAM_BASE		0x80000000UL
#define UART_BASE		0x01000000UL	/* ns16550a, 1-byte registers */
#define UART_THR		0x0		/* write: transmit holding */
#define UART_LSR		0x5		/* read: line status */
#define UART_LSR_THRE		0x20		/* THR empty */
#define TEST_EXIT_BASE		0x01030000UL	/* 32-bit store of V: exit V & 0xff */

/*
 * Test window (on the vmm platform only with `vmm run --testdev`):
 *
 *   PATTERN  +0x000..0x7ff  reads return pattern_byte(addr) for each byte;
 *                           writes are ignored
 *   SCRATCH  +0x800..0xfff  reads return what was last written (zero first)
 *   CTL      +0x1000        harness requests, 64-bit registers:
 *     +0x00 w  SError pending with ESR = value (KVM_SET_VCPU_EVENTS, has_esr)
 *     +0x08 w  SError pending without ESR
 *     +0x10 r  bit 0: KVM_CAP_ARM_SEA_TO_USER is enabled;
 *              bit 1: a page is poisoned (at POISON_GPA)
 *
 * Everything else in 0x0a000000..0x0affffff is unbacked and unclaimed: the
 * NISV and instruction-abort guests use it.
 */
#define TESTDEV_BASE		0x0a000000UL
#define TESTDEV_PATTERN		(TESTDEV_BASE + 0x000)
#define TESTDEV_SCRATCH		(TESTDEV_BASE + 0x800)
#define TESTDEV_SCRATCH_SIZE	0x800
#define TESTDEV_CTL		(TESTDEV_BASE + 0x1000)
#define CTL_SERROR_ESR		0x00
#define CTL_SERROR		0x08
#define CTL_SEA_MODE		0x10
#define SEA_MODE_TO_USER	0x1
#define SEA_MODE_POISONED	0x2
#define TESTDEV_SIZE		0x2000

#define UNBACKED_DATA		0x0a100000UL	/* NISV target */
#define UNBACKED_CODE		0x0a200000UL	/* instruction-abort target */

/* RAM page the sea guest reads; the harness poisons it (RAM_BASE + 12 MiB). */
#define POISON_GPA		(RAM_BASE + 0xc00000UL)

/* The harness's default RAM size; the guests need no more than this. */
#define GUEST_RAM_SIZE		(16UL << 20)

/* Pattern of the test window: both signs and every byte lane differ. */
static inline unsigned char pattern_byte(unsigned long addr)
{
	return (unsigned char)((addr & 0xff) ^ 0x5a);
}

#endif
