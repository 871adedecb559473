// SPDX-License-Identifier: GPL-2.0
/* The Check runner for the vmm tests: TAP on stdout. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmm_test.h"

const char *vmm_binary(void)
{
	static char path[PATH_MAX];
	char self[PATH_MAX];
	ssize_t n;

	if (path[0])
		return path;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return "build/vmm";
	self[n] = '\0';
	snprintf(path, sizeof(path), "%s/../vmm", dirname(self));
	return path;
}

char *write_guest(const uint32_t *words, size_t n)
{
	char *path = strdup("/tmp/vmm-test-guest-XXXXXX");
	int fd = mkstemp(path);
	uint8_t b[4];
	size_t i;

	if (fd < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		b[0] = (uint8_t)words[i];
		b[1] = (uint8_t)(words[i] >> 8);
		b[2] = (uint8_t)(words[i] >> 16);
		b[3] = (uint8_t)(words[i] >> 24);
		if (write(fd, b, 4) != 4) {
			close(fd);
			return NULL;
		}
	}
	close(fd);
	return path;
}

/*
 * One command's budget.  Every command a test runs is bounded on its own, so
 * that a test's time is proportional to its work: a test of many quick
 * commands is never cut short by the machine's load, and a command that
 * hangs fails with its own name instead of the whole test case timing out.
 * A vmm that boots a guest carries a --timeout well below this.
 */
#define COMMAND_BUDGET_S	180

int run_capture(char *const argv[], char *out, size_t outlen)
{
	int status, fd;
	size_t len = 0;
	ssize_t n;
	time_t deadline = time(NULL) + COMMAND_BUDGET_S;
	char spill[4096];
	pid_t pid = spawn_piped(argv, &fd);

	if (pid < 0)
		return -1;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		time_t left = deadline - time(NULL);

		if (left <= 0 || poll(&pfd, 1, (int)left * 1000) == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			close(fd);
			snprintf(out + len, outlen - len, "\n[run_capture: %s %s killed after %d s]\n",
				 argv[0], argv[1] ? argv[1] : "", COMMAND_BUDGET_S);
			return -1;
		}
		/* past the buffer's end, drain into spill so that the child never blocks */
		if (len < outlen - 1)
			n = read(fd, out + len, outlen - 1 - len);
		else
			n = read(fd, spill, sizeof(spill));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < outlen - 1)
			len += (size_t)n;
	}
	out[len] = '\0';
	close(fd);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int main(void)
{
	static Suite *(*const suites[])(void) = {
		memmap_suite, loader_suite, fdt_suite, uart_suite, pl031_suite,
		testdev_suite, virtio_suite, spec_suite, options_suite,
		cli_suite, gdbstub_suite, p9_suite, pci_suite, NULL
	};

	return check_run(suites);
}
