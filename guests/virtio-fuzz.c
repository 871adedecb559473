// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-fuzz: a hostile virtio driver.  Round after round it picks one of
 * the virtio-mmio devices (blk, rng, console, net), sets a queue up with sizes
 * and ring addresses that are mostly sane and sometimes not (zero, not a
 * power of two, misaligned, outside RAM, straddling its end), fills the
 * descriptor table with chains that loop, point outside RAM or at the
 * rings, carry huge lengths, INDIRECT or unknown flags and next indexes
 * out of range, makes the available index jump, notifies (sometimes
 * another queue), pokes config space, then checks:
 *
 *   - blk, rng and net's transmitq consume every chain they are given or set
 *     DEVICE_NEEDS_RESET (virtio 1.2, 2.1.2): after a notify of a queue
 *     made ready, used.idx equals avail.idx, or the status has the bit;
 *   - a write of 0 to Status resets the device (the bit clears);
 *   - RAM around the sandbox the rings and buffers live in (guard bands
 *     filled with a pattern) is never written;
 *
 * and the host (vmm, under ASan in make check) neither crashes nor hangs.
 * Seeded and deterministic: `fuzz.seed=N fuzz.rounds=N` on the command
 * line (the DTB's /chosen/bootargs), defaults 1 and 2000.
 */
#include "rt.h"

#define VIRTIO_BASE		0x03000000UL
#define VIRTIO_SLOT		0x200UL
#define VIRTIO_SLOTS		32
#define VIRTIO_MAGIC		0x74726976	/* "virt" */

/* virtio-mmio registers (virtio 1.2, 4.2.2) */
#define MMIO_MAGIC		0x000
#define MMIO_VERSION		0x004
#define MMIO_DEVICE_ID		0x008
#define MMIO_DEV_FEATURES	0x010
#define MMIO_DEV_FEATURES_SEL	0x014
#define MMIO_DRV_FEATURES	0x020
#define MMIO_DRV_FEATURES_SEL	0x024
#define MMIO_QUEUE_SEL		0x030
#define MMIO_QUEUE_NUM_MAX	0x034
#define MMIO_QUEUE_NUM		0x038
#define MMIO_QUEUE_READY	0x044
#define MMIO_QUEUE_NOTIFY	0x050
#define MMIO_INT_STATUS		0x060
#define MMIO_INT_ACK		0x064
#define MMIO_STATUS		0x070
#define MMIO_QUEUE_DESC		0x080
#define MMIO_QUEUE_DRIVER	0x090
#define MMIO_QUEUE_DEVICE	0x0a0
#define MMIO_CONFIG		0x100

#define ST_ACK			1
#define ST_DRIVER		2
#define ST_DRIVER_OK		4
#define ST_FEATURES_OK		8
#define ST_NEEDS_RESET		0x40

#define DESC_F_NEXT		1
#define DESC_F_WRITE		2
#define DESC_F_INDIRECT		4

#define ID_NET			1
#define ID_BLK			2
#define ID_CONSOLE		3
#define ID_RNG			4

/* RAM the device may be pointed at, and the guard bands around it */
#define SANDBOX			(RAM_BASE + 0x800000UL)
#define SANDBOX_SIZE		0x400000UL
#define GUARD_SIZE		0x10000UL
#define GUARD_BYTE		0xa5

struct dev {
	unsigned long base;
	u32 id;
	unsigned long rounds, consumed, resets, ignored;
};

static struct dev devs[VIRTIO_SLOTS];
static unsigned int nr_devs;
static u64 rng_state;
static u64 ram_base = RAM_BASE, ram_size;
static unsigned long failures;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned int pct(void)
{
	return (unsigned int)(rnd() % 100);
}

static u32 rd(const struct dev *d, unsigned long off)
{
	return readl(d->base + off);
}

static void wr(const struct dev *d, unsigned long off, u32 v)
{
	writel(v, d->base + off);
}

/* ---- the command line and the memory size, from the DTB ---------------- */

static int str_prefix(unsigned long p, const char *s)
{
	while (*s)
		if (readb(p++) != (u8)*s++)
			return 0;
	return 1;
}

static unsigned long parse_num(unsigned long p, unsigned long end)
{
	unsigned long v = 0;

	while (p < end && readb(p) >= '0' && readb(p) <= '9')
		v = v * 10 + (readb(p++) - '0');
	return v;
}

/* fuzz.seed=N and fuzz.rounds=N in bootargs; RAM from /memory@.../reg */
static void read_dtb(u64 *seed, unsigned long *rounds)
{
	unsigned long fdt = rt_dtb, p, strs, node = 0;

	if (!fdt || rt_dtb_be32(fdt) != 0xd00dfeed)
		return;
	p = fdt + rt_dtb_be32(fdt + 8);
	strs = fdt + rt_dtb_be32(fdt + 12);
	for (;;) {
		u32 tok = rt_dtb_be32(p);

		p += 4;
		if (tok == 1) {		/* FDT_BEGIN_NODE */
			node = p;
			while (readb(p))
				p++;
			p = (p + 4) & ~3UL;
		} else if (tok == 3) {	/* FDT_PROP */
			u32 len = rt_dtb_be32(p), name = rt_dtb_be32(p + 4);
			unsigned long v = p + 8, q;

			if (rt_dtb_str_eq(strs + name, "bootargs")) {
				for (q = v; q < v + len; q++) {
					if (str_prefix(q, "fuzz.seed="))
						*seed = parse_num(q + 10, v + len);
					if (str_prefix(q, "fuzz.rounds="))
						*rounds = parse_num(q + 12, v + len);
				}
			}
			if (node && str_prefix(node, "memory@") && rt_dtb_str_eq(strs + name, "reg") &&
			    len >= 16) {
				ram_base = (u64)rt_dtb_be32(v) << 32 | rt_dtb_be32(v + 4);
				ram_size = (u64)rt_dtb_be32(v + 8) << 32 | rt_dtb_be32(v + 12);
			}
			p = (v + len + 3) & ~3UL;
		} else if (tok == 2 || tok == 4) {	/* END_NODE, NOP */
			continue;
		} else {
			break;		/* FDT_END or garbage */
		}
	}
}

/* ---- guards --------------------------------------------------------------- */

static void guards_fill(void)
{
	memset((void *)(SANDBOX - GUARD_SIZE), GUARD_BYTE, GUARD_SIZE);
	memset((void *)(SANDBOX + SANDBOX_SIZE), GUARD_BYTE, GUARD_SIZE);
}

static int guards_intact(void)
{
	const volatile u8 *a = (const volatile u8 *)(SANDBOX - GUARD_SIZE);
	const volatile u8 *b = (const volatile u8 *)(SANDBOX + SANDBOX_SIZE);
	unsigned long i;

	for (i = 0; i < GUARD_SIZE; i += 8) {
		if (*(const volatile u64 *)(a + i) != 0xa5a5a5a5a5a5a5a5ULL ||
		    *(const volatile u64 *)(b + i) != 0xa5a5a5a5a5a5a5a5ULL)
			return 0;
	}
	return 1;
}

/* ---- addresses and lengths -------------------------------------------------- */

/* [addr, addr + len) inside the sandbox, without wrapping */
static int in_sandbox(u64 addr, u64 len)
{
	return addr >= SANDBOX && addr < SANDBOX + SANDBOX_SIZE &&
	       len <= SANDBOX + SANDBOX_SIZE - addr;
}

/* Per round: the percentage of addresses and lengths that are bad (a
 * third of the rounds nearly well-formed, so that chains get consumed) */
static unsigned int bad_pct;

/* Somewhere a buffer may or may not be: mostly the sandbox. */
static u64 any_addr(u64 len_hint)
{
	u64 ram_end = ram_base + ram_size;

	if (pct() >= bad_pct)
		return SANDBOX + rnd() % (SANDBOX_SIZE - (len_hint < 65536 ? len_hint : 65536));
	switch (rnd() % 6) {
	case 0: return ram_end - (rnd() % 64);			/* straddles the end */
	case 1: return ram_end + (rnd() % 0x100000);		/* past it */
	case 2: return ram_base - 1 - (rnd() % 64);		/* just below it */
	case 3: return rnd() % 0x40000000UL;			/* MMIO space */
	case 4: return ~0ULL - (rnd() % 4096);			/* wraps */
	default: return rnd();
	}
}

static u32 any_len(void)
{
	if (pct() < bad_pct) {
		switch (rnd() % 3) {
		case 0: return 0xffffffffU;
		case 1: return 0x80000000U + (u32)(rnd() % 4096);
		default: return (u32)rnd();
		}
	}
	switch (rnd() % 8) {
	case 0: return 0;
	case 1: return 16;				/* a blk request header */
	case 2: return 1;
	default: return 1 + (u32)(rnd() % 4096);
	}
}

static u16 any_flags(void)
{
	u16 f = 0;

	if (pct() < 50)
		f |= DESC_F_NEXT;
	if (pct() < 50)
		f |= DESC_F_WRITE;
	if (pct() < 4)
		f |= DESC_F_INDIRECT;
	if (pct() < 3)
		f |= (u16)rnd();
	return f;
}

/* ---- one round ------------------------------------------------------------------ */

static void put_desc(u64 table, unsigned int i, u64 addr, u32 len, u16 flags, u16 next)
{
	writeq(addr, table + 16 * i);
	writel(len, table + 16 * i + 8);
	writew(flags, table + 16 * i + 12);
	writew(next, table + 16 * i + 14);
}

/* A virtio-blk request header (5.2.6): type, reserved, sector. */
static void blk_header(u64 at)
{
	static const u32 types[] = { 0, 1, 4, 8, 11, 13, 0x7fffffff };

	writel(types[rnd() % ARRAY_SIZE(types)], at);
	writel(0, at + 4);
	writeq(pct() < 70 ? rnd() % 4096 : rnd(), at + 8);
}

static void round_one(struct dev *d)
{
	unsigned int nq = d->id == ID_CONSOLE ? 4 : d->id == ID_NET ? 2 : 1, q, num, max, i, k, heads;
	u64 desc, avail, used;
	u16 old_used, new_avail;
	int ready_ok, notified_q;
	u32 st;

	d->rounds++;
	bad_pct = d->rounds % 3 ? 20 : 1;
	wr(d, MMIO_STATUS, 0);
	if (rd(d, MMIO_STATUS) != 0) {
		failures++;
		printf("\nFAIL: dev 0x%lx: status 0x%x after a reset\n", d->base, rd(d, MMIO_STATUS));
		return;
	}
	wr(d, MMIO_STATUS, ST_ACK | ST_DRIVER);
	wr(d, MMIO_DEV_FEATURES_SEL, 1);
	(void)rd(d, MMIO_DEV_FEATURES);
	/* VIRTIO_F_VERSION_1 (bit 32), sometimes anything */
	wr(d, MMIO_DRV_FEATURES_SEL, 1);
	wr(d, MMIO_DRV_FEATURES, pct() < 90 ? 1 : (u32)rnd());
	wr(d, MMIO_DRV_FEATURES_SEL, 0);
	wr(d, MMIO_DRV_FEATURES, pct() < 90 ? 0 : (u32)rnd());
	wr(d, MMIO_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);

	q = pct() >= bad_pct / 2 ? (unsigned int)(rnd() % nq) : (unsigned int)rnd() % 70000;
	wr(d, MMIO_QUEUE_SEL, q);
	max = rd(d, MMIO_QUEUE_NUM_MAX);
	switch (bad_pct > 1 ? rnd() % 10 : 9) {
	case 0: num = 0; break;
	case 1: num = 3 + (unsigned int)(rnd() % 200); break;
	case 2: num = max * 2; break;
	case 3: num = (unsigned int)rnd() & 0xffff; break;
	default: num = max ? 1u << (rnd() % 16) : 8; break;
	}
	if (max && num > max && pct() < 70)
		num = max;
	/* rings in the sandbox, aligned, apart; sometimes anywhere */
	desc = SANDBOX + ((rnd() % (SANDBOX_SIZE / 2)) & ~0xfffUL);
	avail = desc + 16 * (u64)(num ? num : 1);
	used = (avail + 6 + 2 * (u64)num + 4095) & ~4095UL;
	if (!in_sandbox(used, 8 * (u64)num + 6) || pct() < bad_pct / 3)
		used = any_addr(8 * (u64)num + 6);
	if (pct() < bad_pct / 4)
		desc = any_addr(16 * (u64)num);
	if (pct() < bad_pct / 4)
		avail = any_addr(2 * (u64)num + 6);
	if (pct() < bad_pct / 6)
		desc |= 1 + rnd() % 15;		/* misaligned */
	if (!(used & 3) && in_sandbox(used, 8 * (u64)num + 6))
		writew(0, used + 2);	/* the device starts used.idx at 0 */
	wr(d, MMIO_QUEUE_NUM, num);
	wr(d, MMIO_QUEUE_DESC, (u32)desc);
	wr(d, MMIO_QUEUE_DESC + 4, (u32)(desc >> 32));
	wr(d, MMIO_QUEUE_DRIVER, (u32)avail);
	wr(d, MMIO_QUEUE_DRIVER + 4, (u32)(avail >> 32));
	wr(d, MMIO_QUEUE_DEVICE, (u32)used);
	wr(d, MMIO_QUEUE_DEVICE + 4, (u32)(used >> 32));
	wr(d, MMIO_QUEUE_READY, 1);
	ready_ok = q < nq && rd(d, MMIO_QUEUE_READY) == 1 &&
		   !(rd(d, MMIO_STATUS) & ST_NEEDS_RESET);
	wr(d, MMIO_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);

	/* the rings are ours to write only where they are in the sandbox */
	if (!ready_ok || !in_sandbox(desc, 16 * (u64)num) ||
	    !in_sandbox(avail, 2 * (u64)num + 6) || !in_sandbox(used, 8 * (u64)num + 6)) {
		wr(d, MMIO_QUEUE_NOTIFY, q);
		d->ignored++;
		return;
	}
	for (i = 0; i < num; i++) {
		u32 len = any_len();
		u64 addr = any_addr(len);
		u16 next = pct() < 85 ? (u16)(rnd() % num) : pct() < 50 ? (u16)i : (u16)rnd();

		if (d->id == ID_CONSOLE && in_sandbox(addr, 1) && len > 64)
			len = 1 + len % 64;	/* keep the console's output small */
		if (d->id == ID_BLK && pct() < 40 && in_sandbox(addr & ~7UL, 16)) {
			addr &= ~7UL;
			blk_header(addr);
			len = pct() < 80 ? 16 : any_len();
		}
		/* a buffer the device may use stays in the sandbox: one that
		 * starts there and ends in RAM past it would be a right to
		 * write the guard band (and the guest) */
		if (in_sandbox(addr, 1) && !in_sandbox(addr, len) &&
		    addr + len <= ram_base + ram_size)
			len = (u32)(SANDBOX + SANDBOX_SIZE - addr);
		put_desc(desc, i, addr, len, any_flags(), next);
	}
	/* linear chains often, so that deep paths run */
	if (pct() < (bad_pct > 1 ? 30 : 80))
		for (i = 0; i + 1 < num; i++)
			writew(i + 1, desc + 16 * i + 14);
	writew(pct() < 80 ? 0 : 1, avail);		/* flags: NO_INTERRUPT */
	switch (bad_pct > 1 ? rnd() % 10 : 9) {
	case 0: heads = (unsigned int)(rnd() & 0xffff); break;	/* jumps */
	case 1: heads = num + 1 + (unsigned int)(rnd() % 8); break;
	case 2: heads = 0; break;
	default: heads = num ? 1 + (unsigned int)(rnd() % num) : 1; break;
	}
	for (k = 0; k < heads && k < num; k++)
		writew(pct() < 90 ? (u16)(rnd() % num) : (u16)rnd(), avail + 4 + 2 * k);
	old_used = readw(used + 2);
	new_avail = (u16)heads;
	dsb(sy);
	writew(new_avail, avail + 2);
	dsb(sy);
	notified_q = pct() < 90 ? (int)q : (int)(rnd() % 8);
	wr(d, MMIO_QUEUE_NOTIFY, (u32)notified_q);
	if (pct() < 20)
		(void)rd(d, MMIO_CONFIG + 4 * (rnd() % 16));
	if (pct() < 5)
		wr(d, MMIO_CONFIG + 4 * (rnd() % 16), (u32)rnd());
	wr(d, MMIO_INT_ACK, rd(d, MMIO_INT_STATUS));

	st = rd(d, MMIO_STATUS);
	if (st & ST_NEEDS_RESET) {
		d->resets++;
	} else if ((d->id == ID_BLK || d->id == ID_RNG || (d->id == ID_NET && q == 1)) &&
		   notified_q == (int)q && new_avail != old_used) {
		if (readw(used + 2) != new_avail) {
			failures++;
			printf("\nFAIL: dev 0x%lx q %u num %u: used.idx %u, avail.idx %u, status 0x%x\n",
			       d->base, q, num, readw(used + 2), new_avail, st);
		} else {
			d->consumed++;
		}
	} else {
		d->ignored++;
	}
}

int main(void)
{
	static const char *const names[] = { [ID_NET] = "net", [ID_BLK] = "blk",
					     [ID_CONSOLE] = "console", [ID_RNG] = "rng" };
	unsigned long rounds = 2000, r, broken_guards = 0;
	u64 seed = 1;
	unsigned int i;

	read_dtb(&seed, &rounds);
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	if (!ram_size || ram_base > SANDBOX - GUARD_SIZE ||
	    ram_base + ram_size < SANDBOX + SANDBOX_SIZE + GUARD_SIZE) {
		check(0, "RAM 0x%lx+0x%lx holds the sandbox (give --mem 32)",
		      (unsigned long)ram_base, (unsigned long)ram_size);
		return rt_report("virtio-fuzz");
	}
	/* vmm fills slots from 0: the first empty one (an abort) ends the list */
	rt_set_sync_handler(0x25, rt_record_and_skip);
	for (i = 0; i < VIRTIO_SLOTS; i++) {
		unsigned long base = VIRTIO_BASE + i * VIRTIO_SLOT;
		unsigned int caught = rt_caught;
		u32 magic = readl(base + MMIO_MAGIC), id;

		if (rt_caught != caught)
			break;
		if (magic != VIRTIO_MAGIC || readl(base + MMIO_VERSION) != 2)
			continue;
		id = readl(base + MMIO_DEVICE_ID);
		if (id != ID_BLK && id != ID_RNG && id != ID_CONSOLE && id != ID_NET)
			continue;
		devs[nr_devs].base = base;
		devs[nr_devs].id = id;
		nr_devs++;
	}
	rt_set_sync_handler(0x25, NULL);
	printf("virtio-fuzz: seed %lu, %lu rounds, %u devices, RAM 0x%lx+0x%lx\n",
	       (unsigned long)seed, rounds, nr_devs, (unsigned long)ram_base,
	       (unsigned long)ram_size);
	check(nr_devs > 0, "found virtio-mmio devices (%u)", nr_devs);
	guards_fill();
	for (r = 0; r < rounds && nr_devs; r++) {
		round_one(&devs[rnd() % nr_devs]);
		if (!guards_intact()) {
			broken_guards++;
			printf("\nFAIL: round %lu: RAM around the sandbox was written\n", r);
			guards_fill();
		}
		if (failures > 20)
			break;
	}
	/* a fresh line: the console's output may end in the middle of one */
	for (i = 0; i < nr_devs; i++)
		wr(&devs[i], MMIO_STATUS, 0);
	printf("\n");
	for (i = 0; i < nr_devs; i++) {
		printf("virtio-fuzz: %s at 0x%lx: %lu rounds, %lu consumed, %lu needs-reset, "
		       "%lu not checked\n", names[devs[i].id], devs[i].base, devs[i].rounds,
		       devs[i].consumed, devs[i].resets, devs[i].ignored);
	}
	check(failures == 0, "blk, rng and net's transmitq consumed every chain or set "
	      "DEVICE_NEEDS_RESET, "
	      "and reset cleared it (%lu failures)", failures);
	check(broken_guards == 0, "no device write outside the buffers it was given");
	return rt_report("virtio-fuzz");
}
