// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of the virtio-net tests and benchmark: a tiny HTTP/1.0
 * server on 127.0.0.1 that answers every GET with one file.
 *
 *   net_server FILE PORTFILE [SECONDS]   listen on a free port, write it
 *                                        to PORTFILE, serve until killed
 *                                        (or SECONDS, default 900, pass)
 *   net_server --free-port               print a port free right now
 *
 * One connection at a time: the guest fetches one file at a time.
 * NET_SERVER_ADDR (an IPv4 or IPv6 address: ::1, or the host's end of the
 * tap in the tap test's private namespace) listens there instead of
 * 127.0.0.1.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
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

/* the request's head (up to the blank line; its content does not matter) */
static void read_request(int c)
{
	char buf[4096];
	size_t have = 0;
	ssize_t n;

	while (have < sizeof(buf) - 1) {
		n = read(c, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			return;
		have += (size_t)n;
		buf[have] = 0;
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			return;
	}
}

static void serve(int c, int file, off_t size)
{
	char head[128];
	off_t off = 0;
	ssize_t n;
	int len;

	read_request(c);
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
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: net_server FILE PORTFILE [SECONDS] | --free-port\n");
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
