// SPDX-License-Identifier: GPL-2.0
/* The console (console.h). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../devices/device.h"
#include "console.h"
#include "monitor.h"
#include "vmm.h"

#define CTRL_A	0x01

volatile sig_atomic_t console_signal;

static struct termios saved_termios;
static volatile sig_atomic_t termios_saved;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

void console_out(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	pthread_mutex_lock(&out_lock);
	while (len) {
		n = write(STDOUT_FILENO, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;		/* nobody listens: drop the output */
		p += n;
		len -= (size_t)n;
	}
	pthread_mutex_unlock(&out_lock);
}

/* async-signal-safe: tcsetattr is */
void console_restore(void)
{
	if (termios_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
}

static void on_terminate(int sig)
{
	console_signal = sig;
}

static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
static struct sigaction fatal_prev[sizeof(fatal) / sizeof(fatal[0])];
static bool fatal_installed;		/* once: fatal_prev must never be ours */

/*
 * A fatal signal: give the terminal back, then let whoever handled the
 * signal before us (the sanitizers' reporters, a debugger's runtime, the
 * default action) see it.  A signal that was sent (kill, raise, abort) is
 * raised again; a fault is not, as returning re-runs the faulting
 * instruction, which faults again into the previous action with its real
 * context.  SA_ONSTACK: on a stack overflow only an alternate stack (the
 * sanitizers install one) can run a handler.
 */
static void on_fatal(int sig, siginfo_t *si, void *uc)
{
	size_t i;

	(void)uc;
	console_restore();
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		if (fatal[i] == sig)
			sigaction(sig, &fatal_prev[i], NULL);
	if (si->si_code <= 0)
		raise(sig);
}

void console_init(void)
{
	static const int terminate[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa;
	struct termios raw;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_terminate;
	for (i = 0; i < sizeof(terminate) / sizeof(terminate[0]); i++)
		sigaction(terminate[i], &sa, NULL);
	sa.sa_sigaction = on_fatal;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]) && !fatal_installed; i++)
		sigaction(fatal[i], &sa, &fatal_prev[i]);
	fatal_installed = true;
	signal(SIGPIPE, SIG_IGN);

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_termios) < 0)
		return;
	termios_saved = 1;
	atexit(console_restore);
	raw = saved_termios;
	/* keys go to the guest (no line editing, echo or signals); output keeps OPOST */
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHONL | ISIG | IEXTEN);
	raw.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IGNCR | IXON | ISTRIP | BRKINT);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
}

static void to_guest(struct vm *vm, uint8_t c)
{
	struct device *con = vm->console;
	struct timespec ms = { 0, 1000000 };
	int tries;

	if (!con)
		return;
	/* a full FIFO: wait for the guest to read, as a real line would */
	for (tries = 0; tries < 2000 && !vm->stopping; tries++) {
		if (con->ops->input(con, c))
			return;
		nanosleep(&ms, NULL);
	}
}

static void help(void)
{
	static const char msg[] =
		"\r\nvmm escapes: Ctrl-A x quit, Ctrl-A c monitor, Ctrl-A a send Ctrl-A, "
		"Ctrl-A h this help\r\n";
	console_out(msg, sizeof(msg) - 1);
}

static void *console_thread(void *arg)
{
	struct vm *vm = arg;
	bool escape = false;
	uint8_t buf[64];
	ssize_t n, i;

	pthread_setname_np(pthread_self(), "console");
	for (;;) {
		n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			uint8_t c = buf[i];

			if (escape) {
				escape = false;
				if (c == 'x') {
					static const char bye[] = "\r\nvmm: terminated (Ctrl-A x)\r\n";

					console_out(bye, sizeof(bye) - 1);
					vm_stop(vm, VMM_EXIT_OK);
					return NULL;
				}
				if (c == 'c') {
					monitor_enter(vm, -1, false);
					continue;
				}
				if (c == 'h') {
					help();
					continue;
				}
				if (c != 'a' && c != CTRL_A && !monitor_is_active(vm))
					to_guest(vm, CTRL_A);
				if (c == 'a')
					c = CTRL_A;
			} else if (c == CTRL_A) {
				escape = true;
				continue;
			}
			if (monitor_is_active(vm))
				monitor_input(vm, c);
			else
				to_guest(vm, c);
		}
	}
	pthread_mutex_lock(&vm->lock);
	vm->console_eof = true;
	pthread_mutex_unlock(&vm->lock);
	monitor_eof(vm);
	return NULL;
}

int console_start(struct vm *vm)
{
	pthread_t t;
	sigset_t block, old;
	int ret;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	ret = pthread_create(&t, NULL, console_thread, vm);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		pr_err("cannot start the console thread: %s\n", strerror(ret));
		return -1;
	}
	pthread_detach(t);
	return 0;
}
