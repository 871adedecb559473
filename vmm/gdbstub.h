/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A GDB remote serial protocol stub (`vmm run --gdb`): one thread that
 * listens on a TCP socket and serves one debugger at a time.  Each vCPU is
 * a thread; all-stop: when one stops, all do.  Breakpoints, watchpoints and
 * single step go through KVM_SET_GUEST_DEBUG, so they work the same on vkvm
 * and on Linux KVM.
 */
#ifndef VMM_GDBSTUB_H
#define VMM_GDBSTUB_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

struct vm;
struct vcpu;

#define GDB_DEFAULT_ADDR	"tcp:127.0.0.1:1234"	/* -s, as QEMU's */

/*
 * --gdb's value: tcp:HOST:PORT, tcp::PORT, HOST:PORT or PORT; no HOST
 * means 127.0.0.1 (loopback only), PORT 0 any free port.  0, or -1 with
 * why in @why.
 */
int gdbstub_parse_addr(const char *spec, struct sockaddr_in *sa, char *why, size_t len);

/* Bind and listen (before privileges go); prints where.  0 or -1. */
int gdbstub_listen(struct vm *vm);
/* Start the stub's thread; with --start-paused the vCPUs wait for the
 * debugger's first continue or step.  Before the vCPUs start. */
int gdbstub_start(struct vm *vm);
/* A vCPU's KVM_EXIT_DEBUG: true if the debugger takes it (the VM is then
 * paused, and the vCPU parks). */
bool gdbstub_debug_exit(struct vcpu *vcpu);
/* The run is over with @status: tell the debugger, end the thread. */
void gdbstub_end(struct vm *vm, int status);

#endif
