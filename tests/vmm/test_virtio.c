// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-mmio transport, virtio-blk, -rng, -console and -net, driven as a guest driver
 * would over a fake guest RAM buffer (exactly RAM_SIZE bytes from malloc, so
 * that ASan sees any access outside it), and adversarial rings and chains
 * that must end in DEVICE_NEEDS_RESET without a host access outside RAM.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../devices/net.h"
#include "../../devices/virtio.h"
#include "../../vmm/memmap.h"
#include "vmm_test.h"

#define GBASE		0x80000000ULL
#define RAM_SIZE	0x10000ULL
#define QN		8		/* the driver's queue size */
#define DESC_GPA	(GBASE + 0x1000)
#define AVAIL_GPA	(GBASE + 0x2000)
#define USED_GPA	(GBASE + 0x3000)
#define DATA_GPA	(GBASE + 0x8000)

static uint8_t *ram;
static struct virtio_mmio t;
static int irq_level, irq_changes;
static struct virtio_blk *blk;
static char disk_path[64];
static int disk_fd = -1;
static uint16_t avail_idx;

static void irq(void *ctx, int level)
{
	irq_level = level;
	irq_changes++;
}

static uint8_t *g(uint64_t gpa)
{
	return ram + (gpa - GBASE);
}

static uint32_t rd(uint64_t off)
{
	return (uint32_t)virtio_mmio_read(&t, off, 4);
}

static void wr(uint64_t off, uint32_t v)
{
	virtio_mmio_write(&t, off, 4, v);
}

static void put16(uint64_t gpa, uint16_t v) { v = htole16(v); memcpy(g(gpa), &v, 2); }
static void put32(uint64_t gpa, uint32_t v) { v = htole32(v); memcpy(g(gpa), &v, 4); }
static void put64(uint64_t gpa, uint64_t v) { v = htole64(v); memcpy(g(gpa), &v, 8); }
static uint16_t get16(uint64_t gpa) { uint16_t v; memcpy(&v, g(gpa), 2); return le16toh(v); }
static uint32_t get32(uint64_t gpa) { uint32_t v; memcpy(&v, g(gpa), 4); return le32toh(v); }

/* Descriptor i of the table at table_gpa */
static void ring_desc(uint64_t table_gpa, unsigned int i, uint64_t addr, uint32_t len,
		      uint16_t flags, uint16_t next)
{
	uint64_t d = table_gpa + 16 * i;

	put64(d, addr);
	put32(d + 8, len);
	put16(d + 12, flags);
	put16(d + 14, next);
}

/* Make chain @head available in the ring at avail_gpa (its index *idx)
 * and notify queue. */
static void ring_kick(uint64_t avail_gpa, uint16_t *idx, unsigned int queue, uint16_t head)
{
	put16(avail_gpa + 4 + 2 * (*idx % QN), head);
	(*idx)++;
	put16(avail_gpa + 2, *idx);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, queue);
}

static void desc(unsigned int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	ring_desc(DESC_GPA, i, addr, len, flags, next);
}

/* Make chain @head available and notify queue 0. */
static void kick(uint16_t head)
{
	ring_kick(AVAIL_GPA, &avail_idx, 0, head);
}

static uint16_t used_idx(void) { return get16(USED_GPA + 2); }
static uint32_t used_id(unsigned int i) { return get32(USED_GPA + 4 + 8 * (i % QN)); }
static uint32_t used_len(unsigned int i) { return get32(USED_GPA + 8 + 8 * (i % QN)); }

static void setup_ram(void)
{
	ram = calloc(1, RAM_SIZE);
	ck_assert_ptr_nonnull(ram);
	irq_level = irq_changes = 0;
	avail_idx = 0;
}

/* Queue @sel of @num set up with its areas (descriptors, driver, device)
 * and made ready: the queue part of the driver's bring-up (3.1.1). */
static void queue_setup_sel(uint32_t sel, uint32_t num, uint64_t d, uint64_t a, uint64_t u)
{
	wr(VIRTIO_MMIO_QUEUE_SEL, sel);
	wr(VIRTIO_MMIO_QUEUE_NUM, num);
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)d);
	wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(d >> 32));
	wr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)a);
	wr(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(a >> 32));
	wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)u);
	wr(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(u >> 32));
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
}

/* The same for queue 0. */
static void queue_setup(uint32_t num, uint64_t d, uint64_t a, uint64_t u)
{
	queue_setup_sel(0, num, d, a, u);
}

static void driver_up(uint64_t features)
{
	wr(VIRTIO_MMIO_STATUS, 0);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
	   VIRTIO_STATUS_FEATURES_OK);
	ck_assert(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
	queue_setup(QN, DESC_GPA, AVAIL_GPA, USED_GPA);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_READY), 1);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
	   VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

/* A disk of 16 sectors, sector s filled with byte s. */
static void blk_setup(bool ro)
{
	uint8_t sec[VIRTIO_BLK_SECTOR];
	unsigned int s;

	setup_ram();
	strcpy(disk_path, "/tmp/vmm-test-disk-XXXXXX");
	disk_fd = mkstemp(disk_path);
	ck_assert_int_ge(disk_fd, 0);
	for (s = 0; s < 16; s++) {
		memset(sec, (int)s, sizeof(sec));
		ck_assert_int_eq(write(disk_fd, sec, sizeof(sec)), sizeof(sec));
	}
	blk = virtio_blk_new(disk_fd, 16 * VIRTIO_BLK_SECTOR, ro, "test-disk-id");
	virtio_mmio_init(&t, &virtio_blk_dev_ops, blk, ram, GBASE, RAM_SIZE, irq, NULL);
	virtio_blk_attach(&t, blk);
}

static void blk_teardown(void)
{
	virtio_mmio_destroy(&t);
	virtio_blk_free(blk);
	close(disk_fd);
	unlink(disk_path);
	free(ram);
}

static uint64_t blk_features(void)
{
	return (1ULL << VIRTIO_F_VERSION_1) | (1ULL << VIRTIO_BLK_F_FLUSH);
}

/*
 * A request: header at DATA_GPA, @len bytes of data at DATA_GPA + 0x100
 * (device-writable for IN/GET_ID), status at DATA_GPA + 0x80.  Returns the status.
 */
static int blk_req(uint32_t type, uint64_t sector, uint32_t len)
{
	bool in = type == VIRTIO_BLK_T_IN || type == VIRTIO_BLK_T_GET_ID;
	uint16_t before = used_idx();
	unsigned int n = 0;

	put32(DATA_GPA, type);
	put32(DATA_GPA + 4, 0);
	put64(DATA_GPA + 8, sector);
	*g(DATA_GPA + 0x80) = 0xee;
	desc(0, DATA_GPA, 16, VIRTQ_DESC_F_NEXT, 1);
	if (len) {
		desc(1, DATA_GPA + 0x100, len, VIRTQ_DESC_F_NEXT | (in ? VIRTQ_DESC_F_WRITE : 0), 2);
		n = 1;
	}
	desc(n + 1, DATA_GPA + 0x80, 1, VIRTQ_DESC_F_WRITE, 0);
	kick(0);
	ck_assert_uint_eq(used_idx(), (uint16_t)(before + 1));
	ck_assert_uint_eq(used_id(before), 0);
	return *g(DATA_GPA + 0x80);
}

START_TEST(transport_registers)
{
	blk_setup(false);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_VERSION), 2);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_BLOCK);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_VENDOR_ID), VIRTIO_MMIO_VENDOR);
	ck_assert_uint_eq(virtio_mmio_read(&t, VIRTIO_MMIO_MAGIC_VALUE, 1), 0);	/* 32-bit only */
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_FEATURES), 1u << VIRTIO_BLK_F_FLUSH);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_FEATURES), 1);		/* VERSION_1 */
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 2);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_FEATURES), 0);
	/* capacity in the configuration space, at any width */
	ck_assert_uint_eq(virtio_mmio_read(&t, VIRTIO_MMIO_CONFIG, 8), 16);
	ck_assert_uint_eq(virtio_mmio_read(&t, VIRTIO_MMIO_CONFIG, 4), 16);
	ck_assert_uint_eq(virtio_mmio_read(&t, VIRTIO_MMIO_CONFIG + 4, 4), 0);
	ck_assert_uint_eq(virtio_mmio_read(&t, VIRTIO_MMIO_CONFIG + 0xfc, 8), 0);	/* past it */
	ck_assert_uint_eq(rd(VIRTIO_MMIO_CONFIG_GENERATION), 0);
	/* queues: one, of at most 256 */
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), VIRTQ_NUM_MAX);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_READY), 0);
	wr(VIRTIO_MMIO_QUEUE_SEL, 1);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_READY), 0);

	/* FEATURES_OK: refused without VERSION_1 (legacy), or with a feature not offered */
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, 1u << VIRTIO_BLK_F_FLUSH);
	wr(VIRTIO_MMIO_STATUS, 0x0b);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_STATUS), 0x03);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, 1);	/* VERSION_1 */
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, (1u << VIRTIO_BLK_F_FLUSH) | (1u << VIRTIO_F_INDIRECT_DESC));
	wr(VIRTIO_MMIO_STATUS, 0x0b);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_STATUS), 0x03);
	driver_up(blk_features());
	ck_assert_uint_eq(rd(VIRTIO_MMIO_STATUS), 0x0f);

	/* a request raises the (level) interrupt; InterruptACK lowers it */
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_IN, 0, 512), VIRTIO_BLK_S_OK);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_VRING);
	ck_assert_int_eq(irq_level, 1);
	wr(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	ck_assert_int_eq(irq_level, 0);
	/* VIRTQ_AVAIL_F_NO_INTERRUPT: used buffers, no interrupt */
	put16(AVAIL_GPA, 1);
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_IN, 1, 512), VIRTIO_BLK_S_OK);
	ck_assert_int_eq(irq_level, 0);
	put16(AVAIL_GPA, 0);
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_IN, 1, 512), VIRTIO_BLK_S_OK);
	ck_assert_int_eq(irq_level, 1);
	/* queue registers are frozen while the queue is ready */
	wr(VIRTIO_MMIO_QUEUE_NUM, 4);
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, 0);
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_IN, 2, 512), VIRTIO_BLK_S_OK);

	/* reset: status, features, queues and the interrupt */
	wr(VIRTIO_MMIO_STATUS, 0);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_STATUS), 0);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	ck_assert_int_eq(irq_level, 0);
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_READY), 0);
	/* a notification to a reset device does nothing */
	put16(AVAIL_GPA + 2, ++avail_idx);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	/* and it comes up again */
	avail_idx = 0;
	memset(g(USED_GPA), 0, 0x100);
	memset(g(AVAIL_GPA), 0, 0x100);
	driver_up(blk_features());
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_IN, 3, 512), VIRTIO_BLK_S_OK);
	ck_assert_uint_eq(*g(DATA_GPA + 0x100), 3);
	blk_teardown();
}
END_TEST

START_TEST(blk_read_write_flush)
{
	uint8_t buf[1024];
	unsigned int i;

	blk_setup(false);
	driver_up(blk_features());
	/* IN of sectors 5-6 */
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_IN, 5, 1024), VIRTIO_BLK_S_OK);
	ck_assert_uint_eq(used_len(0), 1025);
	for (i = 0; i < 1024; i++)
		ck_assert_uint_eq(*g(DATA_GPA + 0x100 + i), i < 512 ? 5 : 6);
	/* OUT to sector 15 (the last) */
	memset(g(DATA_GPA + 0x100), 0xab, 512);
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_OUT, 15, 512), VIRTIO_BLK_S_OK);
	ck_assert_uint_eq(used_len(1), 1);
	ck_assert_int_eq(pread(disk_fd, buf, 512, 15 * 512), 512);
	for (i = 0; i < 512; i++)
		ck_assert_uint_eq(buf[i], 0xab);
	ck_assert_int_eq(pread(disk_fd, buf, 512, 14 * 512), 512);
	ck_assert_uint_eq(buf[0], 14);
	/* FLUSH */
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_FLUSH, 0, 0), VIRTIO_BLK_S_OK);
	/* GET_ID: 20 bytes, NUL-padded */
	memset(g(DATA_GPA + 0x100), 0xff, 32);
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_GET_ID, 0, 20), VIRTIO_BLK_S_OK);
	ck_assert_str_eq((char *)g(DATA_GPA + 0x100), "test-disk-id");
	ck_assert_uint_eq(*g(DATA_GPA + 0x100 + 20), 0xff);
	ck_assert_uint_eq(used_len(3), 21);
	/* an unknown type */
	ck_assert_int_eq(blk_req(99, 0, 0), VIRTIO_BLK_S_UNSUPP);
	/* out of bounds: past the end, straddling it, sector overflow, partial sector */
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_IN, 16, 512), VIRTIO_BLK_S_IOERR);
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_IN, 15, 1024), VIRTIO_BLK_S_IOERR);
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_OUT, 15, 1024), VIRTIO_BLK_S_IOERR);
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_IN, 0x0080000000000000ULL, 512), VIRTIO_BLK_S_IOERR);
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_IN, UINT64_MAX, 512), VIRTIO_BLK_S_IOERR);
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_IN, 0, 100), VIRTIO_BLK_S_IOERR);
	ck_assert_int_eq(lseek(disk_fd, 0, SEEK_END), 16 * 512);	/* never grown */
	/* a header split over two descriptors, the status in the data's last descriptor */
	put32(DATA_GPA, VIRTIO_BLK_T_IN);
	put64(DATA_GPA + 8, 7);
	desc(0, DATA_GPA, 10, VIRTQ_DESC_F_NEXT, 3);
	desc(3, DATA_GPA + 10, 6, VIRTQ_DESC_F_NEXT, 1);
	desc(1, DATA_GPA + 0x100, 513, VIRTQ_DESC_F_WRITE, 0);
	kick(0);
	ck_assert_uint_eq(*g(DATA_GPA + 0x100 + 511), 7);
	ck_assert_uint_eq(*g(DATA_GPA + 0x100 + 512), VIRTIO_BLK_S_OK);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET, 0);
	blk_teardown();
}
END_TEST

START_TEST(blk_read_only)
{
	uint8_t b;

	blk_setup(true);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	ck_assert(rd(VIRTIO_MMIO_DEVICE_FEATURES) & (1u << VIRTIO_BLK_F_RO));
	driver_up(blk_features() | (1ULL << VIRTIO_BLK_F_RO));
	memset(g(DATA_GPA + 0x100), 0xcd, 512);
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_OUT, 2, 512), VIRTIO_BLK_S_IOERR);
	ck_assert_int_eq(pread(disk_fd, &b, 1, 2 * 512), 1);
	ck_assert_uint_eq(b, 2);
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_IN, 2, 512), VIRTIO_BLK_S_OK);
	ck_assert_uint_eq(*g(DATA_GPA + 0x100), 2);
	ck_assert_int_eq(blk_req(VIRTIO_BLK_T_FLUSH, 0, 0), VIRTIO_BLK_S_OK);
	blk_teardown();
}
END_TEST

/* After a bad ring or chain: NEEDS_RESET, nothing used, later kicks ignored. */
static void assert_needs_reset(uint16_t used_before)
{
	ck_assert(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
	ck_assert(rd(VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_CONFIG);
	ck_assert_uint_eq(used_idx(), used_before);
	/* the driver cannot clear it, only reset */
	wr(VIRTIO_MMIO_STATUS, 0x0f);
	ck_assert(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
	desc(0, DATA_GPA, 16, VIRTQ_DESC_F_NEXT, 1);
	desc(1, DATA_GPA + 0x80, 1, VIRTQ_DESC_F_WRITE, 0);
	put32(DATA_GPA, VIRTIO_BLK_T_FLUSH);
	kick(0);
	ck_assert_uint_eq(used_idx(), used_before);
	wr(VIRTIO_MMIO_STATUS, 0);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_STATUS), 0);
}

/* One bad chain at head 0 per case, each on a fresh device. */
START_TEST(adversarial_chains)
{
	static const struct { uint64_t addr; uint32_t len; } bad[] = {
		{ GBASE + RAM_SIZE, 1 },		/* just past RAM */
		{ GBASE + RAM_SIZE - 8, 9 },		/* one byte past */
		{ GBASE - 1, 2 },			/* one byte before */
		{ 0, 16 },				/* no RAM there */
		{ UINT64_MAX - 7, 16 },			/* wraps around */
		{ GBASE + 0x100, 0xffffffffu },	/* oversized */
		{ GBASE + 8, (uint32_t)RAM_SIZE },	/* RAM-sized, 8 bytes in */
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		blk_setup(false);
		driver_up(blk_features());
		/* a good header, then the bad data descriptor */
		put32(DATA_GPA, VIRTIO_BLK_T_IN);
		desc(0, DATA_GPA, 16, VIRTQ_DESC_F_NEXT, 1);
		desc(1, bad[i].addr, bad[i].len, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
		desc(2, DATA_GPA + 0x80, 1, VIRTQ_DESC_F_WRITE, 0);
		kick(0);
		assert_needs_reset(0);
		blk_teardown();
	}
}
END_TEST

START_TEST(adversarial_rings)
{
	unsigned int c;

	for (c = 0; c < 6; c++) {
		blk_setup(false);
		driver_up(blk_features());
		switch (c) {
		case 0:		/* a loop: 0 -> 1 -> 2 -> 0 */
			desc(0, DATA_GPA, 16, VIRTQ_DESC_F_NEXT, 1);
			desc(1, DATA_GPA + 0x100, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
			desc(2, DATA_GPA + 0x80, 1, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 0);
			kick(0);
			break;
		case 1:		/* a self-loop */
			desc(0, DATA_GPA, 16, VIRTQ_DESC_F_NEXT, 0);
			kick(0);
			break;
		case 2:		/* next out of the table */
			desc(0, DATA_GPA, 16, VIRTQ_DESC_F_NEXT, QN);
			kick(0);
			break;
		case 3:		/* head out of the table */
			kick(0xffff);
			break;
		case 4:		/* an indirect descriptor (not offered) */
			desc(0, DATA_GPA, 16, VIRTQ_DESC_F_INDIRECT, 0);
			kick(0);
			break;
		case 5:		/* the available index claims more than the queue holds */
			put16(AVAIL_GPA + 2, QN + 1);
			wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
			avail_idx = QN + 1;
			break;
		}
		assert_needs_reset(0);
		blk_teardown();
	}
}
END_TEST

START_TEST(bad_queues)
{
	static const struct { uint32_t num; uint64_t d, a, u; } bad[] = {
		{ 0, DESC_GPA, AVAIL_GPA, USED_GPA },
		{ 3, DESC_GPA, AVAIL_GPA, USED_GPA },		/* not a power of two */
		{ 2 * VIRTQ_NUM_MAX, DESC_GPA, AVAIL_GPA, USED_GPA },	/* > NumMax */
		{ 0x80000000u, DESC_GPA, AVAIL_GPA, USED_GPA },
		{ QN, GBASE + RAM_SIZE - 16 * QN + 16, AVAIL_GPA, USED_GPA },	/* past RAM */
		{ QN, DESC_GPA, GBASE + RAM_SIZE - 4, USED_GPA },
		{ QN, DESC_GPA, AVAIL_GPA, UINT64_MAX - 0x3f },	/* wraps */
		{ QN, 0x1000, AVAIL_GPA, USED_GPA },		/* below RAM */
		{ QN, DESC_GPA + 8, AVAIL_GPA, USED_GPA },	/* misaligned */
		{ QN, DESC_GPA, AVAIL_GPA, USED_GPA + 2 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		blk_setup(false);
		wr(VIRTIO_MMIO_STATUS, 0x03);
		wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
		wr(VIRTIO_MMIO_DRIVER_FEATURES, 1);
		wr(VIRTIO_MMIO_STATUS, 0x0b);
		queue_setup(bad[i].num, bad[i].d, bad[i].a, bad[i].u);
		ck_assert_msg(!rd(VIRTIO_MMIO_QUEUE_READY), "case %u made ready", i);
		ck_assert_msg(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET, "case %u", i);
		wr(VIRTIO_MMIO_STATUS, 0x0f);
		wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);	/* nothing to do, nothing touched */
		blk_teardown();
	}
}
END_TEST

START_TEST(rng_fills_buffers)
{
	unsigned int i, nonzero = 0;

	setup_ram();
	virtio_mmio_init(&t, &virtio_rng_dev_ops, calloc(1, sizeof(struct virtq_req)), ram,
			 GBASE, RAM_SIZE, irq, NULL);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_RNG);
	driver_up(1ULL << VIRTIO_F_VERSION_1);
	desc(0, DATA_GPA, 64, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	desc(1, DATA_GPA + 64, 64, VIRTQ_DESC_F_WRITE, 0);
	kick(0);
	ck_assert_uint_eq(used_idx(), 1);
	ck_assert_uint_eq(used_len(0), 128);
	for (i = 0; i < 128; i++)
		nonzero += *g(DATA_GPA + i) != 0;
	ck_assert_uint_gt(nonzero, 64);
	ck_assert_int_eq(irq_level, 1);
	free(t.priv);
	virtio_mmio_destroy(&t);
	free(ram);
}
END_TEST

/* ---- virtio-console: receiveq 0 at the default areas, transmitq 1 here ---- */
#define TX_DESC_GPA	(GBASE + 0x4000)
#define TX_AVAIL_GPA	(GBASE + 0x5000)
#define TX_USED_GPA	(GBASE + 0x6000)

static struct virtio_console *con;
static char con_out[1024];
static size_t con_outlen;
static uint16_t tx_avail_idx;

static void con_capture(void *ctx, const void *buf, size_t len)
{
	ck_assert_ptr_eq(ctx, &con_outlen);
	ck_assert_uint_le(len, sizeof(con_out) - con_outlen);
	memcpy(con_out + con_outlen, buf, len);
	con_outlen += len;
}

static void tx_desc(unsigned int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	ring_desc(TX_DESC_GPA, i, addr, len, flags, next);
}

static void tx_kick(uint16_t head)
{
	ring_kick(TX_AVAIL_GPA, &tx_avail_idx, 1, head);
}

static uint16_t tx_used_idx(void) { return get16(TX_USED_GPA + 2); }

/* A console device; @up: the driver brought it up with both queues. */
static void con_setup(bool up)
{
	setup_ram();
	tx_avail_idx = 0;
	con_outlen = 0;
	con = virtio_console_new(con_capture, &con_outlen);
	ck_assert_ptr_nonnull(con);
	virtio_mmio_init(&t, &virtio_console_dev_ops, con, ram, GBASE, RAM_SIZE, irq, NULL);
	virtio_console_attach(&t, con);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_CONSOLE);
	/* no device-specific features (no MULTIPORT, no SIZE) */
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_FEATURES), 0);
	if (!up)
		return;
	driver_up(1ULL << VIRTIO_F_VERSION_1);
	queue_setup_sel(1, QN, TX_DESC_GPA, TX_AVAIL_GPA, TX_USED_GPA);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_READY), 1);
	/* a third queue does not exist */
	wr(VIRTIO_MMIO_QUEUE_SEL, 2);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
}

static void con_teardown(void)
{
	virtio_mmio_destroy(&t);
	virtio_console_free(con);
	con = NULL;
	free(ram);
}

static bool con_in(const char *s)
{
	return virtio_console_input(&t, (const uint8_t *)s, strlen(s));
}

START_TEST(console_transmit)
{
	con_setup(true);
	memcpy(g(DATA_GPA), "hel", 3);
	memcpy(g(DATA_GPA + 0x100), "lo, world", 9);
	tx_desc(0, DATA_GPA, 3, VIRTQ_DESC_F_NEXT, 1);
	tx_desc(1, DATA_GPA + 0x100, 9, VIRTQ_DESC_F_NEXT, 2);
	/* a device-writable buffer is not output (and not written) */
	memset(g(DATA_GPA + 0x200), 'Z', 8);
	tx_desc(2, DATA_GPA + 0x200, 8, VIRTQ_DESC_F_WRITE, 0);
	tx_kick(0);
	ck_assert_uint_eq(tx_used_idx(), 1);
	ck_assert_uint_eq(get32(TX_USED_GPA + 4), 0);
	ck_assert_uint_eq(get32(TX_USED_GPA + 8), 0);
	ck_assert_uint_eq(con_outlen, 12);
	ck_assert(!memcmp(con_out, "hello, world", 12));
	ck_assert_int_eq(irq_level, 1);
	/* a second chain, one descriptor, and an empty one */
	tx_desc(3, DATA_GPA + 0x300, 0, 0, 0);
	memcpy(g(DATA_GPA + 0x400), "!\n", 2);
	tx_desc(4, DATA_GPA + 0x400, 2, 0, 0);
	tx_kick(3);
	tx_kick(4);
	ck_assert_uint_eq(tx_used_idx(), 3);
	ck_assert_uint_eq(con_outlen, 14);
	ck_assert(!memcmp(con_out, "hello, world!\n", 14));
	/* nothing was received */
	ck_assert_uint_eq(used_idx(), 0);
	con_teardown();
}
END_TEST

START_TEST(console_receive)
{
	con_setup(true);
	memset(g(DATA_GPA), 0, 64);
	desc(0, DATA_GPA, 16, VIRTQ_DESC_F_WRITE, 0);
	kick(0);
	ck_assert_uint_eq(used_idx(), 0);	/* no input yet: the buffer stays */
	ck_assert_int_eq(irq_level, 0);
	ck_assert(con_in("abc"));
	ck_assert_uint_eq(used_idx(), 1);
	ck_assert_uint_eq(used_id(0), 0);
	ck_assert_uint_eq(used_len(0), 3);
	ck_assert(!memcmp(g(DATA_GPA), "abc", 3));
	ck_assert_int_eq(irq_level, 1);
	/* a chain of two writable buffers takes input across them */
	desc(1, DATA_GPA + 0x100, 2, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
	desc(2, DATA_GPA + 0x200, 8, VIRTQ_DESC_F_WRITE, 0);
	kick(1);
	ck_assert(con_in("wxyz"));
	ck_assert_uint_eq(used_idx(), 2);
	ck_assert_uint_eq(used_id(1), 1);
	ck_assert_uint_eq(used_len(1), 4);
	ck_assert(!memcmp(g(DATA_GPA + 0x100), "wx", 2));
	ck_assert(!memcmp(g(DATA_GPA + 0x200), "yz", 2));
	ck_assert_uint_eq(con_outlen, 0);
	con_teardown();
}
END_TEST

START_TEST(console_pending_input)
{
	char big[VIRTIO_CONSOLE_PENDING + 1];

	/* before the driver is up: kept */
	con_setup(false);
	ck_assert(con_in("early"));
	driver_up(1ULL << VIRTIO_F_VERSION_1);
	ck_assert(con_in("-late"));
	ck_assert_uint_eq(used_idx(), 0);
	ck_assert_int_eq(irq_level, 0);
	/* a 4-byte buffer takes the first 4 on its notify, the next the rest */
	desc(0, DATA_GPA, 4, VIRTQ_DESC_F_WRITE, 0);
	kick(0);
	ck_assert_uint_eq(used_idx(), 1);
	ck_assert_uint_eq(used_len(0), 4);
	ck_assert(!memcmp(g(DATA_GPA), "earl", 4));
	ck_assert_int_eq(irq_level, 1);
	desc(1, DATA_GPA + 0x100, 64, VIRTQ_DESC_F_WRITE, 0);
	desc(2, DATA_GPA + 0x200, 64, VIRTQ_DESC_F_WRITE, 0);
	kick(1);
	kick(2);
	ck_assert_uint_eq(used_idx(), 2);	/* buffer 2 waits for more input */
	ck_assert_uint_eq(used_len(1), 6);
	ck_assert(!memcmp(g(DATA_GPA + 0x100), "y-late", 6));
	ck_assert(con_in("z"));
	ck_assert_uint_eq(used_idx(), 3);
	ck_assert_uint_eq(used_id(2), 2);
	ck_assert_uint_eq(used_len(2), 1);
	ck_assert_uint_eq(*g(DATA_GPA + 0x200), 'z');
	/* the pending buffer is bounded: full is refused, all or nothing */
	memset(big, 'q', sizeof(big));
	ck_assert(!virtio_console_input(&t, (const uint8_t *)big, sizeof(big)));
	ck_assert(virtio_console_input(&t, (const uint8_t *)big, sizeof(big) - 1));
	ck_assert(!con_in("r"));
	ck_assert_uint_eq(used_idx(), 3);
	/* an empty write-less chain is used with 0 and the input stays */
	desc(3, DATA_GPA + 0x300, 16, 0, 0);
	kick(3);
	ck_assert_uint_eq(used_idx(), 4);
	ck_assert_uint_eq(used_len(3), 0);
	ck_assert(!con_in("r"));
	desc(4, DATA_GPA + 0x1000, VIRTIO_CONSOLE_PENDING, VIRTQ_DESC_F_WRITE, 0);
	kick(4);
	ck_assert_uint_eq(used_idx(), 5);
	ck_assert_uint_eq(used_len(4), VIRTIO_CONSOLE_PENDING);
	ck_assert_uint_eq(*g(DATA_GPA + 0x1000 + VIRTIO_CONSOLE_PENDING - 1), 'q');
	ck_assert(con_in("r"));
	con_teardown();
}
END_TEST

START_TEST(console_adversarial)
{
	static const struct { uint64_t addr; uint32_t len; } bad[] = {
		{ GBASE + RAM_SIZE, 1 },
		{ GBASE + RAM_SIZE - 8, 9 },
		{ GBASE - 1, 2 },
		{ 0, 16 },
		{ UINT64_MAX - 7, 16 },
		{ GBASE + 0x100, 0xffffffffu },
	};
	unsigned int i, c;

	/* transmit: a bad buffer after a good one: nothing is output */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		con_setup(true);
		memcpy(g(DATA_GPA), "ok", 2);
		tx_desc(0, DATA_GPA, 2, VIRTQ_DESC_F_NEXT, 1);
		tx_desc(1, bad[i].addr, bad[i].len, 0, 0);
		tx_kick(0);
		ck_assert_msg(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET, "case %u", i);
		ck_assert_uint_eq(tx_used_idx(), 0);
		ck_assert_uint_eq(con_outlen, 0);
		/* nothing more is processed until reset */
		tx_desc(2, DATA_GPA, 2, 0, 0);
		tx_kick(2);
		ck_assert_uint_eq(tx_used_idx(), 0);
		ck_assert_uint_eq(con_outlen, 0);
		con_teardown();
	}
	/* receive: a bad buffer, with input pending */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		con_setup(true);
		ck_assert(con_in("input"));
		desc(0, DATA_GPA, 2, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
		desc(1, bad[i].addr, bad[i].len, VIRTQ_DESC_F_WRITE, 0);
		kick(0);
		ck_assert_msg(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET, "case %u", i);
		ck_assert_uint_eq(used_idx(), 0);
		ck_assert_uint_eq(get16(DATA_GPA), 0);
		ck_assert(con_in("x"));		/* kept; nothing touched */
		ck_assert_uint_eq(used_idx(), 0);
		con_teardown();
	}
	/* loops, out-of-table next and head, indirect, on both queues */
	for (c = 0; c < 8; c++) {
		con_setup(true);
		switch (c) {
		case 0:
			tx_desc(0, DATA_GPA, 1, VIRTQ_DESC_F_NEXT, 1);
			tx_desc(1, DATA_GPA, 1, VIRTQ_DESC_F_NEXT, 0);
			tx_kick(0);
			break;
		case 1:
			tx_desc(0, DATA_GPA, 1, VIRTQ_DESC_F_NEXT, QN);
			tx_kick(0);
			break;
		case 2:
			tx_kick(0xffff);
			break;
		case 3:
			tx_desc(0, DATA_GPA, 16, VIRTQ_DESC_F_INDIRECT, 0);
			tx_kick(0);
			break;
		case 4:
			con_in("a");
			desc(0, DATA_GPA, 1, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0);
			kick(0);
			break;
		case 5:
			con_in("a");
			kick(QN);
			break;
		case 6:		/* the index claims more than the queue holds */
			con_in("a");
			put16(AVAIL_GPA + 2, QN + 1);
			wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
			break;
		case 7:
			put16(TX_AVAIL_GPA + 2, QN + 1);
			wr(VIRTIO_MMIO_QUEUE_NOTIFY, 1);
			break;
		}
		ck_assert_msg(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET, "case %u", c);
		ck_assert(rd(VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_CONFIG);
		ck_assert_uint_eq(used_idx(), 0);
		ck_assert_uint_eq(tx_used_idx(), 0);
		ck_assert_uint_eq(con_outlen, 0);
		/* a notify of a queue that does not exist does nothing */
		wr(VIRTIO_MMIO_QUEUE_NOTIFY, 2);
		wr(VIRTIO_MMIO_STATUS, 0);
		ck_assert_uint_eq(rd(VIRTIO_MMIO_STATUS), 0);
		con_teardown();
	}
}
END_TEST

START_TEST(memmap_slots)
{
	struct memmap m;
	const struct region *r;
	unsigned int i;

	memmap_build(&m, 256 << 20, 1, true);
	ck_assert_int_eq(memmap_add_virtio(&m, "virtio-blk", 0), 0);
	ck_assert_int_eq(memmap_add_virtio(&m, "virtio-blk", 1), 1);
	ck_assert_int_eq(memmap_add_testdev(&m), 0);
	ck_assert_int_eq(memmap_add_virtio(&m, "virtio-rng", 0), 2);
	r = memmap_find(&m, 0x03000200);
	ck_assert_str_eq(r->device, "virtio-blk");
	ck_assert_uint_eq(r->base, 0x03000200);
	ck_assert_uint_eq(r->size, 0x200);
	ck_assert_int_eq(r->intid, VIRTIO_MMIO_INTID + 1);
	ck_assert_int_eq(r->arg, 1);
	r = memmap_find(&m, 0x03000400);
	ck_assert_str_eq(r->device, "virtio-rng");
	ck_assert_str_eq(memmap_find(&m, 0x03000600)->name, "virtio-mmio");	/* reserved */
	ck_assert_str_eq(memmap_find(&m, TESTDEV_BASE)->name, "testdev");
	for (i = 1; i < m.n; i++)
		ck_assert(m.r[i - 1].base + m.r[i - 1].size <= m.r[i].base);
	for (i = 3; i < VIRTIO_MMIO_MAX_SLOTS; i++)
		ck_assert_int_ge(memmap_add_virtio(&m, "virtio-rng", 0), 0);
	ck_assert_int_eq(memmap_add_virtio(&m, "virtio-rng", 0), -1);
}
END_TEST

/* ---- virtio-net: receiveq 0 at the default areas, transmitq 1, a fake backend ---- */
static struct virtio_net *net;
static uint8_t net_sent[16384];
static size_t net_sentlen;
static unsigned int net_nsent;

/* the first frames sent, each whole (HOST_TSO6's segments) */
static uint8_t net_seg[8][2048];
static size_t net_seglen[8];

static void fake_send(struct net_backend *nb, const uint8_t *hdr, const void *frame, size_t len)
{
	ck_assert_uint_le(len, sizeof(net_sent));
	memcpy(net_sent, frame, len);
	net_sentlen = len;
	if (net_nsent < 8 && len <= sizeof(net_seg[0])) {
		memcpy(net_seg[net_nsent], frame, len);
		net_seglen[net_nsent] = len;
	}
	net_nsent++;
	/* an immediate reply (an ARP answer, an ACK): delivered in the same notify */
	virtio_net_rx_queue(net, "reply", 5);
}

static void fake_free(struct net_backend *nb)
{
}

static struct net_backend fake_backend = { .send = fake_send, .free = fake_free };

/*
 * @tso4: the backend's offloads, offered and taken (e.g. HOST_TSO4 and
 * GUEST_TSO4); @mrg: the driver takes MRG_RXBUF (always offered)
 */
static void net_setup_offloads(uint32_t tso4, bool mrg)
{
	static const uint8_t mac[6] = { 0x02, 0x15, 0x15, 0x15, 0x15, 0x15 };

	setup_ram();
	tx_avail_idx = 0;
	net_sentlen = 0;
	net_nsent = 0;
	net = virtio_net_new(mac);
	ck_assert_ptr_nonnull(net);
	fake_backend.features = tso4;
	virtio_net_set_backend(net, &fake_backend);
	virtio_mmio_init(&t, &virtio_net_dev_ops, net, ram, GBASE, RAM_SIZE, irq, NULL);
	virtio_net_attach(&t, net);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_NET);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_FEATURES),
			  (1U << VIRTIO_NET_F_CSUM) | (1U << VIRTIO_NET_F_GUEST_CSUM) |
			  (1U << VIRTIO_NET_F_MAC) | (1U << VIRTIO_NET_F_STATUS) |
			  (1U << VIRTIO_NET_F_MRG_RXBUF) | tso4);
	/* config: the MAC, then status LINK_UP */
	ck_assert_uint_eq(virtio_mmio_read(&t, VIRTIO_MMIO_CONFIG, 1), 0x02);
	ck_assert_uint_eq(virtio_mmio_read(&t, VIRTIO_MMIO_CONFIG + 5, 1), 0x15);
	ck_assert_uint_eq(virtio_mmio_read(&t, VIRTIO_MMIO_CONFIG + 6, 2), VIRTIO_NET_S_LINK_UP);
	driver_up((1ULL << VIRTIO_F_VERSION_1) | (1ULL << VIRTIO_NET_F_MAC) |
		  (1ULL << VIRTIO_NET_F_STATUS) | (1ULL << VIRTIO_NET_F_CSUM) |
		  (1ULL << VIRTIO_NET_F_GUEST_CSUM) | tso4 |
		  (mrg ? 1ULL << VIRTIO_NET_F_MRG_RXBUF : 0));
	queue_setup_sel(1, QN, TX_DESC_GPA, TX_AVAIL_GPA, TX_USED_GPA);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_READY), 1);
}

/*
 * @tso: a backend that takes TSO segments (HOST_TSO4 and GUEST_TSO4 offered
 * and taken); @mrg: the driver takes MRG_RXBUF (always offered)
 */
static void net_setup_feat(bool tso, bool mrg)
{
	net_setup_offloads(tso ? (1U << VIRTIO_NET_F_HOST_TSO4) | (1U << VIRTIO_NET_F_GUEST_TSO4) :
				 0, mrg);
}

static void net_setup_tso(bool tso)
{
	net_setup_feat(tso, false);
}

static void net_setup(void)
{
	net_setup_tso(false);
}

static void net_teardown(void)
{
	virtio_mmio_destroy(&t);
	virtio_net_free(net);
	net = NULL;
	free(ram);
}

START_TEST(net_transmit_receive)
{
	uint8_t frame[60];
	unsigned int i;

	net_setup();
	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)i;
	/* header and frame split over two descriptors, the frame's start in the first */
	memset(g(DATA_GPA), 0, VIRTIO_NET_HDR_SIZE);
	memcpy(g(DATA_GPA + VIRTIO_NET_HDR_SIZE), frame, 10);
	memcpy(g(DATA_GPA + 0x100), frame + 10, 50);
	tx_desc(0, DATA_GPA, VIRTIO_NET_HDR_SIZE + 10, VIRTQ_DESC_F_NEXT, 1);
	tx_desc(1, DATA_GPA + 0x100, 50, 0, 0);
	/* no receive buffer yet: the reply waits */
	tx_kick(0);
	ck_assert_uint_eq(tx_used_idx(), 1);
	ck_assert_uint_eq(net_nsent, 1);
	ck_assert_uint_eq(net_sentlen, 60);
	ck_assert(!memcmp(net_sent, frame, 60));
	ck_assert_uint_eq(used_idx(), 0);
	/* a receive buffer: the reply, after a zero header with num_buffers 1 */
	memset(g(DATA_GPA + 0x1000), 0xee, 0x800);
	desc(0, DATA_GPA + 0x1000, 1526, VIRTQ_DESC_F_WRITE, 0);
	kick(0);
	ck_assert_uint_eq(used_idx(), 1);
	ck_assert_uint_eq(used_len(0), VIRTIO_NET_HDR_SIZE + 5);
	ck_assert_uint_eq(get16(DATA_GPA + 0x1000), 0);		/* flags, gso_type */
	ck_assert_uint_eq(get16(DATA_GPA + 0x1000 + 10), 1);		/* num_buffers */
	ck_assert(!memcmp(g(DATA_GPA + 0x1000 + VIRTIO_NET_HDR_SIZE), "reply", 5));
	ck_assert_uint_eq(*g(DATA_GPA + 0x1000 + VIRTIO_NET_HDR_SIZE + 5), 0xee);
	ck_assert_int_eq(irq_level, 1);
	/* a frame posted first is delivered by the flush a backend thread does */
	ck_assert(virtio_net_rx_queue(net, frame, sizeof(frame)));
	desc(1, DATA_GPA + 0x2000, 8, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
	desc(2, DATA_GPA + 0x3800, 1518, VIRTQ_DESC_F_WRITE, 0);
	kick(1);
	ck_assert_uint_eq(used_idx(), 2);
	ck_assert_uint_eq(used_len(1), VIRTIO_NET_HDR_SIZE + 60);
	ck_assert(!memcmp(g(DATA_GPA + 0x3800 + 4), frame, 60));
	ck_assert(virtio_net_rx_queue(net, frame, 20));
	virtio_net_rx_flush(net);		/* no buffer: kept */
	desc(3, DATA_GPA + 0x2000, 64, VIRTQ_DESC_F_WRITE, 0);
	put16(AVAIL_GPA + 4 + 2 * (avail_idx % QN), 3);
	put16(AVAIL_GPA + 2, ++avail_idx);
	virtio_net_rx_flush(net);		/* as the backend's thread would */
	ck_assert_uint_eq(used_idx(), 3);
	ck_assert_uint_eq(used_len(2), VIRTIO_NET_HDR_SIZE + 20);
	net_teardown();
}
END_TEST

/* What does not fit is dropped, never written past a buffer nor fatal. */
START_TEST(net_bad_chains)
{
	uint8_t big[1514];

	net_setup();
	/* transmit chains of a header or less, and with no readable byte */
	tx_desc(0, DATA_GPA, VIRTIO_NET_HDR_SIZE, 0, 0);
	tx_desc(1, DATA_GPA, 4, 0, 0);
	tx_desc(2, DATA_GPA, 100, VIRTQ_DESC_F_WRITE, 0);
	tx_kick(0);
	tx_kick(1);
	tx_kick(2);
	ck_assert_uint_eq(tx_used_idx(), 3);
	ck_assert_uint_eq(net_nsent, 0);
	/* a receive chain too small for the frame: used empty, the frame dropped */
	memset(big, 0x5a, sizeof(big));
	ck_assert(virtio_net_rx_queue(net, big, sizeof(big)));
	memset(g(DATA_GPA + 0x1000), 0xee, 0x800);
	desc(0, DATA_GPA + 0x1000, 1000, VIRTQ_DESC_F_WRITE, 0);
	kick(0);
	ck_assert_uint_eq(used_idx(), 1);
	ck_assert_uint_eq(used_len(0), 0);
	ck_assert_uint_eq(*g(DATA_GPA + 0x1000), 0xee);
	/* a device-readable receive buffer takes nothing either */
	ck_assert(virtio_net_rx_queue(net, big, 20));
	desc(1, DATA_GPA + 0x1000, 1000, 0, 0);
	kick(1);
	ck_assert_uint_eq(used_idx(), 2);
	ck_assert_uint_eq(used_len(1), 0);
	ck_assert_uint_eq(*g(DATA_GPA + 0x1000), 0xee);
	/* frames beyond the queue's bound are refused */
	while (virtio_net_rx_queue(net, big, 20))
		;
	ck_assert(!virtio_net_rx_wait_room(net, 1));
	ck_assert(!(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET));
	net_teardown();
}
END_TEST

/* RFC 1071's sum, written apart from the device's (bytes in pairs, folded at the end) */
static uint16_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i < len; i++)
		sum += i & 1 ? p[i] : (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * The Ethernet and IPv4 headers of a frame 10.0.2.15:1234 -> 10.0.2.2:5678
 * to the MAC of bytes @dst, protocol @proto, IP id @id, @l4 bytes after
 * the IP header; the ports written, the rest of the L4 header zero.
 */
static void ipv4_frame(uint8_t *f, uint8_t dst, uint8_t proto, uint8_t id, size_t l4)
{
	static const uint8_t ip[20] = { 0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 0, 0, 0,
					10, 0, 2, 15, 10, 0, 2, 2 };
	uint16_t c;

	memset(f, dst, 6);
	memset(f + 6, 0x02, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memcpy(f + 14, ip, 20);
	f[16] = (uint8_t)((20 + l4) >> 8);
	f[17] = (uint8_t)(20 + l4);
	f[19] = id;
	f[23] = proto;
	c = (uint16_t)~sum16(f + 14, 20, 0);
	f[24] = (uint8_t)(c >> 8);
	f[25] = (uint8_t)c;
	memset(f + 34, 0, proto == 6 ? 20 : 8);
	f[34] = 0x04; f[35] = 0xd2; f[36] = 0x16; f[37] = 0x2e;
}

/* An IPv4 UDP frame 10.0.2.15:1234 -> 10.0.2.2:5678 with @n payload bytes. */
static size_t udp_frame(uint8_t *f, size_t n)
{
	size_t i, l4 = 8 + n;
	uint16_t c;

	ipv4_frame(f, 0xff, 17, 1, l4);
	f[38] = (uint8_t)(l4 >> 8);
	f[39] = (uint8_t)l4;
	for (i = 0; i < n; i++)
		f[42 + i] = (uint8_t)(i * 7 + 3);
	/* CHECKSUM_PARTIAL: the field holds the pseudo-header's sum, not complemented */
	c = sum16(f + 26, 8, 17 + (uint32_t)l4);
	f[40] = (uint8_t)(c >> 8);
	f[41] = (uint8_t)c;
	return 42 + n;
}

/* The UDP checksum of a frame of udp_frame()'s shape verifies. */
static bool udp_ok(const uint8_t *f, size_t len)
{
	return sum16(f + 34, len - 34, sum16(f + 26, 8, 17 + (uint32_t)(len - 34))) == 0xffff;
}

/* NEEDS_CSUM done on the host; DATA_VALID only on a checksum that verifies */
START_TEST(net_checksum_offloads)
{
	uint8_t f[200], sent[200];
	size_t len = udp_frame(f, 101);	/* odd: the last byte padded */

	net_setup();
	ck_assert(!udp_ok(f, len));
	memset(g(DATA_GPA), 0, VIRTIO_NET_HDR_SIZE);
	*g(DATA_GPA) = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	put16(DATA_GPA + 6, 34);	/* csum_start: the UDP header */
	put16(DATA_GPA + 8, 6);		/* csum_offset: its checksum */
	memcpy(g(DATA_GPA + VIRTIO_NET_HDR_SIZE), f, len);
	tx_desc(0, DATA_GPA, VIRTIO_NET_HDR_SIZE + (uint32_t)len, 0, 0);
	tx_kick(0);
	ck_assert_uint_eq(net_nsent, 1);
	ck_assert_uint_eq(net_sentlen, len);
	ck_assert(udp_ok(net_sent, len));
	ck_assert(!memcmp(net_sent, f, 40));	/* only the checksum changed */
	ck_assert(!memcmp(net_sent + 42, f + 42, len - 42));
	memcpy(sent, net_sent, len);
	/* csum_start/offset outside the frame, or a GSO type: dropped */
	put16(DATA_GPA + 6, (uint16_t)(len - 1));
	tx_kick(0);
	*g(DATA_GPA) = 0;
	*g(DATA_GPA + 1) = 1;		/* VIRTIO_NET_HDR_GSO_TCPV4 */
	tx_kick(0);
	ck_assert_uint_eq(tx_used_idx(), 3);
	ck_assert_uint_eq(net_nsent, 1);
	/* received: the valid frame is DATA_VALID; one with a flipped byte, and ARP, are not */
	desc(0, DATA_GPA + 0x1000, 0x400, VIRTQ_DESC_F_WRITE, 0);
	kick(0);
	ck_assert_uint_eq(used_idx(), 1);	/* the one transmission's reply */
	ck_assert_uint_eq(used_len(0), VIRTIO_NET_HDR_SIZE + 5);
	ck_assert_uint_eq(*g(DATA_GPA + 0x1000), 0);
	ck_assert(virtio_net_rx_queue(net, sent, len));
	sent[60] ^= 1;
	ck_assert(virtio_net_rx_queue(net, sent, len));
	sent[12] = 0x08;
	sent[13] = 0x06;
	ck_assert(virtio_net_rx_queue(net, sent, len));
	desc(4, DATA_GPA + 0x2000, 0x400, VIRTQ_DESC_F_WRITE, 0);
	desc(5, DATA_GPA + 0x2400, 0x400, VIRTQ_DESC_F_WRITE, 0);
	desc(6, DATA_GPA + 0x2800, 0x400, VIRTQ_DESC_F_WRITE, 0);
	kick(4);
	kick(5);
	kick(6);
	ck_assert_uint_eq(used_idx(), 4);
	ck_assert_uint_eq(*g(DATA_GPA + 0x2000), VIRTIO_NET_HDR_F_DATA_VALID);
	ck_assert_uint_eq(*g(DATA_GPA + 0x2400), 0);
	ck_assert_uint_eq(*g(DATA_GPA + 0x2800), 0);
	net_teardown();
}
END_TEST

/* An IPv4 TCP frame 10.0.2.15:1234 -> 10.0.2.2:5678 with @n payload bytes (checksum partial). */
static size_t tcp_frame(uint8_t *f, size_t n)
{
	size_t i, l4 = 20 + n;
	uint16_t c;

	ipv4_frame(f, 0x52, 6, 2, l4);
	f[41] = 1;			/* seq 1 */
	f[46] = 0x50;			/* data offset: 5 words */
	f[47] = 0x18;			/* PSH, ACK */
	f[48] = 0xff; f[49] = 0xff;	/* window */
	for (i = 0; i < n; i++)
		f[54 + i] = (uint8_t)(i * 13 + 5);
	c = sum16(f + 26, 8, 6 + (uint32_t)l4);
	f[50] = (uint8_t)(c >> 8);
	f[51] = (uint8_t)c;
	return 54 + n;
}

/* TCPv4 TSO (HOST_TSO4): a segment beyond the MTU goes out whole, its checksum done */
START_TEST(net_host_tso4)
{
	static uint8_t f[9000];
	size_t len = tcp_frame(f, 8001);
	unsigned int sent;

	net_setup_tso(true);
	memset(g(DATA_GPA), 0, VIRTIO_NET_HDR_SIZE);
	*g(DATA_GPA) = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	*g(DATA_GPA + 1) = VIRTIO_NET_HDR_GSO_TCPV4;
	put16(DATA_GPA + 2, 54);	/* hdr_len */
	put16(DATA_GPA + 4, 1460);	/* gso_size */
	put16(DATA_GPA + 6, 34);	/* csum_start: the TCP header */
	put16(DATA_GPA + 8, 16);	/* csum_offset: its checksum */
	memcpy(g(DATA_GPA + VIRTIO_NET_HDR_SIZE), f, 100);
	memcpy(g(DATA_GPA + 0x1000), f + 100, len - 100);
	tx_desc(0, DATA_GPA, VIRTIO_NET_HDR_SIZE + 100, VIRTQ_DESC_F_NEXT, 1);
	tx_desc(1, DATA_GPA + 0x1000, (uint32_t)len - 100, 0, 0);
	tx_kick(0);
	ck_assert_uint_eq(net_nsent, 1);
	ck_assert_uint_eq(net_sentlen, len);
	ck_assert_uint_eq(sum16(net_sent + 34, len - 34, sum16(net_sent + 26, 8, 6 + (uint32_t)(len - 34))),
			  0xffff);
	ck_assert(!memcmp(net_sent, f, 50));
	ck_assert(!memcmp(net_sent + 52, f + 52, len - 52));
	sent = net_nsent;
	/* dropped: ECN (HOST_ECN not offered), UDP's GSO type, no NEEDS_CSUM */
	*g(DATA_GPA + 1) = VIRTIO_NET_HDR_GSO_TCPV4 | 0x80;
	tx_kick(0);
	*g(DATA_GPA + 1) = 3;		/* VIRTIO_NET_HDR_GSO_UDP */
	tx_kick(0);
	*g(DATA_GPA + 1) = VIRTIO_NET_HDR_GSO_TCPV4;
	*g(DATA_GPA) = 0;
	tx_kick(0);
	ck_assert_uint_eq(net_nsent, sent);
	/* dropped: an IP total length that is not the frame's, a UDP packet, a fragment */
	*g(DATA_GPA) = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	tx_desc(1, DATA_GPA + 0x1000, (uint32_t)len - 101, 0, 0);
	tx_kick(0);
	tx_desc(1, DATA_GPA + 0x1000, (uint32_t)len - 100, 0, 0);
	*g(DATA_GPA + VIRTIO_NET_HDR_SIZE + 23) = 17;
	tx_kick(0);
	*g(DATA_GPA + VIRTIO_NET_HDR_SIZE + 23) = 6;
	*g(DATA_GPA + VIRTIO_NET_HDR_SIZE + 20) = 0x20;	/* more fragments */
	tx_kick(0);
	ck_assert_uint_eq(net_nsent, sent);
	/* and the segment as it was goes out again */
	*g(DATA_GPA + VIRTIO_NET_HDR_SIZE + 20) = 0x40;
	tx_kick(0);
	ck_assert_uint_eq(net_nsent, sent + 1);
	ck_assert_uint_eq(net_sentlen, len);
	ck_assert_uint_eq(tx_used_idx(), 8);
	ck_assert(!(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET));
	net_teardown();
}
END_TEST

/*
 * A TCPv6 frame fec0::15 port 1234 -> fec0::2 port 5678 with @n payload
 * bytes, seq 0x10000fff (the stream's bytes numbered from it), flags CWR,
 * PSH, ACK and FIN, a 12-byte TCP option (thl 32), the checksum field
 * holding the pseudo-header's sum as Linux leaves it for NEEDS_CSUM.
 */
static size_t tcp6_frame(uint8_t *f, size_t n)
{
	size_t i, l4 = 32 + n;
	uint16_t c;

	memset(f, 0, 86);
	memset(f, 0x52, 6);
	memset(f + 6, 0x02, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	f[14] = 0x60;
	f[18] = (uint8_t)(l4 >> 8);
	f[19] = (uint8_t)l4;
	f[20] = 6;			/* next header: TCP */
	f[21] = 64;
	f[22] = f[38] = 0xfe;
	f[23] = f[39] = 0xc0;
	f[37] = 0x15;
	f[53] = 2;
	f[54] = 0x04; f[55] = 0xd2;	/* 1234 */
	f[56] = 0x16; f[57] = 0x2e;	/* 5678 */
	f[58] = 0x10; f[61] = 0xff; f[60] = 0x0f;
	f[66] = 0x80;			/* data offset: 8 words */
	f[67] = 0x80 | 0x18 | 0x01;	/* CWR, PSH, ACK, FIN */
	f[68] = 0xff; f[69] = 0xff;
	f[74] = 1; f[75] = 1; f[76] = 8; f[77] = 10;	/* NOP NOP timestamps */
	for (i = 0; i < n; i++)
		f[86 + i] = (uint8_t)(0x0fff + i);
	c = sum16(f + 22, 32, 6 + (uint32_t)l4);
	f[70] = (uint8_t)(c >> 8);
	f[71] = (uint8_t)c;
	return 86 + n;
}

/*
 * TCPv6 TSO (HOST_TSO6) to a backend without a vnet header: the frame goes
 * as MSS-sized segments, each with its own payload length, sequence number
 * and checksum, CWR only in the first and PSH and FIN only in the last.
 */
START_TEST(net_host_tso6)
{
	static uint8_t f[9000];
	size_t len = tcp6_frame(f, 3000), i, off;
	unsigned int sent;

	net_setup_offloads((1U << VIRTIO_NET_F_HOST_TSO4) | (1U << VIRTIO_NET_F_HOST_TSO6), false);
	memset(g(DATA_GPA), 0, VIRTIO_NET_HDR_SIZE);
	*g(DATA_GPA) = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	*g(DATA_GPA + 1) = VIRTIO_NET_HDR_GSO_TCPV6;
	put16(DATA_GPA + 2, 86);	/* hdr_len */
	put16(DATA_GPA + 4, 1208);	/* gso_size: 1208 + 1208 + 584 */
	put16(DATA_GPA + 6, 54);	/* csum_start: the TCP header */
	put16(DATA_GPA + 8, 16);	/* csum_offset: its checksum */
	memcpy(g(DATA_GPA + VIRTIO_NET_HDR_SIZE), f, 100);
	memcpy(g(DATA_GPA + 0x1000), f + 100, len - 100);
	tx_desc(0, DATA_GPA, VIRTIO_NET_HDR_SIZE + 100, VIRTQ_DESC_F_NEXT, 1);
	tx_desc(1, DATA_GPA + 0x1000, (uint32_t)len - 100, 0, 0);
	tx_kick(0);
	ck_assert_uint_eq(net_nsent, 3);
	for (i = 0, off = 0; i < 3; i++) {
		const uint8_t *s = net_seg[i];
		size_t plen = i < 2 ? 1208 : 584, l4 = 32 + plen;
		uint32_t seq = 0x10000fff + (uint32_t)off;

		ck_assert_uint_eq(net_seglen[i], 86 + plen);
		ck_assert(!memcmp(s, f, 18));			/* MACs, type, version */
		ck_assert_uint_eq(s[18] << 8 | s[19], l4);	/* payload length */
		ck_assert(!memcmp(s + 20, f + 20, 38));		/* addresses, ports */
		ck_assert_uint_eq((uint32_t)s[58] << 24 | s[59] << 16 | s[60] << 8 | s[61], seq);
		ck_assert(!memcmp(s + 62, f + 62, 5));		/* ack, data offset */
		ck_assert_uint_eq(s[67], i == 0 ? 0x90 : i == 1 ? 0x10 : 0x19);
		ck_assert(!memcmp(s + 68, f + 68, 2));		/* window */
		ck_assert(!memcmp(s + 72, f + 72, 14));		/* options */
		ck_assert(!memcmp(s + 86, f + 86 + off, plen));
		ck_assert_uint_eq(sum16(s + 54, l4, sum16(s + 22, 32, 6 + (uint32_t)l4)), 0xffff);
		off += plen;
	}
	sent = net_nsent;
	/* dropped: no NEEDS_CSUM, gso_size 0, ECN, an IPv6 length not the frame's,
	 * an extension header */
	*g(DATA_GPA) = 0;
	tx_kick(0);
	*g(DATA_GPA) = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	put16(DATA_GPA + 4, 0);
	tx_kick(0);
	put16(DATA_GPA + 4, 1208);
	*g(DATA_GPA + 1) = VIRTIO_NET_HDR_GSO_TCPV6 | VIRTIO_NET_HDR_GSO_ECN;
	tx_kick(0);
	*g(DATA_GPA + 1) = VIRTIO_NET_HDR_GSO_TCPV6;
	tx_desc(1, DATA_GPA + 0x1000, (uint32_t)len - 101, 0, 0);
	tx_kick(0);
	tx_desc(1, DATA_GPA + 0x1000, (uint32_t)len - 100, 0, 0);
	*g(DATA_GPA + VIRTIO_NET_HDR_SIZE + 20) = 0;	/* hop-by-hop options */
	tx_kick(0);
	ck_assert_uint_eq(net_nsent, sent);
	/* a GSO frame of one segment's payload goes as one */
	*g(DATA_GPA + VIRTIO_NET_HDR_SIZE + 20) = 6;
	put16(DATA_GPA + 4, 3000);
	tx_kick(0);
	ck_assert_uint_eq(net_nsent, sent + 1);
	ck_assert_uint_eq(net_sentlen, len);
	ck_assert_uint_eq(tx_used_idx(), 7);
	ck_assert(!(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET));
	net_teardown();
	/* without HOST_TSO6 offered, a TCPv6 GSO frame is dropped */
	net_setup_tso(true);
	memset(g(DATA_GPA), 0, VIRTIO_NET_HDR_SIZE);
	*g(DATA_GPA) = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	*g(DATA_GPA + 1) = VIRTIO_NET_HDR_GSO_TCPV6;
	put16(DATA_GPA + 4, 1208);
	put16(DATA_GPA + 6, 54);
	put16(DATA_GPA + 8, 16);
	memcpy(g(DATA_GPA + VIRTIO_NET_HDR_SIZE), f, 100);
	tx_desc(0, DATA_GPA, VIRTIO_NET_HDR_SIZE + 100, VIRTQ_DESC_F_NEXT, 1);
	tx_desc(1, DATA_GPA + 0x1000, (uint32_t)len - 100, 0, 0);
	tx_kick(0);
	ck_assert_uint_eq(net_nsent, 0);
	net_teardown();
}
END_TEST

/*
 * A TCP segment for the guest, tcp_frame()'s but for source port @port,
 * sequence number @seq, @n payload bytes that number the stream's bytes,
 * flags @flags, and both checksums complete.
 */
static size_t rx_seg(uint8_t *f, uint16_t port, uint32_t seq, size_t n, uint8_t flags)
{
	size_t len = tcp_frame(f, n), i;
	uint16_t c;

	f[34] = (uint8_t)(port >> 8);
	f[35] = (uint8_t)port;
	f[38] = (uint8_t)(seq >> 24);
	f[39] = (uint8_t)(seq >> 16);
	f[40] = (uint8_t)(seq >> 8);
	f[41] = (uint8_t)seq;
	f[47] = flags;
	for (i = 0; i < n; i++)
		f[54 + i] = (uint8_t)(seq + i);
	f[50] = f[51] = 0;
	c = (uint16_t)~sum16(f + 34, len - 34, sum16(f + 26, 8, 6 + (uint32_t)(len - 34)));
	f[50] = (uint8_t)(c >> 8);
	f[51] = (uint8_t)c;
	return len;
}

/*
 * A TCPv6 segment for the guest: tcp6_frame()'s with sequence number
 * @seq, @n payload bytes numbering the stream's bytes, flags @flags, hop
 * limit @hops, its checksum complete.
 */
static size_t rx_seg6(uint8_t *f, uint32_t seq, size_t n, uint8_t flags, uint8_t hops)
{
	size_t len = tcp6_frame(f, n), i;
	uint16_t c;

	f[21] = hops;
	f[58] = (uint8_t)(seq >> 24);
	f[59] = (uint8_t)(seq >> 16);
	f[60] = (uint8_t)(seq >> 8);
	f[61] = (uint8_t)seq;
	f[67] = flags;
	for (i = 0; i < n; i++)
		f[86 + i] = (uint8_t)(seq + i);
	f[70] = f[71] = 0;
	c = (uint16_t)~sum16(f + 54, len - 54, sum16(f + 22, 32, 6 + (uint32_t)(len - 54)));
	f[70] = (uint8_t)(c >> 8);
	f[71] = (uint8_t)c;
	return len;
}

/* receive chain @i: 0x800 bytes at DATA_GPA + 0x800 i */
#define RX_AT(i)	(DATA_GPA + 0x800 * (i))

/* queue rx_seg()'s segment for the guest; @bad: a payload bit flipped */
static void rx_queue(uint16_t port, uint32_t seq, size_t n, uint8_t flags, bool bad)
{
	uint8_t f[1600];
	size_t len = rx_seg(f, port, seq, n, flags);

	f[len - 1] ^= bad;
	ck_assert(virtio_net_rx_queue(net, f, len));
}

static void rx_queue6(uint32_t seq, size_t n, uint8_t flags, uint8_t hops)
{
	uint8_t f[1600];

	ck_assert(virtio_net_rx_queue(net, f, rx_seg6(f, seq, n, flags, hops)));
}

/*
 * GUEST_TSO6: the same for IPv6, the hop limit and flow label alike too;
 * and GUEST_CSUM's DATA_VALID for IPv6 frames that go alone
 */
START_TEST(net_guest_tso6)
{
	uint32_t i;
	uint8_t *m;

	net_setup_offloads((1U << VIRTIO_NET_F_GUEST_TSO4) | (1U << VIRTIO_NET_F_GUEST_TSO6), false);
	/* 100 + 100 + 60 (PSH) join; another hop limit does not; a gap does not */
	rx_queue6(1000, 100, 0x10, 64);
	rx_queue6(1100, 100, 0x10, 64);
	rx_queue6(1200, 60, 0x18, 64);
	rx_queue6(1260, 100, 0x10, 64);
	rx_queue6(1360, 100, 0x10, 63);
	rx_queue6(1460, 100, 0x10, 63);
	rx_queue6(1600, 100, 0x10, 63);
	for (i = 0; i < 4; i++)
		desc(i, RX_AT(i), 0x800, VIRTQ_DESC_F_WRITE, 0);
	for (i = 0; i < 4; i++)
		kick((uint16_t)i);
	ck_assert_uint_eq(used_idx(), 4);
	ck_assert_uint_eq(used_len(0), VIRTIO_NET_HDR_SIZE + 86 + 260);
	ck_assert_uint_eq(*g(RX_AT(0)), VIRTIO_NET_HDR_F_DATA_VALID);
	ck_assert_uint_eq(*g(RX_AT(0) + 1), VIRTIO_NET_HDR_GSO_TCPV6);
	ck_assert_uint_eq(get16(RX_AT(0) + 2), 86);		/* hdr_len */
	ck_assert_uint_eq(get16(RX_AT(0) + 4), 100);		/* gso_size */
	m = g(RX_AT(0) + VIRTIO_NET_HDR_SIZE);
	ck_assert_uint_eq(m[18] << 8 | m[19], 32 + 260);	/* payload length */
	ck_assert_uint_eq(sum16(m + 54, 32 + 260, sum16(m + 22, 32, 6 + 32 + 260)), 0xffff);
	ck_assert_uint_eq(m[67], 0x18);				/* the last one's PSH */
	for (i = 0; i < 260; i++)
		ck_assert_uint_eq(m[86 + i], (uint8_t)(1000 + i));
	/* 1260 alone (1360's hop limit differs), 1360 + 1460, 1600 alone (a gap) */
	ck_assert_uint_eq(used_len(1), VIRTIO_NET_HDR_SIZE + 186);
	ck_assert_uint_eq(*g(RX_AT(1)), VIRTIO_NET_HDR_F_DATA_VALID);	/* verified alone too */
	ck_assert_uint_eq(*g(RX_AT(1) + 1), VIRTIO_NET_HDR_GSO_NONE);
	ck_assert_uint_eq(used_len(2), VIRTIO_NET_HDR_SIZE + 286);
	ck_assert_uint_eq(*g(RX_AT(2) + 1), VIRTIO_NET_HDR_GSO_TCPV6);
	ck_assert_uint_eq(used_len(3), VIRTIO_NET_HDR_SIZE + 186);
	ck_assert_uint_eq(*g(RX_AT(3) + 1), VIRTIO_NET_HDR_GSO_NONE);
	/* another flow label, a bad checksum: nothing joined */
	rx_queue6(2000, 100, 0x10, 64);
	{
		uint8_t f[1600];
		size_t len = rx_seg6(f, 2100, 100, 0x10, 64);

		f[16] = 0x55;		/* flow label (not in the checksum) */
		ck_assert(virtio_net_rx_queue(net, f, len));
		len = rx_seg6(f, 2200, 100, 0x10, 64);
		f[len - 1] ^= 1;
		ck_assert(virtio_net_rx_queue(net, f, len));
	}
	for (i = 4; i < 7; i++) {
		desc(i, RX_AT(i), 0x800, VIRTQ_DESC_F_WRITE, 0);
		kick((uint16_t)i);
	}
	ck_assert_uint_eq(used_idx(), 7);
	for (i = 4; i < 7; i++) {
		ck_assert_uint_eq(used_len(i), VIRTIO_NET_HDR_SIZE + 186);
		ck_assert_uint_eq(*g(RX_AT(i) + 1), VIRTIO_NET_HDR_GSO_NONE);
		ck_assert_uint_eq(*g(RX_AT(i)), i < 6 ? VIRTIO_NET_HDR_F_DATA_VALID : 0);
	}
	/* UDPv6: a checksum that verifies is DATA_VALID, 0 (none) is not */
	{
		uint8_t f[200];
		size_t len = tcp6_frame(f, 100);
		uint16_t c;

		f[20] = 17;
		f[18] = 0;
		f[19] = 108;			/* 8 + 100 */
		len = 54 + 108;
		f[58] = 0;
		f[59] = 108;
		f[60] = f[61] = 0;
		c = (uint16_t)~sum16(f + 54, 108, sum16(f + 22, 32, 17 + 108));
		f[60] = (uint8_t)(c >> 8);
		f[61] = (uint8_t)c;
		ck_assert(virtio_net_rx_queue(net, f, len));
		f[60] = f[61] = 0;
		ck_assert(virtio_net_rx_queue(net, f, len));
	}
	for (i = 0; i < 2; i++) {
		desc(i, RX_AT(i), 0x800, VIRTQ_DESC_F_WRITE, 0);
		kick((uint16_t)i);
	}
	ck_assert_uint_eq(used_idx(), 9);
	ck_assert_uint_eq(used_len(7), VIRTIO_NET_HDR_SIZE + 162);
	ck_assert_uint_eq(*g(RX_AT(0)), VIRTIO_NET_HDR_F_DATA_VALID);
	ck_assert_uint_eq(*g(RX_AT(1)), 0);
	ck_assert(!(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET));
	net_teardown();
	/* GUEST_TSO4 alone: IPv6 segments are not joined */
	net_setup_tso(true);
	rx_queue6(1000, 100, 0x10, 64);
	rx_queue6(1100, 100, 0x10, 64);
	desc(0, RX_AT(0), 0x800, VIRTQ_DESC_F_WRITE, 0);
	kick(0);
	ck_assert_uint_eq(used_idx(), 1);
	ck_assert_uint_eq(used_len(0), VIRTIO_NET_HDR_SIZE + 186);
	net_teardown();
}
END_TEST

/* GUEST_TSO4: contiguous segments of a flow become one GSO frame, as GRO would join them */
START_TEST(net_guest_tso4)
{
	uint32_t i;
	uint8_t *m;

	net_setup_tso(true);
	/* 100 + 100 + 60 (PSH) join; then one alone; another flow; a gap; a bad checksum */
	rx_queue(1234, 1000, 100, 0x10, false);
	rx_queue(1234, 1100, 100, 0x10, false);
	rx_queue(1234, 1200, 60, 0x18, false);
	rx_queue(1234, 1260, 100, 0x10, false);
	rx_queue(1235, 1360, 100, 0x10, false);
	rx_queue(1235, 5000, 100, 0x10, false);
	for (i = 0; i < 4; i++)
		desc(i, RX_AT(i), 0x800, VIRTQ_DESC_F_WRITE, 0);
	for (i = 0; i < 4; i++)
		kick((uint16_t)i);
	ck_assert_uint_eq(used_idx(), 4);
	ck_assert_uint_eq(used_len(0), VIRTIO_NET_HDR_SIZE + 54 + 260);
	ck_assert_uint_eq(*g(RX_AT(0)), VIRTIO_NET_HDR_F_DATA_VALID);
	ck_assert_uint_eq(*g(RX_AT(0) + 1), VIRTIO_NET_HDR_GSO_TCPV4);
	ck_assert_uint_eq(get16(RX_AT(0) + 2), 54);		/* hdr_len */
	ck_assert_uint_eq(get16(RX_AT(0) + 4), 100);		/* gso_size */
	m = g(RX_AT(0) + VIRTIO_NET_HDR_SIZE);
	ck_assert_uint_eq(m[16] << 8 | m[17], 20 + 20 + 260);	/* IPv4 total length */
	ck_assert_uint_eq(sum16(m + 14, 20, 0), 0xffff);
	ck_assert_uint_eq(sum16(m + 34, 20 + 260, sum16(m + 26, 8, 6 + 20 + 260)), 0xffff);
	ck_assert_uint_eq(m[47], 0x18);				/* the last one's PSH */
	for (i = 0; i < 260; i++)
		ck_assert_uint_eq(m[54 + i], (uint8_t)(1000 + i));
	/* each of the rest alone, as it came */
	for (i = 1; i < 4; i++) {
		ck_assert_uint_eq(used_len(i), VIRTIO_NET_HDR_SIZE + 154);
		ck_assert_uint_eq(*g(RX_AT(i)), VIRTIO_NET_HDR_F_DATA_VALID);
		ck_assert_uint_eq(*g(RX_AT(i) + 1), VIRTIO_NET_HDR_GSO_NONE);
		ck_assert_uint_eq(get16(RX_AT(i) + 4), 0);
	}
	ck_assert_uint_eq(*g(RX_AT(3) + VIRTIO_NET_HDR_SIZE + 41), (uint8_t)5000);
	/* a chain with room for one segment takes it alone; the next takes the rest */
	rx_queue(1234, 1360, 100, 0x10, false);
	rx_queue(1234, 1460, 100, 0x10, false);
	rx_queue(1234, 1560, 100, 0x10, false);
	desc(4, RX_AT(4), VIRTIO_NET_HDR_SIZE + 154 + 99, VIRTQ_DESC_F_WRITE, 0);
	desc(5, RX_AT(5), 0x800, VIRTQ_DESC_F_WRITE, 0);
	kick(4);
	kick(5);
	ck_assert_uint_eq(used_idx(), 6);
	ck_assert_uint_eq(used_len(4), VIRTIO_NET_HDR_SIZE + 154);
	ck_assert_uint_eq(*g(RX_AT(4) + 1), VIRTIO_NET_HDR_GSO_NONE);
	ck_assert_uint_eq(used_len(5), VIRTIO_NET_HDR_SIZE + 254);
	ck_assert_uint_eq(*g(RX_AT(5) + 1), VIRTIO_NET_HDR_GSO_TCPV4);
	/* a bad checksum, a SYN and a longer second segment join nothing */
	rx_queue(1234, 1660, 100, 0x10, false);
	rx_queue(1234, 1760, 100, 0x10, false);
	rx_queue(1234, 1860, 100, 0x10, true);
	rx_queue(1234, 1960, 100, 0x12, false);
	rx_queue(1234, 2060, 50, 0x10, false);
	rx_queue(1234, 2110, 100, 0x10, false);
	for (i = 6; i < 8; i++)
		desc(i, RX_AT(i), 0x800, VIRTQ_DESC_F_WRITE, 0);
	kick(6);
	kick(7);
	ck_assert_uint_eq(used_idx(), 8);
	ck_assert_uint_eq(used_len(6), VIRTIO_NET_HDR_SIZE + 254);	/* 1660 + 1760 */
	ck_assert_uint_eq(used_len(7), VIRTIO_NET_HDR_SIZE + 154);	/* the bad one */
	ck_assert_uint_eq(*g(RX_AT(7)), 0);				/* not DATA_VALID */
	for (i = 0; i < 3; i++)
		desc(i, RX_AT(i), 0x800, VIRTQ_DESC_F_WRITE, 0);
	for (i = 0; i < 3; i++)
		kick((uint16_t)i);
	ck_assert_uint_eq(used_idx(), 11);
	ck_assert_uint_eq(used_len(8), VIRTIO_NET_HDR_SIZE + 154);	/* the SYN */
	ck_assert_uint_eq(used_len(9), VIRTIO_NET_HDR_SIZE + 104);	/* 50, then 100: no */
	ck_assert_uint_eq(used_len(10), VIRTIO_NET_HDR_SIZE + 154);
	ck_assert(!(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET));
	net_teardown();
	/* without GUEST_TSO4 negotiated, nothing is joined */
	net_setup();
	rx_queue(1234, 1000, 100, 0x10, false);
	rx_queue(1234, 1100, 100, 0x10, false);
	desc(0, RX_AT(0), 0x800, VIRTQ_DESC_F_WRITE, 0);
	kick(0);
	ck_assert_uint_eq(used_idx(), 1);
	ck_assert_uint_eq(used_len(0), VIRTIO_NET_HDR_SIZE + 154);
	ck_assert_uint_eq(*g(RX_AT(0) + 1), VIRTIO_NET_HDR_GSO_NONE);
	net_teardown();
}
END_TEST

/* Make chain @head available in queue 0 without a notification. */
static void post(uint16_t head)
{
	put16(AVAIL_GPA + 4 + 2 * (avail_idx % QN), head);
	put16(AVAIL_GPA + 2, ++avail_idx);
}

/*
 * MRG_RXBUF: a frame over as many receive chains as it takes, num_buffers
 * in the first's header, all used at once (never a part); a frame waits
 * for enough chains; one that all the queue's chains could not hold is
 * dropped without taking any; a first chain too small for the header is
 * used empty.  With GUEST_TSO4, segments are joined up to what the chains
 * posted hold.
 */
START_TEST(net_mrg_rxbuf)
{
	static uint8_t got[16384];
	uint8_t frame[1514], *m;
	uint32_t i, off;

	net_setup_feat(false, true);
	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7);
	/* a short frame: one chain, num_buffers 1 */
	ck_assert(virtio_net_rx_queue(net, frame, 60));
	desc(0, RX_AT(0), 0x800, VIRTQ_DESC_F_WRITE, 0);
	kick(0);
	ck_assert_uint_eq(used_idx(), 1);
	ck_assert_uint_eq(used_len(0), VIRTIO_NET_HDR_SIZE + 60);
	ck_assert_uint_eq(get16(RX_AT(0) + 10), 1);
	/* a first chain of 8 bytes: used empty, its frame dropped; the next goes on */
	ck_assert(virtio_net_rx_queue(net, frame, 30));
	ck_assert(virtio_net_rx_queue(net, frame, 40));
	desc(1, RX_AT(1), 8, VIRTQ_DESC_F_WRITE, 0);
	kick(1);
	ck_assert_uint_eq(used_idx(), 2);
	ck_assert_uint_eq(used_id(1), 1);
	ck_assert_uint_eq(used_len(1), 0);
	desc(2, RX_AT(2), 0x800, VIRTQ_DESC_F_WRITE, 0);
	kick(2);
	ck_assert_uint_eq(used_idx(), 3);
	ck_assert_uint_eq(used_len(2), VIRTIO_NET_HDR_SIZE + 40);
	/* 1526 bytes in chains of 256: 6 needed, fewer take nothing */
	ck_assert(virtio_net_rx_queue(net, frame, sizeof(frame)));
	for (i = 0; i < 6; i++)
		desc(i, RX_AT(i), 256, VIRTQ_DESC_F_WRITE, 0);
	for (i = 0; i < 5; i++)
		kick((uint16_t)i);
	ck_assert_uint_eq(used_idx(), 3);
	kick(5);
	ck_assert_uint_eq(used_idx(), 9);
	ck_assert_uint_eq(get16(RX_AT(0) + 10), 6);			/* num_buffers */
	for (i = 0, off = 0; i < 6; i++) {
		ck_assert_uint_eq(used_id(3 + i), i);
		ck_assert_uint_eq(used_len(3 + i), i < 5 ? 256 : 1526 - 5 * 256);
		memcpy(got + off, g(RX_AT(i)), used_len(3 + i));
		off += used_len(3 + i);
	}
	ck_assert(!memcmp(got + VIRTIO_NET_HDR_SIZE, frame, sizeof(frame)));
	/* more than all 8 chains of 64 bytes hold: dropped, the chains kept */
	ck_assert(virtio_net_rx_queue(net, frame, sizeof(frame)));
	ck_assert(virtio_net_rx_queue(net, frame, 100));
	for (i = 0; i < 8; i++)
		desc(i, RX_AT(i), 64, VIRTQ_DESC_F_WRITE, 0);
	for (i = 0; i < 8; i++)
		kick((uint16_t)i);
	ck_assert_uint_eq(used_idx(), 11);				/* 112 bytes: 2 */
	ck_assert_uint_eq(get16(RX_AT(0) + 10), 2);
	ck_assert_uint_eq(used_id(9), 0);
	ck_assert_uint_eq(used_id(10), 1);
	ck_assert_uint_eq(used_len(9) + used_len(10), VIRTIO_NET_HDR_SIZE + 100);
	ck_assert(!memcmp(g(RX_AT(0) + VIRTIO_NET_HDR_SIZE), frame, 52));
	ck_assert(!memcmp(g(RX_AT(1)), frame + 52, 48));
	ck_assert(!(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET));
	net_teardown();

	/*
	 * GUEST_TSO4: 20 segments of 1000 bytes, 8 chains of 0x800 posted at
	 * once: 16 joined (12 + 54 + 16000 bytes, 8 chains); the 4 left, 2
	 */
	net_setup_feat(true, true);
	for (i = 0; i < 20; i++)
		rx_queue(1234, 1000 + 1000 * i, 1000, 0x10, false);
	for (i = 0; i < 8; i++) {
		desc(i, RX_AT(i), 0x800, VIRTQ_DESC_F_WRITE, 0);
		post((uint16_t)i);
	}
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	ck_assert_uint_eq(used_idx(), 8);
	ck_assert_uint_eq(*g(RX_AT(0)), VIRTIO_NET_HDR_F_DATA_VALID);
	ck_assert_uint_eq(*g(RX_AT(0) + 1), VIRTIO_NET_HDR_GSO_TCPV4);
	ck_assert_uint_eq(get16(RX_AT(0) + 4), 1000);			/* gso_size */
	ck_assert_uint_eq(get16(RX_AT(0) + 10), 8);			/* num_buffers */
	for (i = 0, off = 0; i < 8; i++) {
		ck_assert_uint_eq(used_id(i), i);
		memcpy(got + off, g(RX_AT(i)), used_len(i));
		off += used_len(i);
	}
	ck_assert_uint_eq(off, VIRTIO_NET_HDR_SIZE + 54 + 16000);
	m = got + VIRTIO_NET_HDR_SIZE;
	ck_assert_uint_eq(m[16] << 8 | m[17], 20 + 20 + 16000);	/* IPv4 total length */
	ck_assert_uint_eq(sum16(m + 14, 20, 0), 0xffff);
	ck_assert_uint_eq(sum16(m + 34, 20 + 16000, sum16(m + 26, 8, 6 + 20 + 16000)), 0xffff);
	for (i = 0; i < 16000; i++)
		ck_assert_uint_eq(m[54 + i], (uint8_t)(1000 + i));
	for (i = 0; i < 8; i++)
		post((uint16_t)i);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	ck_assert_uint_eq(used_idx(), 10);
	ck_assert_uint_eq(get16(RX_AT(0) + 10), 2);
	ck_assert_uint_eq(used_len(8) + used_len(9), VIRTIO_NET_HDR_SIZE + 54 + 4000);
	ck_assert_uint_eq(*g(RX_AT(0) + VIRTIO_NET_HDR_SIZE + 54), (uint8_t)17000);
	ck_assert(!(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET));
	net_teardown();
}
END_TEST


/* ---- virtio-net over a vnet_hdr backend (a tap with IFF_VNET_HDR) ---- */
static uint8_t vnet_hdr_sent[VIRTIO_NET_HDR_SIZE];
static uint64_t vnet_offloads;
static unsigned int vnet_offload_calls;

static void vnet_send(struct net_backend *nb, const uint8_t *hdr, const void *frame, size_t len)
{
	ck_assert_uint_le(len, sizeof(net_sent));
	memcpy(vnet_hdr_sent, hdr, VIRTIO_NET_HDR_SIZE);
	memcpy(net_sent, frame, len);
	net_sentlen = len;
	net_nsent++;
}

static void vnet_set_offloads(struct net_backend *nb, uint64_t driver_features)
{
	vnet_offloads = driver_features;
	vnet_offload_calls++;
}

#define NF(bit)		(1ULL << VIRTIO_NET_F_##bit)
#define VNET_GSO	(NF(HOST_TSO4) | NF(HOST_TSO6) | NF(HOST_ECN) | NF(GUEST_TSO4) | \
			 NF(GUEST_TSO6) | NF(GUEST_ECN))

static struct net_backend vnet_backend = {
	.features = VNET_GSO, .vnet_hdr = true, .send = vnet_send,
	.set_offloads = vnet_set_offloads, .free = fake_free,
};

/* the driver takes VERSION_1, MRG_RXBUF and @feat of what is offered */
static void net_setup_vnet(uint64_t feat)
{
	static const uint8_t mac[6] = { 0x02, 0x15, 0x15, 0x15, 0x15, 0x15 };
	uint64_t all = NF(CSUM) | NF(GUEST_CSUM) | NF(MAC) | NF(STATUS) | NF(MRG_RXBUF) | VNET_GSO;

	setup_ram();
	tx_avail_idx = 0;
	net_sentlen = 0;
	net_nsent = 0;
	vnet_offload_calls = 0;
	net = virtio_net_new(mac);
	ck_assert_ptr_nonnull(net);
	virtio_net_set_backend(net, &vnet_backend);
	virtio_mmio_init(&t, &virtio_net_dev_ops, net, ram, GBASE, RAM_SIZE, irq, NULL);
	virtio_net_attach(&t, net);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_DEVICE_FEATURES), all);
	driver_up((1ULL << VIRTIO_F_VERSION_1) | NF(MRG_RXBUF) | feat);
	/* a reset (0), then the features the driver took, once */
	ck_assert_uint_eq(vnet_offload_calls, 2);
	ck_assert_uint_eq(vnet_offloads, (1ULL << VIRTIO_F_VERSION_1) | NF(MRG_RXBUF) | feat);
	queue_setup_sel(1, QN, TX_DESC_GPA, TX_AVAIL_GPA, TX_USED_GPA);
	ck_assert_uint_eq(rd(VIRTIO_MMIO_QUEUE_READY), 1);
}

/* a guest's header for a frame at DATA_GPA, sent as transmit chain 0 */
static void vnet_tx(uint8_t flags, uint8_t gso, uint16_t gso_size, uint16_t start, uint16_t off,
		    const uint8_t *f, size_t len)
{
	memset(g(DATA_GPA), 0, VIRTIO_NET_HDR_SIZE);
	*g(DATA_GPA) = flags;
	*g(DATA_GPA + 1) = gso;
	put16(DATA_GPA + 2, 54);	/* hdr_len */
	put16(DATA_GPA + 4, gso_size);
	put16(DATA_GPA + 6, start);
	put16(DATA_GPA + 8, off);
	put16(DATA_GPA + 10, 7);	/* num_buffers: not the backend's business */
	memcpy(g(DATA_GPA + VIRTIO_NET_HDR_SIZE), f, len);
	tx_desc(0, DATA_GPA, VIRTIO_NET_HDR_SIZE + (uint32_t)len, 0, 0);
	tx_kick(0);
}

/*
 * The header passed through both ways: a GSO frame from the guest goes to
 * the backend untouched (its kernel segments and sums), and one from the
 * backend reaches the guest as it came; headers the features do not
 * allow are dropped; a reset sets the offloads to none.
 */
START_TEST(net_vnet_hdr)
{
	static uint8_t f[9000];
	uint8_t h[VIRTIO_NET_HDR_SIZE] = { 0 };
	size_t len = tcp_frame(f, 8001);
	unsigned int n;

	net_setup_vnet(NF(CSUM) | NF(GUEST_CSUM) | VNET_GSO);
	/* TCPv6 with ECN, NEEDS_CSUM (DATA_VALID is not the guest's to claim) */
	vnet_tx(VIRTIO_NET_HDR_F_NEEDS_CSUM | VIRTIO_NET_HDR_F_DATA_VALID,
		VIRTIO_NET_HDR_GSO_TCPV6 | VIRTIO_NET_HDR_GSO_ECN, 1448, 34, 16, f, len);
	ck_assert_uint_eq(net_nsent, 1);
	ck_assert_uint_eq(net_sentlen, len);
	ck_assert(!memcmp(net_sent, f, len));		/* no checksum written here */
	ck_assert_uint_eq(vnet_hdr_sent[0], VIRTIO_NET_HDR_F_NEEDS_CSUM);
	ck_assert_uint_eq(vnet_hdr_sent[1], VIRTIO_NET_HDR_GSO_TCPV6 | VIRTIO_NET_HDR_GSO_ECN);
	ck_assert_uint_eq(vnet_hdr_sent[4] | vnet_hdr_sent[5] << 8, 1448);
	ck_assert_uint_eq(vnet_hdr_sent[6] | vnet_hdr_sent[7] << 8, 34);
	ck_assert_uint_eq(vnet_hdr_sent[8] | vnet_hdr_sent[9] << 8, 16);
	ck_assert_uint_eq(vnet_hdr_sent[10] | vnet_hdr_sent[11], 0);
	/* refused: GSO without NEEDS_CSUM, gso_size 0, UDP GSO, ECN alone, csum past the end */
	vnet_tx(0, VIRTIO_NET_HDR_GSO_TCPV4, 1448, 0, 0, f, len);
	vnet_tx(VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV4, 0, 34, 16, f, len);
	vnet_tx(VIRTIO_NET_HDR_F_NEEDS_CSUM, 3, 1448, 34, 6, f, len);
	vnet_tx(0, VIRTIO_NET_HDR_GSO_ECN, 0, 0, 0, f, len);
	vnet_tx(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, (uint16_t)(len - 1), 0, f, len);
	ck_assert_uint_eq(net_nsent, 1);
	ck_assert_uint_eq(tx_used_idx(), 6);
	/* a TCPv4 GSO frame from the backend: the guest gets its header, num_buffers 1 */
	h[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h[1] = VIRTIO_NET_HDR_GSO_TCPV4;
	h[2] = 54;
	h[4] = 0xa8; h[5] = 0x05;	/* gso_size 1448 */
	h[6] = 34;
	h[8] = 16;
	h[10] = 9;
	ck_assert(virtio_net_rx_queue_hdr(net, h, f, len));
	for (n = 0; n < 4; n++)
		desc(n, DATA_GPA + 0x4000 + n * 0x1000, 0x1000, VIRTQ_DESC_F_WRITE, 0);
	for (n = 0; n < 4; n++)
		kick((uint16_t)n);
	ck_assert_uint_eq(used_idx(), 2);		/* 12 + 8055 bytes in 2 chains */
	ck_assert(!memcmp(g(DATA_GPA + 0x4000), h, 10));
	ck_assert_uint_eq(get16(DATA_GPA + 0x4000 + 10), 2);
	ck_assert(!memcmp(g(DATA_GPA + 0x4000 + VIRTIO_NET_HDR_SIZE), f, 0x1000 - 12));
	ck_assert(!memcmp(g(DATA_GPA + 0x5000), f + 0x1000 - 12, len - (0x1000 - 12)));
	/* a reset: the backend gives nothing offloaded until features are taken again */
	wr(VIRTIO_MMIO_STATUS, 0);
	ck_assert_uint_eq(vnet_offloads, 0);
	net_teardown();
}
END_TEST

/*
 * A driver that took no receive offload: a GSO frame from the backend
 * (queued before the tap knew) is dropped, a NEEDS_CSUM one gets its
 * checksum here and no flags; transmitted GSO is refused.
 */
START_TEST(net_vnet_hdr_no_offloads)
{
	uint8_t f[200], h[VIRTIO_NET_HDR_SIZE] = { 0 };
	size_t len = udp_frame(f, 101);

	net_setup_vnet(NF(CSUM));
	vnet_tx(VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_GSO_TCPV4, 1448, 34, 6, f, len);
	ck_assert_uint_eq(net_nsent, 0);
	vnet_tx(VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 34, 6, f, len);
	ck_assert_uint_eq(net_nsent, 1);
	ck_assert(!udp_ok(net_sent, len));		/* the tap's kernel sums it */
	h[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h[1] = VIRTIO_NET_HDR_GSO_TCPV4;
	h[4] = 100;
	ck_assert(virtio_net_rx_queue_hdr(net, h, f, len));
	h[1] = 0;
	h[4] = 0;
	h[6] = 34;
	h[8] = 6;
	ck_assert(virtio_net_rx_queue_hdr(net, h, f, len));
	h[0] = VIRTIO_NET_HDR_F_DATA_VALID;
	ck_assert(virtio_net_rx_queue_hdr(net, h, f, len));
	desc(0, DATA_GPA + 0x1000, 0x400, VIRTQ_DESC_F_WRITE, 0);
	desc(1, DATA_GPA + 0x1400, 0x400, VIRTQ_DESC_F_WRITE, 0);
	desc(2, DATA_GPA + 0x1800, 0x400, VIRTQ_DESC_F_WRITE, 0);
	kick(0);
	kick(1);
	kick(2);
	ck_assert_uint_eq(used_idx(), 2);		/* the GSO frame dropped */
	ck_assert_uint_eq(used_len(0), VIRTIO_NET_HDR_SIZE + len);
	ck_assert_uint_eq(*g(DATA_GPA + 0x1000), 0);
	ck_assert_uint_eq(*g(DATA_GPA + 0x1001), 0);
	ck_assert(udp_ok(g(DATA_GPA + 0x1000 + VIRTIO_NET_HDR_SIZE), len));
	ck_assert_uint_eq(*g(DATA_GPA + 0x1400), 0);	/* DATA_VALID not passed on */
	net_teardown();
}
END_TEST

Suite *virtio_suite(void)
{
	return CHECK_SUITE("virtio", 0, transport_registers,
			   blk_read_write_flush, blk_read_only,
			   adversarial_chains, adversarial_rings, bad_queues,
			   rng_fills_buffers, console_transmit, console_receive,
			   console_pending_input, console_adversarial,
			   net_transmit_receive, net_bad_chains, net_checksum_offloads,
			   net_host_tso4, net_host_tso6, net_guest_tso4, net_guest_tso6, net_mrg_rxbuf, net_vnet_hdr,
			   net_vnet_hdr_no_offloads, memmap_slots);
}
