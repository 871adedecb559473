// SPDX-License-Identifier: GPL-2.0
/* The monitor (monitor.h). */
#include <ctype.h>
#include <endian.h>
#include <stdarg.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "diag.h"
#include "monitor.h"
#include "regs.h"
#include "translate.h"
#include "vcpu.h"
#include "vmm.h"

#define PROMPT		"(vmm) "
#define X_MAX_LEN	4096
#define DISAS_MAX	64

static char line[256];
static size_t line_len;

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	va_list ap;

	console_flush_try();		/* the guest's output first */
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

bool monitor_is_active(struct vm *vm)
{
	bool active;

	pthread_mutex_lock(&vm->lock);
	active = vm->monitor_active;
	pthread_mutex_unlock(&vm->lock);
	return active;
}

bool monitor_enter(struct vm *vm, int vcpu, bool by_policy)
{
	pthread_mutex_lock(&vm->lock);
	if (vm->console_eof || vm->stopping) {
		pthread_mutex_unlock(&vm->lock);
		return false;
	}
	if (vm->monitor_active) {
		pthread_mutex_unlock(&vm->lock);
		return true;
	}
	vm->monitor_active = true;
	vm->monitor_by_policy = by_policy;
	vm->monitor_vcpu = vcpu >= 0 ? vcpu : 0;
	pthread_mutex_unlock(&vm->lock);
	vm_pause(vm);
	out("\nvmm monitor: VM paused%s (vCPU %d selected). Type 'help' for commands.\n",
	    by_policy ? " on an unhandled access" : "", vm->monitor_vcpu);
	if (by_policy)
		vcpu_dump_regs(&vm->vcpus[vm->monitor_vcpu], stdout);
	out(PROMPT);
	return true;
}

void monitor_eof(struct vm *vm)
{
	if (!monitor_is_active(vm))
		return;
	out("\nvmm monitor: end of console input; quitting\n");
	vm_stop(vm, vm->monitor_by_policy ? VMM_EXIT_UNHANDLED : VMM_EXIT_OK);
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}

static bool all_parked(struct vm *vm)
{
	if (vm_wait_parked(vm, 0))
		return true;
	out("vCPUs did not stop in time; try again\n");
	return false;
}

static void cmd_help(void)
{
	out("  regs                     registers of every vCPU (ONE_REG)\n"
	    "  x[/b|h|w|g] ADDR [LEN]   dump LEN bytes (<= %d, default 64) as bytes, or as\n"
	    "                           16/32/64-bit words in the guest's byte order\n"
	    "  disas ADDR [N]           disassemble N instructions (<= %d, default 8)\n"
	    "                           ADDR: a virtual address, translated as the selected\n"
	    "                           vCPU's MMU does (as AT S1E1R); p:ADDR a physical one\n"
	    "  mtree                    the memory map\n"
	    "  inject dabt|iabt         external abort on the selected vCPU\n"
	    "  inject serror [ESR]      SError, with an ISS syndrome if given\n"
	    "  vcpu N                   select a vCPU\n"
	    "  step                     execute one instruction on the selected vCPU\n"
	    "  cont (c)                 resume the VM\n"
	    "  quit (q) [STATUS]        end the run (exit status, default 0)\n"
	    "  help (?)                 this list\n", X_MAX_LEN, DISAS_MAX);
}

/*
 * ADDR of x and disas: "p:" and a physical address, else a virtual one of
 * the selected vCPU.  Reads @len bytes into @buf, a 4 KiB page at a time
 * (each translated on its own); false with the reason printed.
 */
static bool read_guest(struct vm *vm, const char *addr, uint64_t *start, uint8_t *buf,
		       uint64_t len)
{
	struct vcpu *vcpu = &vm->vcpus[vm->monitor_vcpu];
	bool phys = !strncmp(addr, "p:", 2);
	uint64_t va, pa, done, n;
	const uint8_t *p;
	char why[128];

	if (!parse_u64(phys ? addr + 2 : addr, start)) {
		out("%s: expected an address (p:ADDR for a physical one)\n", addr);
		return false;
	}
	if (!phys && !all_parked(vm))
		return false;
	for (done = 0; done < len; done += n) {
		va = *start + done;
		n = 0x1000 - (va & 0xfff);
		n = n < len - done ? n : len - done;
		pa = va;
		if (!phys && vcpu_translate(vcpu, va, &pa, why, sizeof(why)) < 0) {
			out("%#" PRIx64 ": not mapped by vCPU %u: %s\n", va, vcpu->id, why);
			return false;
		}
		p = vm_gpa_to_host(vm, pa, n);
		if (!p) {
			if (phys)
				out("%#" PRIx64 " is not guest RAM\n", va);
			else
				out("%#" PRIx64 " -> PA %#" PRIx64 " is not guest RAM\n", va, pa);
			return false;
		}
		memcpy(buf + done, p, n);
	}
	return true;
}

static void cmd_x(struct vm *vm, const char *cmd, const char *a, const char *b)
{
	static uint8_t buf[X_MAX_LEN];
	uint64_t addr, len = 64, i, j, k, v;
	unsigned int w = 1;

	if (cmd[1] == '/') {
		w = cmd[2] == 'h' ? 2 : cmd[2] == 'w' ? 4 : cmd[2] == 'g' ? 8 : cmd[2] == 'b' ? 1 : 0;
		if (!w || cmd[3]) {
			out("x/%s: the width is b, h, w or g (1, 2, 4, 8 bytes)\n", cmd + 2);
			return;
		}
	}
	if (!a || (b && !parse_u64(b, &len)) || !len || len > X_MAX_LEN || len % w) {
		out("usage: x[/b|h|w|g] ADDR [LEN]  (LEN 1..%d, a multiple of the width)\n",
		    X_MAX_LEN);
		return;
	}
	if (!read_guest(vm, a, &addr, buf, len))
		return;
	for (i = 0; i < len; i += 16) {
		out("%016" PRIx64 ": ", addr + i);
		for (j = i; j < i + 16; j += w) {
			if (j >= len) {
				out("%*s ", (int)(2 * w), "");
				continue;
			}
			for (v = 0, k = 0; k < w; k++)	/* little-endian, as the guest */
				v |= (uint64_t)buf[j + k] << (8 * k);
			out("%0*" PRIx64 " ", (int)(2 * w), v);
		}
		if (w == 1) {
			out("|");
			for (j = i; j < i + 16 && j < len; j++)
				out("%c", isprint(buf[j]) ? buf[j] : '.');
			out("|");
		}
		out("\n");
	}
}

/* @n instructions from ADDR @a, one a line (after the address if @at). */
static void disas(struct vm *vm, const char *a, uint64_t n, bool at)
{
	uint32_t words[DISAS_MAX];
	uint64_t addr, i;
	char dis[144];

	if (!read_guest(vm, a, &addr, (uint8_t *)words, 4 * n))
		return;
	for (i = 0; i < n; i++) {
		uint32_t w = le32toh(words[i]);

		diag_disasm(w, addr + 4 * i, dis, sizeof(dis));
		if (at)
			out("%016" PRIx64 ":  ", addr + 4 * i);
		out("%08x  %s\n", w, dis);
	}
}

static void cmd_disas(struct vm *vm, const char *a, const char *b)
{
	uint64_t n = 8;

	if (!a || (b && !parse_u64(b, &n)) || !n || n > DISAS_MAX) {
		out("usage: disas ADDR [N]  (N 1..%d)\n", DISAS_MAX);
		return;
	}
	disas(vm, a, n, true);
}

static void cmd_mtree(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->map.n; i++) {
		const struct region *r = &vm->map.r[i];

		out("  %016" PRIx64 "-%016" PRIx64 "  %-12s %-9s %s",
		    r->base, r->base + r->size - 1, r->name, region_type_name(r->type),
		    r->device ? r->device : "");
		if (r->intid >= 0)
			out(" INTID %d%s", r->intid, vm->irqchip ? "" : " (no irqchip)");
		out("\n");
	}
}

static void cmd_inject(struct vm *vm, const char *what, const char *esr_s)
{
	struct vcpu *vcpu = &vm->vcpus[vm->monitor_vcpu];
	uint64_t esr = 0;

	if (!what) {
		out("usage: inject dabt|iabt|serror [ESR]\n");
		return;
	}
	if (!all_parked(vm))
		return;
	if (!strcmp(what, "serror")) {
		if (esr_s && (!parse_u64(esr_s, &esr) || esr >> 25)) {
			out("inject serror: ESR %s: expected an ISS of at most 25 bits\n", esr_s);
			return;
		}
		if (vcpu_inject_serror(vcpu, esr_s != NULL, esr) == 0)
			out("SError pending on vCPU %u\n", vcpu->id);
		return;
	}
	if (strcmp(what, "dabt") && strcmp(what, "iabt")) {
		out("inject %s: expected dabt, iabt or serror\n", what);
		return;
	}
	if (esr_s) {
		out("inject %s: KVM injects external aborts with their own syndrome; "
		    "an ESR applies to serror only\n", what);
		return;
	}
	if (vcpu_inject_abort(vcpu, what[0] == 'i') == 0)
		out("external %s abort injected on vCPU %u\n",
		    what[0] == 'i' ? "instruction" : "data", vcpu->id);
}

static void cmd_step(struct vm *vm)
{
	struct vcpu *vcpu = &vm->vcpus[vm->monitor_vcpu];
	struct timespec ts;
	char addr[24];
	uint64_t pc = 0;
	bool done;

	if (!all_parked(vm))
		return;
	if (!vm->cap_guest_debug) {
		out("step: this hypervisor has no KVM_CAP_SET_GUEST_DEBUG\n");
		return;
	}
	if (vcpu_set_single_step(vcpu, true) < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	pthread_mutex_lock(&vm->lock);
	vm->step_done = false;
	vm->step_vcpu = (int)vcpu->id;
	pthread_cond_broadcast(&vm->cond);
	while (!vm->step_done && !vm->stopping)
		if (pthread_cond_timedwait(&vm->cond, &vm->lock, &ts) == ETIMEDOUT)
			break;
	done = vm->step_done;
	pthread_mutex_unlock(&vm->lock);
	if (!done) {
		vm_pause(vm);
		vm_wait_parked(vm, 0);
		out("step: vCPU %u did not complete an instruction (waiting for an interrupt?)\n",
		    vcpu->id);
	}
	vm_wait_parked(vm, 0);
	if (!vm->cfg->debug_single_step)
		vcpu_set_single_step(vcpu, false);
	vcpu_get_reg(vcpu, REG_PC, &pc);
	out("vCPU %u PC %#" PRIx64 "  ", vcpu->id, pc);
	snprintf(addr, sizeof(addr), "%#" PRIx64, pc);
	disas(vm, addr, 1, false);	/* at the virtual PC */
}

void monitor_command(struct vm *vm, const char *cmdline)
{
	char buf[256], *argv[4] = { 0 }, *save = NULL, *tok;
	unsigned int argc = 0, i;
	uint64_t v;

	snprintf(buf, sizeof(buf), "%s", cmdline);
	for (tok = strtok_r(buf, " \t", &save); tok && argc < 4;
	     tok = strtok_r(NULL, " \t", &save))
		argv[argc++] = tok;
	if (!argc)
		return;
	if (!strcmp(argv[0], "help") || !strcmp(argv[0], "?")) {
		cmd_help();
	} else if (!strcmp(argv[0], "regs")) {
		if (all_parked(vm))
			for (i = 0; i < vm->nr_vcpus; i++)
				vcpu_dump_regs(&vm->vcpus[i], stdout);
	} else if (!strcmp(argv[0], "x") || !strncmp(argv[0], "x/", 2)) {
		cmd_x(vm, argv[0], argv[1], argv[2]);
	} else if (!strcmp(argv[0], "disas")) {
		cmd_disas(vm, argv[1], argv[2]);
	} else if (!strcmp(argv[0], "mtree")) {
		cmd_mtree(vm);
	} else if (!strcmp(argv[0], "inject")) {
		cmd_inject(vm, argv[1], argv[2]);
	} else if (!strcmp(argv[0], "vcpu")) {
		if (!parse_u64(argv[1], &v) || v >= vm->nr_vcpus)
			out("usage: vcpu N  (0..%u)\n", vm->nr_vcpus - 1);
		else
			vm->monitor_vcpu = (int)v;
	} else if (!strcmp(argv[0], "step")) {
		cmd_step(vm);
	} else if (!strcmp(argv[0], "cont") || !strcmp(argv[0], "c")) {
		pthread_mutex_lock(&vm->lock);
		vm->monitor_active = false;
		pthread_mutex_unlock(&vm->lock);
		out("resumed\n");
		console_redraw_line();	/* e.g. the guest shell's prompt */
		vm_resume(vm);
		return;
	} else if (!strcmp(argv[0], "quit") || !strcmp(argv[0], "q")) {
		v = 0;
		if (argv[1] && (!parse_u64(argv[1], &v) || v > 255)) {
			out("usage: quit [STATUS]  (0..255)\n");
		} else {
			out("quitting\n");
			vm_stop(vm, (int)v);
			return;
		}
	} else {
		out("unknown command '%s'; type 'help'\n", argv[0]);
	}
}

void monitor_input(struct vm *vm, uint8_t c)
{
	bool echo = isatty(STDIN_FILENO);

	if (c == '\r' || c == '\n') {
		if (echo)
			out("\n");
		line[line_len] = '\0';
		line_len = 0;
		monitor_command(vm, line);
		if (monitor_is_active(vm) && !vm->stopping)
			out(PROMPT);
		return;
	}
	if (c == 0x7f || c == 0x08) {
		if (line_len) {
			line_len--;
			if (echo)
				out("\b \b");
		}
		return;
	}
	if (!isprint(c) || line_len + 1 >= sizeof(line))
		return;
	line[line_len++] = (char)c;
	if (echo)
		out("%c", c);
}
