// SPDX-License-Identifier: GPL-2.0
/* The console (console.h). */
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/*
 * Guest output is written by the thread that produced it, straight to
 * stdout: vmm keeps no buffer of its own beyond OUT_HELD_MAX bytes, so its
 * memory does not grow with what a guest prints.  When stdout cannot take
 * more (a pipe nobody reads), the writer waits: the vCPU stalls in its UART
 * or virtio-console access until the reader reads, as behind a line with
 * hardware flow control.  The wait is a poll() of at most OUT_WAIT_MS at a
 * time and writes are at most PIPE_BUF to a pipe, socket or terminal
 * (POLLOUT promises that much room), so that nothing blocks in write() and
 * a stop is seen within OUT_WAIT_MS.
 *
 * Output a device hands over with console_out_held() (the 8250's bytes
 * from the coalesced-MMIO ring, one a character) waits in `held` instead,
 * and goes out in one write() when it is full, when anything else is
 * written (console_out, the monitor, vmm's own messages: the order stays),
 * and at console_flush(): the 10 ms ring flusher, every vCPU exit that is
 * not an MMIO access, the end of a vCPU thread, a stop, a fatal signal.
 */
#define OUT_WAIT_MS	100
#define OUT_CHUNK_SLOW	4096		/* PIPE_BUF */
#define OUT_CHUNK_FAST	(1 << 20)

static atomic_bool out_stopped;		/* the run is over: output is dropped */
/* under out_lock */
static bool out_dead;			/* stdout is gone: output is dropped */
static bool out_fast;			/* a regular file, /dev/null: never full */
static size_t out_chunk;		/* the most one write() may take */
static size_t out_credit;		/* what may be written before the next poll() */
#define OUT_HELD_MAX	4096
static uint8_t held[OUT_HELD_MAX];	/* console_out_held()'s, not written yet */
static size_t held_len;

static void out_setup(void)
{
	struct stat st;

	out_fast = fstat(STDOUT_FILENO, &st) == 0 && !isatty(STDOUT_FILENO) &&
		   (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode));
	out_chunk = out_fast ? OUT_CHUNK_FAST : OUT_CHUNK_SLOW;
}

/*
 * out_lock held.  @waits: how many OUT_WAIT_MS waits for room; -1: no
 * limit.  POLLOUT on a pipe means a free page: PIPE_BUF bytes, written in
 * as many write()s as the guest makes, cannot block (one poll() per byte
 * would halve the UART's speed).
 */
static void out_locked(const uint8_t *p, size_t len, int waits)
{
	struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };
	size_t done = 0, want;
	ssize_t n;
	int r;

	if (!out_chunk)
		out_setup();
	while (done < len && !out_dead && !out_stopped) {
		if (out_fast)
			out_credit = out_chunk;
		if (!out_credit) {
			r = poll(&pfd, 1, OUT_WAIT_MS);
			if (r < 0 && errno != EINTR) {
				out_dead = true;
				break;
			}
			if (r <= 0) {
				if (waits >= 0 && --waits < 0)
					break;
				continue;	/* full: wait, unless the run ends */
			}
			if (pfd.revents & (POLLERR | POLLNVAL)) {
				out_dead = true;	/* nobody listens: drop the output */
				break;
			}
			out_credit = out_chunk;
		}
		want = len - done < out_credit ? len - done : out_credit;
		n = write(STDOUT_FILENO, p + done, want);
		if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
			out_credit = 0;
			continue;
		}
		if (n <= 0) {
			out_dead = true;
			break;
		}
		done += (size_t)n;
		out_credit -= (size_t)n;
	}
}

/* The guest's current line (what it wrote since its last newline, the
 * end of it): the monitor shows it again when the guest resumes. */
static char line_tail[160];
static size_t line_tail_len;

static void line_tail_note(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = len; i > 0 && p[i - 1] != '\n'; i--)
		;
	if (i)				/* a newline: the line starts after it */
		line_tail_len = 0;
	for (; i < len; i++) {
		if (line_tail_len == sizeof(line_tail)) {
			memmove(line_tail, line_tail + 1, sizeof(line_tail) - 1);
			line_tail_len--;
		}
		line_tail[line_tail_len++] = (char)p[i];
	}
}

/* out_lock held: what waits in `held` first (dropped if the run is over) */
static void held_out_locked(int waits)
{
	size_t len = held_len;

	if (!len)
		return;
	__atomic_store_n(&held_len, 0, __ATOMIC_RELAXED);
	out_locked(held, len, waits);
}

void console_out(const void *buf, size_t len)
{
	pthread_mutex_lock(&out_lock);
	held_out_locked(-1);
	line_tail_note(buf, len);
	out_locked(buf, len, -1);
	pthread_mutex_unlock(&out_lock);
}

void console_out_held(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t n;

	pthread_mutex_lock(&out_lock);
	line_tail_note(p, len);
	while (len) {
		if (held_len == sizeof(held))
			held_out_locked(-1);
		n = sizeof(held) - held_len < len ? sizeof(held) - held_len : len;
		memcpy(held + held_len, p, n);
		__atomic_store_n(&held_len, held_len + n, __ATOMIC_RELAXED);
		p += n;
		len -= n;
	}
	pthread_mutex_unlock(&out_lock);
}

void console_flush(void)
{
	if (!__atomic_load_n(&held_len, __ATOMIC_RELAXED))
		return;			/* the common case: no lock */
	pthread_mutex_lock(&out_lock);
	held_out_locked(-1);
	pthread_mutex_unlock(&out_lock);
}

/* the lock within 250 ms, or false: for threads that must not wait long */
static bool out_lock_try(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 250 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return !pthread_mutex_timedlock(&out_lock, &ts);
}

void console_flush_try(void)
{
	if (!__atomic_load_n(&held_len, __ATOMIC_RELAXED) || !out_lock_try())
		return;
	held_out_locked(2);
	pthread_mutex_unlock(&out_lock);
}

/*
 * Without the control bytes and escape sequences: a query the guest sent
 * (ash asks for the cursor position, ESC [ 6 n) must not be asked again,
 * or the terminal's answer would reach the guest as input.
 */
void console_redraw_line(void)
{
	char shown[sizeof(line_tail)];
	size_t i, n = 0;

	pthread_mutex_lock(&out_lock);
	held_out_locked(-1);
	for (i = 0; i < line_tail_len; i++) {
		unsigned char c = (unsigned char)line_tail[i];

		if (c == 0x1b && i + 1 < line_tail_len && line_tail[i + 1] == '[') {
			/* CSI: parameters and intermediates up to a final byte */
			for (i += 2; i < line_tail_len &&
			     ((unsigned char)line_tail[i] < 0x40 || (unsigned char)line_tail[i] > 0x7e);
			     i++)
				;
			continue;
		}
		if (c == 0x1b) {
			i++;		/* a two-byte escape */
			continue;
		}
		if (c >= 0x20 || c == '\t')
			shown[n++] = (char)c;
	}
	out_locked((const uint8_t *)shown, n, -1);
	pthread_mutex_unlock(&out_lock);
}

/*
 * For the console thread, which must not wait for a reader for long: it
 * is what reads Ctrl-A x.  At most about half a second, then dropped.
 */
static void console_out_try(const void *buf, size_t len)
{
	if (!out_lock_try())
		return;
	held_out_locked(2);
	out_locked(buf, len, 2);
	pthread_mutex_unlock(&out_lock);
}

void console_out_stop(void)
{
	out_stopped = true;
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

/* async-signal-safe: write() */
static void held_write_unlocked(void)
{
	size_t len = __atomic_exchange_n(&held_len, 0, __ATOMIC_RELAXED), done = 0;
	ssize_t n;

	if (len > sizeof(held))
		return;
	while (done < len && !out_stopped) {
		n = write(STDOUT_FILENO, held + done, len - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
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
	/*
	 * What the guest printed last, most often what says why: written
	 * without the lock (its holder may be the thread that faulted), once.
	 */
	held_write_unlocked();
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

	out_stopped = false;		/* a new run */
	log_before_write = console_flush_try;
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

/*
 * Give @c to the console device; false if the monitor took over meanwhile
 * (the character is then the monitor's).  A full FIFO is waited on, as a
 * real line would, but a guest that reads nothing for 2 s is deaf: what
 * follows is dropped at once until it reads again, so that a Ctrl-A x
 * behind a pasted text is not held up for 2 s a character.
 */
static bool to_guest(struct vm *vm, uint8_t c)
{
	static bool deaf;
	struct device *con = vm->console;
	struct timespec ms = { 0, 1000000 };
	int tries;

	if (!con)
		return true;
	for (tries = 0; tries < 2000 && !vm->stopping; tries++) {
		if (con->ops->input(con, c)) {
			deaf = false;
			return true;
		}
		if (deaf)
			return true;
		if (monitor_is_active(vm))
			return false;
		nanosleep(&ms, NULL);
	}
	deaf = true;
	return true;
}

static void help(void)
{
	static const char msg[] =
		"\r\nvmm escapes: Ctrl-A x quit, Ctrl-A c monitor, Ctrl-A a send Ctrl-A, "
		"Ctrl-A h this help\r\n";
	console_out_try(msg, sizeof(msg) - 1);
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

					console_out_try(bye, sizeof(bye) - 1);
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
			if (monitor_is_active(vm) || !to_guest(vm, c))
				monitor_input(vm, c);
		}
	}
	/*
	 * A terminal in raw mode reads 0 or EIO only once it has hung up (its
	 * window or ssh session closed).  The kernel sends SIGHUP to the
	 * session leader only: under `make run` that is make, and vmm would
	 * run on with nobody to talk to.  Stop as SIGHUP would.  End of a file
	 * or pipe on stdin is not a hang-up: the guest runs on.
	 */
	if (termios_saved && (n == 0 || errno == EIO)) {
		console_signal = SIGHUP;
		return NULL;
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
	sigset_t old;
	int ret;

	block_process_signals(&old, 0);
	ret = pthread_create(&t, NULL, console_thread, vm);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		pr_err("cannot start the console thread: %s\n", strerror(ret));
		return -1;
	}
	pthread_detach(t);
	return 0;
}
