// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of the virtio-net tests and benchmark: a tiny HTTP/1.0
 * server on 127.0.0.1 that answers every GET with one file.
 *
 *   net_server FILE PORTFILE [SECONDS]   listen on a free port, write it
 *                                        to PORTFILE, serve until killed
 *                                        (or SECONDS, default 900, pass)
 *   net_server --free-port               print a port free right now
 *   net_server --tso IFNAME              print "tso 1" if the interface
 *                                        takes TCP segmentation offload
 *                                        (ethtool -k's), else "tso 0"
 *   net_server --dns NAME IPV4 READYFILE a DNS server on 127.0.0.1:53
 *                                        (root) knowing one name: A
 *                                        queries for NAME get IPV4, other
 *                                        types none, other names NXDOMAIN;
 *                                        READYFILE written once it listens;
 *                                        600 s, then it exits
 *
 * A POST gets its own body back (Content-Length bytes, at most 64 MiB):
 * the guest sends a file and checks what returns (`wget --post-file`).
 * One connection at a time: the guest fetches one file at a time.
 * NET_SERVER_ADDR (an IPv4 or IPv6 address: ::1, or the host's end of the
 * tap in the tap test's private namespace) listens there instead of
 * 127.0.0.1.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>

static int listen_any(unsigned short *port)
{
	const char *addr = getenv("NET_SERVER_ADDR");
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	bool v6 = addr && strchr(addr, ':');
	struct sockaddr *sp = v6 ? (struct sockaddr *)&sa6 : (struct sockaddr *)&sa;
	socklen_t len = v6 ? sizeof(sa6) : sizeof(sa);
	int one = 1, fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (addr && (v6 ? inet_pton(AF_INET6, addr, &sa6.sin6_addr) :
			  inet_pton(AF_INET, addr, &sa.sin_addr)) != 1) {
		fprintf(stderr, "net_server: NET_SERVER_ADDR %s: not an IPv4 or IPv6 address\n",
			addr);
		close(fd);
		return -1;
	}
	if (bind(fd, sp, len) < 0 || listen(fd, 8) < 0 || getsockname(fd, sp, &len) < 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(v6 ? sa6.sin6_port : sa.sin_port);
	return fd;
}

#define POST_MAX	(64 << 20)

/*
 * The request's head, up to the blank line, into @buf (@have bytes read,
 * perhaps some of a body): its length, 0 if none came.
 */
static size_t read_request(int c, char *buf, size_t size, size_t *have)
{
	char *end;
	ssize_t n;

	*have = 0;
	while (*have < size - 1) {
		n = read(c, buf + *have, size - 1 - *have);
		if (n <= 0)
			return 0;
		*have += (size_t)n;
		buf[*have] = 0;
		if ((end = strstr(buf, "\r\n\r\n")))
			return (size_t)(end - buf) + 4;
		if ((end = strstr(buf, "\n\n")))
			return (size_t)(end - buf) + 2;
	}
	return 0;
}

static bool write_all(int c, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(c, p, len);
		if (n <= 0 && errno != EINTR)
			return false;
		if (n > 0) {
			p += n;
			len -= (size_t)n;
		}
	}
	return true;
}

/* a POST (head of @head_len bytes, @have read): its body sent back */
static void echo_post(int c, const char *buf, size_t head_len, size_t have)
{
	const char *line;
	long long want = -1;
	size_t got;
	char head[128], *body;
	ssize_t n;
	int len;

	for (line = buf; line && line < buf + head_len; line = strchr(line, '\n'), line += !!line)
		if (!strncasecmp(line, "Content-Length:", 15))
			want = atoll(line + 15);
	if (want < 0 || want > POST_MAX)
		return;
	body = malloc(want ? (size_t)want : 1);
	if (!body)
		return;
	got = have - head_len < (size_t)want ? have - head_len : (size_t)want;
	memcpy(body, buf + head_len, got);
	while (got < (size_t)want) {
		n = read(c, body + got, (size_t)want - got);
		if (n <= 0 && errno != EINTR)
			break;
		got += n > 0 ? (size_t)n : 0;
	}
	len = snprintf(head, sizeof(head), "HTTP/1.0 200 OK\r\nContent-Length: %lld\r\n"
		       "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
		       want);
	if (got == (size_t)want && write_all(c, head, (size_t)len))
		write_all(c, body, got);
	free(body);
}

static void serve(int c, int file, off_t size)
{
	char head[128], req[4096];
	size_t head_len, have;
	off_t off = 0;
	ssize_t n;
	int len;

	head_len = read_request(c, req, sizeof(req), &have);
	if (!head_len)
		return;
	if (!strncmp(req, "POST ", 5)) {
		echo_post(c, req, head_len, have);
		return;
	}
	len = snprintf(head, sizeof(head), "HTTP/1.0 200 OK\r\nContent-Length: %lld\r\n"
		       "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
		       (long long)size);
	if (write(c, head, (size_t)len) != len)
		return;
	while (off < size) {
		n = sendfile(c, file, &off, (size_t)(size - off));
		if (n <= 0 && errno != EINTR)
			return;
	}
}

/* ETHTOOL_GTSO on @name: 0 or 1 printed, or an error */
static int print_tso(const char *name)
{
	struct ethtool_value ev = { .cmd = ETHTOOL_GTSO };
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(name) >= sizeof(ifr.ifr_name))
		return fprintf(stderr, "net_server: --tso %s: bad name or no socket\n", name), 1;
	strcpy(ifr.ifr_name, name);
	ifr.ifr_data = (void *)&ev;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		return perror("net_server: SIOCETHTOOL"), 1;
	close(fd);
	printf("tso %u\n", ev.data ? 1 : 0);
	return 0;
}

/*
 * A DNS reply (RFC 1035 4.1) to the query @q of @len bytes in @r: the
 * question echoed, an A record for @name if asked; its length, or 0 for a
 * message that is not a one-question query.
 */
static size_t dns_answer(const uint8_t *q, size_t len, const char *name, struct in_addr a,
			 uint8_t *r)
{
	char qname[256];
	size_t off = 12, n = 0, end;
	uint16_t type;
	bool match;

	if (len < 12 || (q[2] & 0x80) || q[4] || q[5] != 1)
		return 0;
	while (off < len && q[off]) {
		size_t l = q[off];

		if (l > 63 || off + 1 + l >= len || n + l + 1 >= sizeof(qname))
			return 0;
		if (n)
			qname[n++] = '.';
		memcpy(qname + n, q + off + 1, l);
		n += l;
		off += 1 + l;
	}
	qname[n] = 0;
	end = off + 5;				/* the root label, type, class */
	if (end > len)
		return 0;
	type = (uint16_t)(q[off + 1] << 8 | q[off + 2]);
	match = !strcasecmp(qname, name);
	memcpy(r, q, end);
	r[2] = 0x80 | (q[2] & 0x01);		/* a response; RD as asked */
	r[3] = match ? 0x80 : 0x83;		/* RA; NOERROR or NXDOMAIN */
	r[6] = r[7] = r[8] = r[9] = r[10] = r[11] = 0;
	if (!match || type != 1)
		return end;
	r[7] = 1;
	/* a pointer to the question's name, A, IN, TTL 60, 4 bytes */
	memcpy(r + end, "\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04", 12);
	memcpy(r + end + 12, &a, 4);
	return end + 16;
}

static int serve_dns(const char *name, const char *addr, const char *ready)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(53) };
	struct sockaddr_in from;
	socklen_t flen;
	uint8_t q[512], r[512 + 16];
	struct in_addr a;
	size_t rlen;
	ssize_t n;
	FILE *f;
	int fd;

	if (inet_pton(AF_INET, addr, &a) != 1)
		return fprintf(stderr, "net_server: --dns: %s is not an IPv4 address\n", addr), 2;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return perror("net_server: --dns: 127.0.0.1:53"), 1;
	f = fopen(ready, "w");
	if (!f || fclose(f))
		return perror(ready), 1;
	alarm(600);
	for (;;) {
		flen = sizeof(from);
		n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &flen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return perror("net_server: --dns: recvfrom"), 1;
		}
		rlen = dns_answer(q, (size_t)n, name, a, r);
		if (rlen)
			sendto(fd, r, rlen, 0, (struct sockaddr *)&from, flen);
	}
}

int main(int argc, char **argv)
{
	unsigned short port;
	struct stat st;
	int s, c, file;
	FILE *f;

	signal(SIGPIPE, SIG_IGN);
	if (argc == 2 && !strcmp(argv[1], "--free-port")) {
		s = listen_any(&port);
		if (s < 0)
			return perror("net_server: listen"), 1;
		printf("%u\n", port);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--tso"))
		return print_tso(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "--dns"))
		return serve_dns(argv[2], argv[3], argv[4]);
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: net_server FILE PORTFILE [SECONDS] | --free-port | "
			"--tso IFNAME | --dns NAME IPV4 READYFILE\n");
		return 2;
	}
	file = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (file < 0 || fstat(file, &st) < 0)
		return perror(argv[1]), 1;
	s = listen_any(&port);
	if (s < 0)
		return perror("net_server: listen"), 1;
	alarm(argc == 4 ? (unsigned int)atoi(argv[3]) : 900);
	f = fopen(argv[2], "w");
	if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f))
		return perror(argv[2]), 1;
	for (;;) {
		c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0) {
			if (errno == EINTR)
				continue;
			return perror("net_server: accept"), 1;
		}
		serve(c, file, st.st_size);
		close(c);
	}
}
