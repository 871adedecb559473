/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitor: a line-based prompt on the console that pauses the VM.
 * Entered with Ctrl-A c, by the `stop` unhandled-access policy, or at start
 * with --start-paused.  Commands: help, regs, x GPA [LEN], mtree,
 * inject dabt|iabt|serror [ESR], vcpu N, step, cont, quit [STATUS].
 */
#ifndef VMM_MONITOR_H
#define VMM_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

struct vm;

/*
 * Pause the VM and give the console to the monitor.  @vcpu: the vCPU the
 * commands act on first (-1: vCPU 0); @by_policy: an unhandled access
 * stopped the VM (the caller is that vCPU's thread).  False when there is
 * no console input to read commands from.
 */
bool monitor_enter(struct vm *vm, int vcpu, bool by_policy);
bool monitor_is_active(struct vm *vm);
/* A byte of console input while the monitor is active. */
void monitor_input(struct vm *vm, uint8_t c);
/* Console input ended. */
void monitor_eof(struct vm *vm);
/* Run one command line; output on stdout. */
void monitor_command(struct vm *vm, const char *line);

#endif
