// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile guest driving virtio-console (vmm run --console virtio) directly,
 * transmitq (queue 1) only:
 *
 *   FLOOD_GIANT  one request: a chain of 256 descriptors, each the same
 *                FLOOD_GIANT_LEN bytes of RAM (256 x 8 MiB = 2 GiB of output
 *                from one notification)
 *   FLOOD_MANY   FLOOD_REQS requests of one 16-byte numbered line each
 *                ("vcon NNNNNNNNNN\n"), 256 per notification
 *   FLOOD_RESET  FLOOD_N times: reset, bring up, and make the transmitq
 *                ready at a misaligned address (DEVICE_NEEDS_RESET, and a
 *                warning each time if nothing limited it)
 *
 * Ends with a "flood-vcon: ..." line on the UART and exit status 0.
 */
#include "rt.h"

#define VIRTIO_BASE		0x03000000UL
#define VIRTIO_SLOT		0x200UL
#define R_MAGIC			0x000
#define R_DEVICE_ID		0x008
#define R_DRIVER_FEATURES	0x020
#define R_DRIVER_FEATURES_SEL	0x024
#define R_QUEUE_SEL		0x030
#define R_QUEUE_NUM		0x038
#define R_QUEUE_READY		0x044
#define R_QUEUE_NOTIFY		0x050
#define R_STATUS		0x070
#define R_QUEUE_DESC		0x080
#define R_QUEUE_DRIVER		0x090
#define R_QUEUE_DEVICE		0x0a0
#define S_ACK			1
#define S_DRIVER		2
#define S_DRIVER_OK		4
#define S_FEATURES_OK		8
#define S_NEEDS_RESET		0x40
#define F_NEXT			1

#define QN			256
#define TX			1
#define RINGS			(RAM_BASE + 0x400000UL)
#define DESC			RINGS
#define AVAIL			(RINGS + 0x1000)
#define USED			(RINGS + 0x2000)
#define DATA			(RAM_BASE + 0x800000UL)

#ifndef FLOOD_GIANT_LEN
#define FLOOD_GIANT_LEN		(8UL << 20)
#endif
#ifndef FLOOD_REQS
#define FLOOD_REQS		65536UL
#endif
#ifndef FLOOD_N
#define FLOOD_N			20000UL
#endif

static unsigned long dev;

static void wr(unsigned long reg, u32 v) { writel(v, dev + reg); }
static u32 rd(unsigned long reg) { return readl(dev + reg); }

static void find(void)
{
	unsigned long b;

	for (b = VIRTIO_BASE; b < VIRTIO_BASE + 32 * VIRTIO_SLOT; b += VIRTIO_SLOT)
		if (readl(b + R_MAGIC) == 0x74726976 && readl(b + R_DEVICE_ID) == 3) {
			dev = b;
			return;
		}
	printf("flood-vcon: no virtio-console (run with --console virtio)\n");
	rt_exit(3);
}

/* Bring the device up with the transmitq at @desc (VERSION_1 only). */
static void up(unsigned long desc)
{
	wr(R_STATUS, 0);
	wr(R_STATUS, S_ACK);
	wr(R_STATUS, S_ACK | S_DRIVER);
	wr(R_DRIVER_FEATURES_SEL, 1);
	wr(R_DRIVER_FEATURES, 1);		/* VIRTIO_F_VERSION_1 */
	wr(R_DRIVER_FEATURES_SEL, 0);
	wr(R_DRIVER_FEATURES, 0);
	wr(R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	wr(R_QUEUE_SEL, TX);
	wr(R_QUEUE_NUM, QN);
	wr(R_QUEUE_DESC, (u32)desc);
	wr(R_QUEUE_DESC + 4, (u32)(desc >> 32));
	wr(R_QUEUE_DRIVER, (u32)AVAIL);
	wr(R_QUEUE_DRIVER + 4, 0);
	wr(R_QUEUE_DEVICE, (u32)USED);
	wr(R_QUEUE_DEVICE + 4, 0);
	wr(R_QUEUE_READY, 1);
	wr(R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
}

static __attribute__((unused)) void desc(unsigned int i, unsigned long addr, u32 len, u16 flags, u16 next)
{
	volatile u64 *d = (volatile u64 *)(DESC + 16 * i);

	d[0] = addr;
	d[1] = (u64)len | (u64)flags << 32 | (u64)next << 48;
}

static volatile u16 *const avail_idx = (volatile u16 *)(AVAIL + 2);
static volatile u16 *const used_idx = (volatile u16 *)(USED + 2);

/* Make @n chains (heads 0..n-1) available, notify, wait until all are used. */
static __attribute__((unused)) void submit(unsigned int n)
{
	volatile u16 *ring = (volatile u16 *)(AVAIL + 4);
	u16 idx = *avail_idx;
	unsigned int i;

	for (i = 0; i < n; i++)
		ring[(u16)(idx + i) % QN] = (u16)i;
	dsb(sy);
	*avail_idx = (u16)(idx + n);
	dsb(sy);
	wr(R_QUEUE_NOTIFY, TX);
	while (*used_idx != (u16)(idx + n))
		if (rd(R_STATUS) & S_NEEDS_RESET) {
			printf("flood-vcon: device needs reset\n");
			rt_exit(4);
		}
}

int main(void)
{
	unsigned long i __attribute__((unused));

	find();
	*avail_idx = 0;
	*used_idx = 0;
#if defined(FLOOD_GIANT)
	volatile u8 *p = (volatile u8 *)DATA;

	for (i = 0; i < FLOOD_GIANT_LEN; i++)
		p[i] = (i & 63) == 63 ? '\n' : 'g';
	up(DESC);
	for (i = 0; i < QN; i++)
		desc((unsigned int)i, DATA, FLOOD_GIANT_LEN, i + 1 < QN ? F_NEXT : 0, (u16)(i + 1));
	avail_idx[-1] = 1;		/* VIRTQ_AVAIL_F_NO_INTERRUPT: we poll */
	submit(1);
	printf("flood-vcon: one chain of %u x %lu bytes used\n", QN, (unsigned long)FLOOD_GIANT_LEN);
#elif defined(FLOOD_MANY)
	unsigned long r = 0;
	unsigned int j;

	up(DESC);
	avail_idx[-1] = 1;
	while (r < FLOOD_REQS) {
		for (j = 0; j < QN && r < FLOOD_REQS; j++, r++) {
			char *line = (char *)(DATA + 16 * j);

			snprintf(line, 17, "vcon %010lu\n", r);
			desc(j, (unsigned long)line, 16, 0, 0);
		}
		submit(j);
	}
	printf("flood-vcon: %lu requests used\n", r);
#elif defined(FLOOD_RESET)
	for (i = 0; i < FLOOD_N; i++) {
		up(DESC + 8);		/* descriptors must be 16-byte aligned */
		if (!(rd(R_STATUS) & S_NEEDS_RESET)) {
			printf("flood-vcon: a misaligned queue was accepted\n");
			return 1;
		}
	}
	printf("flood-vcon: %lu resets\n", i);
#endif
	return 0;
}
