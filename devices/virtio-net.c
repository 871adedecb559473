// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net (virtio 1.2, 5.1): one receiveq (0) and one transmitq (1),
 * VIRTIO_NET_F_MAC and VIRTIO_NET_F_STATUS (the link is always up), and
 * the two checksum offloads, done here on the host: VIRTIO_NET_F_CSUM
 * (a transmitted frame with NEEDS_CSUM gets its checksum computed from
 * csum_start to its end, stored at csum_offset, 5.1.6.2) and
 * VIRTIO_NET_F_GUEST_CSUM (a received IPv4 or IPv6 TCP or UDP frame
 * whose checksum this file verified is marked DATA_VALID, 5.1.6.4).  With a
 * backend that takes them (net.h: libslirp, not a tap), the driver may
 * transmit TCPv4 segments of up to 64 KiB (VIRTIO_NET_F_HOST_TSO4): each
 * goes to the backend as one IPv4 packet, its checksum completed over the
 * whole segment, so slirp's TCP takes it whole instead of in MTU-sized
 * frames; TCPv6 ones (VIRTIO_NET_F_HOST_TSO6) are segmented here, slirp's
 * IPv6 taking nothing beyond its MTU.  Toward the guest, with the same
 * backends, VIRTIO_NET_F_GUEST_TSO4 and GUEST_TSO6: slirp segments at the
 * guest's MSS, so consecutive segments of one TCP flow waiting in the
 * queue are coalesced here (as GRO would: the same addresses, ports,
 * acknowledgement, flags and options, each checksum verified, contiguous
 * sequence numbers, equal lengths but the last) into one GSO_TCPV4 or
 * GSO_TCPV6 frame of up to 64 KiB for a receive chain that takes it, its
 * checksums recomputed and DATA_VALID.  With VIRTIO_NET_F_MRG_RXBUF
 * (5.1.6.3.2) a frame goes over as many receive chains as it needs,
 * num_buffers in its header saying how many, all returned at once; Linux
 * then posts page-sized buffers instead of 64 KiB ones for GUEST_TSO4
 * ("big packets").  Without it each receive chain takes one frame.
 * A backend with a vnet header (a tap with IFF_VNET_HDR) passes the
 * header through instead: the checksum and TSO offloads (TSO6 and ECN
 * too) are its kernel's, and this file only checks each header against
 * the features the driver took.
 * With VERSION_1 every
 * frame carries the 12-byte struct virtio_net_hdr (5.1.6), num_buffers
 * included.
 *
 * Frames for the guest come from the backend's thread (net.h): they wait
 * in a bounded queue under its own lock and go into receiveq buffers under
 * the transport's, when the backend flushes, when the driver posts buffers
 * (a receiveq notification) and after each transmission (whose replies,
 * ARP or TCP acknowledgements, the backend made at once).  A frame larger
 * than the chain it is given is dropped and the chain used with nothing
 * written (Linux counts a length error).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../vmm/vmm.h"
#include "net.h"
#include "virtio.h"

#define RX_Q		0
#define TX_Q		1
#define RXQ_MAX		1024	/* frames waiting for receive buffers */

struct rx_frame {
	size_t len;
	bool has_hdr;			/* hdr from a vnet_hdr backend */
	uint8_t hdr[VIRTIO_NET_HDR_SIZE];
	uint8_t data[];
};

struct virtio_net {
	struct virtio_mmio *t;
	struct net_backend *backend;
	uint8_t mac[6];
	/* frames for the guest: a ring under rxq_lock (a leaf lock) */
	pthread_mutex_t rxq_lock;
	pthread_cond_t rxq_room;
	struct rx_frame *rxq[RXQ_MAX];
	unsigned int rxq_head, rxq_len;
	uint64_t rx_dropped, tx_dropped;
	uint64_t rx_coalesced;		/* frames for the guest merged into others */
	uint64_t rx_gso, tx_gso;	/* GSO frames to the guest, from it */
	uint64_t rx_gso6, tx_gso6;	/* of which TCPv6 */
	uint64_t rx_refused;		/* a vnet_hdr backend's, with offloads not taken */
	uint64_t rx_frames, tx_frames;	/* frames to the guest's chains, from its chains */
	/* a transmitted frame, linear (under the transport's lock) */
	uint8_t txbuf[NET_FRAME_MAX];
	/* a TCPv6 segment cut from txbuf (HOST_TSO6 without a vnet header) */
	uint8_t segbuf[NET_FRAME_MAX];
	/* a coalesced frame for the guest (under the transport's lock) */
	uint8_t rxbuf[NET_FRAME_MAX];
	/* MRG_RXBUF: the first chain of a frame, and every chain's head and length */
	struct virtq_req first;
	uint16_t mrg_head[VIRTQ_NUM_MAX];
	uint32_t mrg_len[VIRTQ_NUM_MAX];
};

struct virtio_net *virtio_net_new(const uint8_t mac[6])
{
	struct virtio_net *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	memcpy(n->mac, mac, 6);
	pthread_mutex_init(&n->rxq_lock, NULL);
	pthread_cond_init(&n->rxq_room, NULL);
	return n;
}

/* the backend's offloads (net.h), before the driver reads the features */
static void offer_features(struct virtio_net *n)
{
	if (n->t && n->backend)
		n->t->device_features |= n->backend->features;
}

void virtio_net_set_backend(struct virtio_net *n, struct net_backend *nb)
{
	n->backend = nb;
	offer_features(n);
}

void virtio_net_free(struct virtio_net *n)
{
	if (!n)
		return;
	if (n->backend)
		n->backend->free(n->backend);
	if (n->rx_dropped || n->tx_dropped)
		pr_info("virtio-net: %" PRIu64 " frames for the guest dropped (queue full), "
			"%" PRIu64 " of its dropped (malformed)\n", n->rx_dropped, n->tx_dropped);
	if (n->rx_coalesced)
		pr_info("virtio-net: %" PRIu64 " TCP segments for the guest coalesced into others\n",
			n->rx_coalesced);
	if (n->rx_gso || n->tx_gso)
		pr_info("virtio-net: %" PRIu64 " GSO frames to the guest (%" PRIu64 " TCPv6), %"
			PRIu64 " from it (%" PRIu64 " TCPv6)\n", n->rx_gso, n->rx_gso6, n->tx_gso,
			n->tx_gso6);
	if (n->rx_refused)
		pr_info("virtio-net: %" PRIu64 " frames for the guest dropped (offloads it did "
			"not take)\n", n->rx_refused);
	while (n->rxq_len) {
		free(n->rxq[n->rxq_head]);
		n->rxq_head = (n->rxq_head + 1) % RXQ_MAX;
		n->rxq_len--;
	}
	pthread_cond_destroy(&n->rxq_room);
	pthread_mutex_destroy(&n->rxq_lock);
	free(n);
}

void virtio_net_attach(struct virtio_mmio *t, struct virtio_net *n)
{
	n->t = t;
	t->device_features |= (1ULL << VIRTIO_NET_F_CSUM) | (1ULL << VIRTIO_NET_F_GUEST_CSUM) |
			      (1ULL << VIRTIO_NET_F_MAC) | (1ULL << VIRTIO_NET_F_STATUS) |
			      (1ULL << VIRTIO_NET_F_MRG_RXBUF);
	offer_features(n);
	/* struct virtio_net_config: mac[6], status (le16) */
	memset(t->config, 0, 8);
	memcpy(t->config, n->mac, 6);
	t->config[6] = VIRTIO_NET_S_LINK_UP;
	t->config_len = 8;
}

static bool rx_queue(struct virtio_net *n, const uint8_t *hdr, const void *frame, size_t len)
{
	struct rx_frame *f;

	if (len > NET_FRAME_MAX)
		return false;
	f = malloc(sizeof(*f) + len);
	if (!f)
		return false;
	f->len = len;
	f->has_hdr = hdr;
	if (hdr)
		memcpy(f->hdr, hdr, VIRTIO_NET_HDR_SIZE);
	memcpy(f->data, frame, len);
	pthread_mutex_lock(&n->rxq_lock);
	if (n->rxq_len == RXQ_MAX) {
		n->rx_dropped++;
		pthread_mutex_unlock(&n->rxq_lock);
		free(f);
		return false;
	}
	n->rxq[(n->rxq_head + n->rxq_len) % RXQ_MAX] = f;
	n->rxq_len++;
	pthread_mutex_unlock(&n->rxq_lock);
	return true;
}

bool virtio_net_rx_queue(struct virtio_net *n, const void *frame, size_t len)
{
	return rx_queue(n, NULL, frame, len);
}

bool virtio_net_rx_queue_hdr(struct virtio_net *n, const uint8_t *hdr, const void *frame,
			     size_t len)
{
	return rx_queue(n, hdr, frame, len);
}

bool virtio_net_rx_wait_room(struct virtio_net *n, int ms)
{
	struct timespec ts;
	bool room;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&n->rxq_lock);
	if (n->rxq_len == RXQ_MAX)
		pthread_cond_timedwait(&n->rxq_room, &n->rxq_lock, &ts);
	room = n->rxq_len < RXQ_MAX;
	pthread_mutex_unlock(&n->rxq_lock);
	return room;
}

static struct rx_frame *rxq_peek(struct virtio_net *n)
{
	struct rx_frame *f;

	pthread_mutex_lock(&n->rxq_lock);
	f = n->rxq_len ? n->rxq[n->rxq_head] : NULL;
	pthread_mutex_unlock(&n->rxq_lock);
	return f;
}

/* the @k-th queued frame (only receive() removes frames: it stays valid), or NULL */
static struct rx_frame *rxq_peek_at(struct virtio_net *n, unsigned int k)
{
	struct rx_frame *f;

	pthread_mutex_lock(&n->rxq_lock);
	f = k < n->rxq_len ? n->rxq[(n->rxq_head + k) % RXQ_MAX] : NULL;
	pthread_mutex_unlock(&n->rxq_lock);
	return f;
}

static void rxq_drop_head(struct virtio_net *n)
{
	struct rx_frame *f;

	pthread_mutex_lock(&n->rxq_lock);
	f = n->rxq[n->rxq_head];
	n->rxq_head = (n->rxq_head + 1) % RXQ_MAX;
	n->rxq_len--;
	pthread_cond_signal(&n->rxq_room);
	pthread_mutex_unlock(&n->rxq_lock);
	free(f);
}

/* The 16-bit ones' complement sum of @len bytes (RFC 1071), added to @sum. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static uint16_t be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * An untagged IPv6 TCP or UDP frame (the next header TCP or UDP, no
 * extension headers) whose transport checksum verifies; UDP's 0 is not a
 * checksum (RFC 8200 8.1).
 */
static bool l4_csum_valid6(const uint8_t *f, size_t len)
{
	size_t l4len;
	uint8_t nh;

	if (len < 14 + 40 || (f[14] >> 4) != 6)
		return false;
	nh = f[20];
	l4len = be16_at(f + 18);
	if (l4len > len - 54 || (nh == 6 && l4len < 20) ||
	    (nh == 17 && (l4len < 8 || !be16_at(f + 54 + 6))) || (nh != 6 && nh != 17))
		return false;
	/* the pseudo-header: source, destination, length, next header */
	return csum_add(csum_add(0, f + 22, 32) + (uint32_t)l4len + nh, f + 54, l4len) == 0xffff;
}

/*
 * An untagged IPv4 TCP or UDP frame, not a fragment, whose transport
 * checksum verifies (UDP's 0, no checksum, does not count), or an IPv6
 * one (l4_csum_valid6()).
 */
static bool l4_csum_valid(const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + 14;
	size_t ihl, total, l4len;
	uint32_t sum;

	if (len >= 14 && be16_at(f + 12) == 0x86dd)
		return l4_csum_valid6(f, len);
	if (len < 14 + 20 || be16_at(f + 12) != 0x0800 || (ip[0] >> 4) != 4)
		return false;
	ihl = (size_t)(ip[0] & 15) * 4;
	total = be16_at(ip + 2);
	if (ihl < 20 || total < ihl || total > len - 14 || (be16_at(ip + 6) & 0x3fff))
		return false;
	l4len = total - ihl;
	if (ip[9] == 6) {
		if (l4len < 20)
			return false;
	} else if (ip[9] == 17) {
		if (l4len < 8 || !be16_at(ip + ihl + 6))
			return false;
	} else {
		return false;
	}
	/* the pseudo-header: source, destination, protocol, length */
	sum = csum_add(0, ip + 12, 8);
	sum += ip[9] + (uint32_t)l4len;
	sum = csum_add(sum, ip + ihl, l4len);
	return sum == 0xffff;
}

/*
 * NEEDS_CSUM (5.1.6.2): the ones' complement of the sum from csum_start to
 * the end, at csum_start + csum_offset (which holds the pseudo-header's
 * sum).  false when those point outside the frame.
 */
static bool tx_csum(uint8_t *f, size_t len, uint16_t start, uint16_t off)
{
	uint16_t c;

	if ((size_t)start + off + 2 > len)
		return false;
	c = (uint16_t)~csum_add(0, f + start, len - start);
	if (!c)
		c = 0xffff;	/* UDP's 0 is "no checksum"; the same sum for TCP */
	f[start + off] = (uint8_t)(c >> 8);
	f[start + off + 1] = (uint8_t)c;
	return true;
}

static uint16_t le16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

#define F(bit)		(1ULL << VIRTIO_NET_F_##bit)

/*
 * A gso_type (5.1.6.2) the features @feat allow, the GSO ones being
 * @tso4, @tso6 and @ecn (the GUEST_ or the HOST_ side's): NONE without the
 * ECN bit, TCPv4 or TCPv6 when taken, the ECN bit with them when taken.
 */
static bool gso_allowed(uint8_t gso, uint64_t feat, uint64_t tso4, uint64_t tso6, uint64_t ecn)
{
	uint8_t type = gso & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN;

	if ((gso & VIRTIO_NET_HDR_GSO_ECN) && (type == VIRTIO_NET_HDR_GSO_NONE || !(feat & ecn)))
		return false;
	return type == VIRTIO_NET_HDR_GSO_NONE || (type == VIRTIO_NET_HDR_GSO_TCPV4 && (feat & tso4)) ||
	       (type == VIRTIO_NET_HDR_GSO_TCPV6 && (feat & tso6));
}

/*
 * A vnet_hdr backend's frame for the guest against the features the driver
 * took (@feat), before it goes: GSO it did not take (or without
 * GUEST_CSUM, which GSO needs) drops it (false); without GUEST_CSUM, a
 * NEEDS_CSUM checksum is completed here and the flags cleared (5.1.6.4:
 * the device sets them only with GUEST_CSUM).
 */
static bool rx_hdr_fixup(struct rx_frame *f, uint64_t feat)
{
	uint8_t *h = f->hdr;

	h[0] &= VIRTIO_NET_HDR_F_NEEDS_CSUM | VIRTIO_NET_HDR_F_DATA_VALID;
	if (h[1] != VIRTIO_NET_HDR_GSO_NONE && !(feat & F(GUEST_CSUM)))
		return false;
	if (!gso_allowed(h[1], feat, F(GUEST_TSO4), F(GUEST_TSO6), F(GUEST_ECN)))
		return false;
	if (!(feat & F(GUEST_CSUM))) {
		if ((h[0] & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
		    !tx_csum(f->data, f->len, le16_at(h + 6), le16_at(h + 8)))
			return false;
		h[0] = 0;
	}
	return true;
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)be16_at(p) << 16 | be16_at(p + 2);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

#define TCP_FIN		0x01
#define TCP_PSH		0x08
#define TCP_ACK		0x10
#define TCP_CWR		0x80

/*
 * A GSO frame the device takes (5.1.6.2): TCPv4 (no ECN: HOST_ECN is not
 * offered) with HOST_TSO4 negotiated and NEEDS_CSUM set, an untagged IPv4
 * TCP packet, not a fragment, whose total length is the frame's: it goes
 * to the backend whole, as the one IP packet it claims to be.
 */
static bool tx_gso_ok(const uint8_t *hdr, const uint8_t *f, size_t len, bool tso4)
{
	const uint8_t *ip = f + 14;

	if (!tso4 || hdr[1] != VIRTIO_NET_HDR_GSO_TCPV4 || !(hdr[0] & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return false;
	if (len < 14 + 20 + 20 || be16_at(f + 12) != 0x0800 || (ip[0] >> 4) != 4 ||
	    (ip[0] & 15) < 5 || ip[9] != 6 || (be16_at(ip + 6) & 0x3fff))
		return false;
	return be16_at(ip + 2) == len - 14;
}

/*
 * A TCPv6 GSO frame the device segments itself (tx_segment6()): HOST_TSO6
 * negotiated, NEEDS_CSUM and a gso_size, an untagged IPv6 packet whose next
 * header is TCP (no extension headers, which Linux's TCP does not send),
 * its payload length the frame's, with payload beyond the TCP header.
 */
static bool tx_gso6_ok(const uint8_t *hdr, const uint8_t *f, size_t len, bool tso6)
{
	size_t thl;

	if (!tso6 || !(hdr[0] & VIRTIO_NET_HDR_F_NEEDS_CSUM) || !le16_at(hdr + 4))
		return false;
	if (len < 14 + 40 + 20 || be16_at(f + 12) != 0x86dd || (f[14] >> 4) != 6 || f[20] != 6 ||
	    be16_at(f + 18) != len - 54)
		return false;
	thl = (size_t)(f[54 + 12] >> 4) * 4;
	return thl >= 20 && 54 + thl < len;
}

/*
 * HOST_TSO6 for a backend without a vnet header: libslirp's ip6_input
 * refuses an IPv6 payload beyond its MTU (ICMPv6 "packet too big"), unlike
 * IPv4's, so vmm cuts the frame into the segments a NIC would put on the
 * wire (as Linux's tcp_gso_segment): the headers copied, gso_size payload
 * bytes each, the sequence number advanced, FIN and PSH only on the last
 * and CWR only on the first, each its own payload length and checksum.
 */
static void tx_segment6(struct virtio_net *n, uint16_t mss, size_t len)
{
	static const uint8_t none[VIRTIO_NET_HDR_SIZE];
	const uint8_t *f = n->txbuf;
	size_t thl = (size_t)(f[54 + 12] >> 4) * 4, hl = 54 + thl, off, plen;
	uint32_t seq = be32_at(f + 54 + 4), sum;
	uint8_t *s = n->segbuf, *th = s + 54;

	for (off = hl; off < len; off += plen) {
		plen = len - off < mss ? len - off : mss;
		memcpy(s, f, hl);
		memcpy(s + hl, f + off, plen);
		put_be16(s + 18, (uint16_t)(thl + plen));
		put_be32(th + 4, seq + (uint32_t)(off - hl));
		if (off + plen < len)
			th[13] &= (uint8_t)~(TCP_FIN | TCP_PSH);
		if (off > hl)
			th[13] &= (uint8_t)~TCP_CWR;
		put_be16(th + 16, 0);
		/* the pseudo-header: source, destination, length, next header */
		sum = csum_add(0, s + 22, 32) + (uint32_t)(thl + plen) + 6;
		put_be16(th + 16, (uint16_t)~csum_add(sum, th, thl + plen));
		n->backend->send(n->backend, none, s, hl + plen);
	}
}

/*
 * A transmitted frame's header (5.1.6.2) against the features the driver
 * took (@feat): false drops the frame.  A vnet_hdr backend gets the header
 * as it is, NEEDS_CSUM its only flag (its kernel completes the checksum
 * and segments; GSO needs NEEDS_CSUM and a gso_size); for the others the
 * checksum is completed here, and a GSO frame is a TCPv4 segment the
 * backend takes whole or a TCPv6 one segmented here.
 */
static bool tx_hdr_ok(struct virtio_net *n, uint64_t feat, uint8_t *hdr, size_t len)
{
	bool needs_csum = hdr[0] & VIRTIO_NET_HDR_F_NEEDS_CSUM;
	uint16_t start = le16_at(hdr + 6), off = le16_at(hdr + 8);

	if (needs_csum && !(feat & F(CSUM)))
		return false;
	if (n->backend && n->backend->vnet_hdr) {
		hdr[0] &= VIRTIO_NET_HDR_F_NEEDS_CSUM;
		hdr[10] = hdr[11] = 0;
		if (hdr[1] != VIRTIO_NET_HDR_GSO_NONE && (!needs_csum || !le16_at(hdr + 4)))
			return false;
		return gso_allowed(hdr[1], feat, F(HOST_TSO4), F(HOST_TSO6), F(HOST_ECN)) &&
		       (!needs_csum || (size_t)start + off + 2 <= len);
	}
	if (hdr[1] == VIRTIO_NET_HDR_GSO_TCPV6)
		return tx_gso6_ok(hdr, n->txbuf, len, feat & F(HOST_TSO6));
	if (hdr[1] != VIRTIO_NET_HDR_GSO_NONE && !tx_gso_ok(hdr, n->txbuf, len, feat & F(HOST_TSO4)))
		return false;
	return !needs_csum || tx_csum(n->txbuf, len, start, off);
}

static size_t writable(const struct virtq_req *req)
{
	size_t cap = 0;
	unsigned int i;

	for (i = 0; i < req->n; i++)
		if (req->buf[i].write)
			cap += req->buf[i].len;
	return cap;
}


/*
 * A TCP segment coalescing may take: an untagged IPv4 frame without IP
 * options, not a fragment, its header checksum valid, or (@v6) an IPv6
 * one whose next header is TCP; its TCP checksum valid, with payload,
 * flags ACK (and PSH) only.  Its TCP header and payload lengths, or false.
 */
static bool seg_ok(const uint8_t *f, size_t len, bool v6, size_t *thl, size_t *plen)
{
	const uint8_t *ip = f + 14, *th = f + (v6 ? 54 : 34);
	size_t total;

	if (v6) {
		if (len < 74 || be16_at(f + 12) != 0x86dd || (ip[0] >> 4) != 6 || ip[6] != 6)
			return false;
		total = be16_at(ip + 4);
		*thl = (size_t)(th[12] >> 4) * 4;
		if (total > len - 54 || *thl < 20 || total <= *thl)
			return false;
		*plen = total - *thl;
		return (th[13] & ~TCP_PSH) == TCP_ACK && l4_csum_valid6(f, len);
	}
	if (len < 54 || be16_at(f + 12) != 0x0800 || ip[0] != 0x45 || ip[9] != 6 ||
	    (be16_at(ip + 6) & 0x3fff))
		return false;
	total = be16_at(ip + 2);
	*thl = (size_t)(th[12] >> 4) * 4;
	if (total > len - 14 || *thl < 20 || total <= 20 + *thl)
		return false;
	*plen = total - 20 - *thl;
	return (th[13] & ~TCP_PSH) == TCP_ACK && csum_add(0, ip, 20) == 0xffff &&
	       l4_csum_valid(f, len);
}

/* IPv4 and IPv6 flows alike: the same IP header fields, the same ports */
static bool same_flow(const uint8_t *a, const uint8_t *b, bool v6)
{
	if (v6)	/* version, class and flow label; hop limit; addresses and ports */
		return !memcmp(a + 14, b + 14, 4) && a[21] == b[21] && !memcmp(a + 22, b + 22, 36);
	return !memcmp(a + 26, b + 26, 12);	/* addresses and ports */
}

/*
 * GUEST_TSO4 (@tso4) and GUEST_TSO6 (@tso6): the queued segments after
 * @first joined to it in n->rxbuf, at most @room bytes, as Linux's GRO
 * would join them: the same MACs, IP header fields (IPv6: class, flow
 * label, hop limit), addresses, ports, acknowledgement and TCP options,
 * contiguous, each as long as the first but the last, which may be
 * shorter; no segment after one with PSH.  The number of frames taken (1:
 * none joined, rxbuf unused), the joined frame's length and the first's
 * payload (gso_size).
 */
static unsigned int coalesce(struct virtio_net *n, const struct rx_frame *first, size_t room,
			     bool tso4, bool tso6, size_t *len, size_t *mss)
{
	const uint8_t *a = first->data;
	bool v6 = first->len >= 14 && be16_at(a + 12) == 0x86dd;
	size_t lo = v6 ? 54 : 34, thl, plen, hl, thl2, plen2;
	uint8_t *m = n->rxbuf;
	const struct rx_frame *g;
	unsigned int k;
	uint32_t next;
	uint16_t c;

	if (!(v6 ? tso6 : tso4) || !seg_ok(a, first->len, v6, &thl, &plen) ||
	    (a[lo + 13] & TCP_PSH))
		return 1;
	hl = lo + thl;
	*mss = plen;
	*len = hl + plen;
	next = be32_at(a + lo + 4) + (uint32_t)plen;
	for (k = 1; (g = rxq_peek_at(n, k)); k++) {
		const uint8_t *b = g->data;

		/* the IP length field counts from byte 14 (IPv4) or 54 (IPv6) */
		if (g->has_hdr || !seg_ok(b, g->len, v6, &thl2, &plen2) || thl2 != thl ||
		    plen2 > *mss || *len + plen2 > room || *len + plen2 > NET_FRAME_MAX ||
		    *len + plen2 - (v6 ? 54 : 14) > 0xffff || memcmp(a, b, 12) ||
		    !same_flow(a, b, v6) || be32_at(b + lo + 4) != next ||
		    memcmp(a + lo + 8, b + lo + 8, 4) || memcmp(a + lo + 20, b + lo + 20, thl - 20))
			break;
		if (k == 1)
			memcpy(m, a, *len);
		memcpy(m + *len, b + hl, plen2);
		*len += plen2;
		next += (uint32_t)plen2;
		m[lo + 13] |= b[lo + 13] & TCP_PSH;
		memcpy(m + lo + 14, b + lo + 14, 2);	/* the newest window */
		if (plen2 < *mss || (b[lo + 13] & TCP_PSH)) {
			k++;
			break;
		}
	}
	if (k == 1)
		return 1;
	put_be16(m + lo + 16, 0);
	if (v6) {
		/* the payload length, the TCP checksum */
		put_be16(m + 18, (uint16_t)(*len - 54));
		c = (uint16_t)~csum_add(csum_add(0, m + 22, 32) + (uint32_t)(*len - 54) + 6,
					m + 54, *len - 54);
	} else {
		/* the IPv4 total length and header checksum, the TCP checksum */
		put_be16(m + 16, (uint16_t)(*len - 14));
		put_be16(m + 24, 0);
		put_be16(m + 24, (uint16_t)~csum_add(0, m + 14, 20));
		c = (uint16_t)~csum_add(csum_add(6 + (uint32_t)(*len - 34), m + 26, 8), m + 34,
					*len - 34);
	}
	put_be16(m + lo + 16, c);
	return k;
}

/*
 * MRG_RXBUF: the room of the receive chains posted, up to what the largest
 * frame takes (none taken): what GUEST_TSO4 may join segments up to, so
 * that a joined frame never waits for chains the driver may not post.
 */
static size_t merged_room(struct virtio_mmio *t)
{
	size_t room = 0;
	unsigned int k = 0;

	while (room < VIRTIO_NET_HDR_SIZE + NET_FRAME_MAX && k < t->vq[RX_Q].num &&
	       virtq_pop(t, RX_Q, &t->req) > 0) {
		room += writable(&t->req);
		k++;
	}
	virtq_unpop(t, RX_Q, k);
	return room;
}

/*
 * MRG_RXBUF: @hdr and @len bytes of @data over as many receive chains as
 * they take, num_buffers set in the first; all used at once.  1: done; 0:
 * too few chains posted yet (none taken: the frame waits); -1: drop the
 * frame: it can never fit (every chain of the queue is too little: none
 * taken), or the first chain has no room for the header (used empty).
 */
static int receive_merged(struct virtio_mmio *t, struct virtio_net *n, uint8_t *hdr,
			  const uint8_t *data, size_t len)
{
	size_t total = VIRTIO_NET_HDR_SIZE + len, done = 0, w, h;
	unsigned int k = 0;
	uint16_t nb;

	while (done < total) {
		if (k == t->vq[RX_Q].num || virtq_pop(t, RX_Q, &t->req) <= 0) {
			virtq_unpop(t, RX_Q, k);
			return k && k == t->vq[RX_Q].num ? -1 : 0;
		}
		w = writable(&t->req);
		if (!k && w < VIRTIO_NET_HDR_SIZE) {
			virtq_push(t, RX_Q, t->req.head, 0);
			return -1;
		}
		/* the header all in the first chain (w >= its size there) */
		w = w < total - done ? w : total - done;
		h = k ? 0 : VIRTIO_NET_HDR_SIZE;
		if (h)
			virtq_copy_to(&t->req, 0, hdr, h);
		virtq_copy_to(&t->req, h, data + done + h - VIRTIO_NET_HDR_SIZE, w - h);
		if (!k) {	/* for num_buffers: its buffers only, not the whole struct */
			n->first.n = t->req.n;
			memcpy(n->first.buf, t->req.buf, t->req.n * sizeof(t->req.buf[0]));
		}
		n->mrg_head[k] = t->req.head;
		n->mrg_len[k] = (uint32_t)w;
		k++;
		done += w;
	}
	nb = htole16((uint16_t)k);
	virtq_copy_to(&n->first, 10, &nb, 2);
	virtq_push_n(t, RX_Q, n->mrg_head, n->mrg_len, k);
	return 1;
}

/* The queued frames into the posted receive chains (transport lock held). */
static void receive(struct virtio_mmio *t, struct virtio_net *n)
{
	/* flags, gso_type, hdr_len, gso_size, csum_start, csum_offset; num_buffers 1 */
	uint8_t hdr[VIRTIO_NET_HDR_SIZE] = { [10] = 1 };
	bool guest_csum = t->driver_features & (1ULL << VIRTIO_NET_F_GUEST_CSUM);
	bool tso4 = guest_csum && (t->driver_features & (1ULL << VIRTIO_NET_F_GUEST_TSO4));
	bool tso6 = guest_csum && (t->driver_features & (1ULL << VIRTIO_NET_F_GUEST_TSO6));
	bool gso = tso4 || tso6;
	bool mrg = t->driver_features & (1ULL << VIRTIO_NET_F_MRG_RXBUF);
	const uint8_t *data;
	struct rx_frame *f;
	size_t room, len = 0, mss = 0;
	unsigned int k;
	int r;

	while ((f = rxq_peek(n))) {
		if (f->has_hdr && !rx_hdr_fixup(f, t->driver_features)) {
			n->rx_refused++;
			rxq_drop_head(n);
			continue;
		}
		if (mrg) {
			/* the chains' room matters only to joining segments */
			room = gso && rxq_peek_at(n, 1) ? merged_room(t) :
			       VIRTIO_NET_HDR_SIZE + NET_FRAME_MAX;
			if (!room)
				return;
		} else {
			if (virtq_pop(t, RX_Q, &t->req) <= 0)
				return;
			room = writable(&t->req);
		}
		k = 1;
		if (gso && !f->has_hdr && room > sizeof(hdr) + f->len)
			k = coalesce(n, f, room - sizeof(hdr), tso4, tso6, &len, &mss);
		memset(hdr, 0, 10);
		if (f->has_hdr) {
			data = f->data;
			len = f->len;
			memcpy(hdr, f->hdr, 10);
		} else if (k > 1) {
			bool v6 = be16_at(n->rxbuf + 12) == 0x86dd;
			size_t lo = v6 ? 54 : 34;

			data = n->rxbuf;
			hdr[0] = VIRTIO_NET_HDR_F_DATA_VALID;
			hdr[1] = v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
			hdr[2] = (uint8_t)(lo + (data[lo + 12] >> 4) * 4);	/* hdr_len */
			hdr[4] = (uint8_t)mss;
			hdr[5] = (uint8_t)(mss >> 8);
		} else {
			data = f->data;
			len = f->len;
			hdr[0] = guest_csum && l4_csum_valid(f->data, f->len) ?
				 VIRTIO_NET_HDR_F_DATA_VALID : 0;
		}
		r = 1;
		if (mrg) {
			r = receive_merged(t, n, hdr, data, len);
			if (!r)
				return;
			if (r < 0) {
				pr_warn_rl("virtio-net: a %zu-byte frame does not fit the receive "
					   "chains posted: dropped\n", len);
				k = 1;
			}
		} else if (room < sizeof(hdr) + len) {
			pr_warn_rl("virtio-net: a %zu-byte frame does not fit a receive chain of "
				   "%zu bytes: dropped\n", len, room);
			virtq_push(t, RX_Q, t->req.head, 0);
			r = -1;
		} else {
			virtq_copy_to(&t->req, 0, hdr, sizeof(hdr));
			virtq_copy_to(&t->req, sizeof(hdr), data, len);
			virtq_push(t, RX_Q, t->req.head, (uint32_t)(sizeof(hdr) + len));
		}
		n->rx_gso += r > 0 && hdr[1] != VIRTIO_NET_HDR_GSO_NONE;
		n->rx_gso6 += r > 0 && (hdr[1] & ~VIRTIO_NET_HDR_GSO_ECN) == VIRTIO_NET_HDR_GSO_TCPV6;
		n->rx_coalesced += k - 1;
		n->rx_frames += r > 0 ? k : 0;
		while (k--)
			rxq_drop_head(n);
	}
}

/* Every transmit chain: its header read, its frame to the backend. */
static void transmit(struct virtio_mmio *t, struct virtio_net *n)
{
	uint8_t hdr[VIRTIO_NET_HDR_SIZE];
	size_t len, i;

	while (virtq_pop(t, TX_Q, &t->req) > 0) {
		for (len = 0, i = 0; i < t->req.n; i++)
			if (!t->req.buf[i].write)
				len += t->req.buf[i].len;
		if (len <= VIRTIO_NET_HDR_SIZE || len - VIRTIO_NET_HDR_SIZE > NET_FRAME_MAX) {
			pr_warn_rl("virtio-net: a transmit chain of %zu bytes: dropped\n", len);
			n->tx_dropped++;
		} else {
			virtq_copy_from(&t->req, 0, hdr, sizeof(hdr));
			len = virtq_copy_from(&t->req, VIRTIO_NET_HDR_SIZE, n->txbuf,
					      len - VIRTIO_NET_HDR_SIZE);
			if (!tx_hdr_ok(n, t->driver_features, hdr, len)) {
				pr_warn_rl("virtio-net: a frame with a header it may not have "
					   "(flags %#x, gso_type %#x): dropped\n", hdr[0], hdr[1]);
				n->tx_dropped++;
			} else if (n->backend) {
				n->tx_frames++;
				n->tx_gso += hdr[1] != VIRTIO_NET_HDR_GSO_NONE;
				n->tx_gso6 += (hdr[1] & ~VIRTIO_NET_HDR_GSO_ECN) ==
					      VIRTIO_NET_HDR_GSO_TCPV6;
				if (hdr[1] == VIRTIO_NET_HDR_GSO_TCPV6 && !n->backend->vnet_hdr)
					tx_segment6(n, le16_at(hdr + 4), len);
				else
					n->backend->send(n->backend, hdr, n->txbuf, len);
			}
		}
		virtq_push(t, TX_Q, t->req.head, 0);
	}
}

static void net_notify(struct virtio_mmio *t, unsigned int q)
{
	struct virtio_net *n = t->priv;
	bool pushed;

	if (q == RX_Q) {
		receive(t, n);
	} else if (q == TX_Q) {
		transmit(t, n);
		/* the replies the backend made at once; the transmitq's interrupt kept */
		if (rxq_peek(n)) {
			pushed = t->pushed;
			virtio_mmio_device_notify(t, RX_Q);
			t->pushed = pushed;
		}
	}
}

void virtio_net_rx_flush(struct virtio_net *n)
{
	struct virtio_mmio *t = n->t;

	if (!t || !rxq_peek(n))
		return;
	pthread_mutex_lock(&t->lock);
	virtio_mmio_device_notify(t, RX_Q);
	pthread_mutex_unlock(&t->lock);
}


/* ---- on the VM's bus: the backend --network chose ---------------------- */

static int net_setup(struct virtio_mmio *t, struct device *dev)
{
	struct vm *vm = dev->vm;
	const struct vmm_net *cfg = &vm->cfg->net;
	struct net_backend *nb = NULL;
	struct virtio_net *n = virtio_net_new(cfg->mac);

	if (!n)
		return -ENOMEM;
	t->priv = n;
	virtio_net_attach(t, n);	/* n->t set before the backend's thread runs */
	if (cfg->mode == NET_MODE_USER)
		nb = net_user_new(cfg, n);
	else if (cfg->mode == NET_MODE_TAP)
		nb = net_tap_new(cfg, vm->tap_fd, n);
	if (!nb) {
		virtio_net_free(n);
		t->priv = NULL;
		return -EINVAL;
	}
	if (cfg->mode == NET_MODE_TAP)
		vm->tap_fd = -1;	/* the backend's now */
	virtio_net_set_backend(n, nb);
	pr_debug("%s: --network mode=%s, MAC %02x:%02x:%02x:%02x:%02x:%02x\n",
		 dev->region->name, cfg->mode == NET_MODE_USER ? "user" : "tap",
		 n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5]);
	return 0;
}

/*
 * What the queues saw, for a run whose network went quiet: frames each
 * way, those still waiting for a receive chain, and each ring's indices
 * (the driver's avail idx against what vmm took and gave back) unless
 * the driver reset the device (Linux does at power-off).
 */
static void net_report(struct virtio_mmio *t, const struct virtio_net *n)
{
	char q[2][64];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		const struct virtq *vq = &t->vq[i];

		if (vq->ready && vq->avail)
			snprintf(q[i], sizeof(q[i]), "avail %u, taken %u, used %u",
				 virtq_avail_idx(vq), vq->last_avail,
				 vq->used_idx);
		else
			snprintf(q[i], sizeof(q[i]), "not ready (reset)");
	}
	pr_info("virtio-net: %" PRIu64 " frames to the guest (%u waiting), %" PRIu64
		" from it; receive queue %s; transmit queue %s\n", n->rx_frames, n->rxq_len,
		n->tx_frames, q[RX_Q], q[TX_Q]);
}

static void net_teardown(struct virtio_mmio *t)
{
	if (t->priv)
		net_report(t, t->priv);
	virtio_net_free(t->priv);
}

/* what a vnet_hdr backend may give the guest follows what the driver took */
static void net_features_ok(struct virtio_mmio *t)
{
	struct virtio_net *n = t->priv;

	if (n && n->backend && n->backend->set_offloads)
		n->backend->set_offloads(n->backend, t->driver_features);
}

static void net_reset(struct virtio_mmio *t)
{
	struct virtio_net *n = t->priv;

	if (n && n->backend && n->backend->set_offloads)
		n->backend->set_offloads(n->backend, 0);
}

const struct virtio_dev_ops virtio_net_dev_ops = {
	.name = "virtio-net",
	.device_id = VIRTIO_ID_NET,
	.num_queues = 2,
	.notify = net_notify,
	.reset = net_reset,
	.features_ok = net_features_ok,
	.setup = net_setup,
	.teardown = net_teardown,
};
VIRTIO_DEVICE_REGISTER(virtio_net_dev_ops)
