/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The console: guest output to stdout, stdin to the console device or to
 * the monitor.  The terminal goes to raw mode only when stdin is a tty and
 * is restored on every exit path (atexit and signal handlers).
 * Escapes: Ctrl-A x quits, Ctrl-A c enters the monitor, Ctrl-A a sends Ctrl-A.
 */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct vm;

/*
 * Guest output to stdout, all of it: waits while stdout is full (the
 * caller, a vCPU, stalls until the reader reads), and returns early only
 * when the run ends (console_out_stop) or stdout is gone (output dropped).
 */
void console_out(const void *buf, size_t len);
/*
 * The same, but it may wait in a buffer of a few KiB until console_flush()
 * or any other output: for output that comes a byte at a time (the 8250's),
 * one write() for many.  Only while something calls console_flush() within
 * milliseconds (the coalesced-MMIO flusher thread).
 */
void console_out_held(const void *buf, size_t len);
/* Write what console_out_held() keeps, waiting as console_out() does. */
void console_flush(void);
/* The same for threads that must not wait for a reader: at most ~0.5 s. */
void console_flush_try(void);
/* The guest's unfinished last line again (its shell prompt, after the
 * monitor's output). */
void console_redraw_line(void);
/* The run is over: console_out() drops what it could not write yet. */
void console_out_stop(void);
/* Raw mode (if a tty), restore handlers; call once. */
void console_init(void);
void console_restore(void);
/* Start the input thread. */
int console_start(struct vm *vm);
/* A termination signal that arrived (SIGINT, SIGTERM, SIGHUP, SIGQUIT) or 0. */
extern volatile sig_atomic_t console_signal;

#endif
