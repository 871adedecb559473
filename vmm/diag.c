// SPDX-License-Identifier: GPL-2.0
/* Diagnostics of unhandled accesses: what, where, by which instruction. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <vkvm.h>

#ifdef HAVE_CAPSTONE
#include <capstone/capstone.h>
#endif

#include "diag.h"
#include "regs.h"
#include "translate.h"
#include "vmm.h"

/* Capstone's reading of the word, "" without capstone. */
static void capstone_text(uint32_t insn, uint64_t pc, char *buf, size_t len)
{
#ifdef HAVE_CAPSTONE
	csh cs;
	cs_insn *ci;
	uint8_t bytes[4] = { insn, insn >> 8, insn >> 16, insn >> 24 };
	size_t n;

	snprintf(buf, len, "(disassembler unavailable)");
	if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs) != CS_ERR_OK)
		return;
	n = cs_disasm(cs, bytes, sizeof(bytes), pc, 1, &ci);
	if (n == 1)
		snprintf(buf, len, "%.31s %.62s", ci->mnemonic, ci->op_str);
	else
		snprintf(buf, len, "(undefined encoding)");
	if (n)
		cs_free(ci, n);
	cs_close(&cs);
#else
	(void)insn; (void)pc;
	snprintf(buf, len, "(built without capstone)");
#endif
}

/*
 * Capstone's text, then the row of vkvm's instruction table that decodes
 * the word: where the two disagree (a word capstone knows and vkvm calls
 * undefined), that is the answer to "why did my guest take an UNDEFINED
 * exception".
 */
bool diag_disasm(uint32_t insn, uint64_t pc, char *buf, size_t len)
{
	char text[96];

	capstone_text(insn, pc, text, sizeof(text));
	snprintf(buf, len, "%s  ; vkvm %s", text, vkvm_insn_name(insn));
	return true;
}

void diag_insn(struct vcpu *vcpu, uint64_t pc, char *buf, size_t len)
{
	uint64_t pa;
	uint8_t *p;
	uint32_t insn;
	char dis[144], why[128];

	/* the PC through the vCPU's stage-1 translation (the identity with
	 * the MMU off), as the monitor reads it */
	if (pc & 3) {
		snprintf(buf, len, "instruction not available (PC is misaligned)");
		return;
	}
	if (vcpu_translate(vcpu, pc, &pa, why, sizeof(why)) < 0) {
		snprintf(buf, len, "instruction not available (PC not mapped: %s)", why);
		return;
	}
	p = vm_gpa_to_host(vcpu->vm, pa, 4);
	if (!p) {
		snprintf(buf, len, "instruction not available (PC's PA %#" PRIx64
			 " is not in RAM)", pa);
		return;
	}
	memcpy(&insn, p, 4);
	insn = le32toh(insn);
	diag_disasm(insn, pc, dis, sizeof(dis));
	snprintf(buf, len, "%08x  %s", insn, dis);
}

void diag_where(const struct memmap *map, uint64_t ipa, char *buf, size_t len)
{
	const struct region *r = memmap_nearest(map, ipa);
	uint64_t end;

	if (!r) {
		snprintf(buf, len, "no device near");
		return;
	}
	end = r->base + r->size - 1;
	if (ipa >= r->base && ipa <= end)
		snprintf(buf, len, "inside %s (%s) %#" PRIx64 "-%#" PRIx64 ", offset %#" PRIx64
			 "%s", r->name, r->device ? r->device : region_type_name(r->type),
			 r->base, end, ipa - r->base,
			 r->type == REGION_DEVICE ? "" : ": nothing emulates it");
	else if (ipa > end)
		snprintf(buf, len, "no device; nearest %s (%s) %#" PRIx64 "-%#" PRIx64
			 ", %#" PRIx64 " bytes past its end", r->name,
			 r->device ? r->device : region_type_name(r->type), r->base, end,
			 ipa - end);
	else
		snprintf(buf, len, "no device; nearest %s (%s) %#" PRIx64 "-%#" PRIx64
			 ", %#" PRIx64 " bytes below it", r->name,
			 r->device ? r->device : region_type_name(r->type), r->base, end,
			 r->base - ipa);
}

/* Append to @buf (of @len, NUL-terminated so far at *@off) what @fmt says. */
static void add(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n;
}

void diag_access(struct vcpu *vcpu, const struct access *a, const char *policy,
		 struct log_site *site)
{
	uint64_t pc = 0;
	char head[96], insn[160], where[192], acc[96], val[40], msg[1024];
	size_t off = 0;
	int have_pc;

	snprintf(head, sizeof(head), "unhandled %s on vCPU %u", a->what, vcpu->id);
	/* before any work: a flood costs a count, not a disassembly */
	if (site && !log_site_allow(site, head))
		return;
	have_pc = vcpu_get_reg(vcpu, REG_PC, &pc) == 0;
	if (have_pc)
		diag_insn(vcpu, pc, insn, sizeof(insn));
	else
		snprintf(insn, sizeof(insn), "instruction not available (PC unreadable)");
	if (a->ipa_valid)
		diag_where(&vcpu->vm->map, a->ipa, where, sizeof(where));
	else
		snprintf(where, sizeof(where), "(not known)");
	val[0] = '\0';
	if (a->value_valid)
		snprintf(val, sizeof(val), " of %#" PRIx64, a->value);
	if (a->size)
		snprintf(acc, sizeof(acc), "%u-byte %s%s", a->size,
			 a->is_write < 0 ? "access" : a->is_write ? "write" : "read", val);
	else
		snprintf(acc, sizeof(acc), "%s, size not known (no syndrome)",
			 a->is_write < 0 ? "access" : a->is_write ? "write" : "read");

	add(msg, sizeof(msg), &off, "\nvmm: %s\n", head);
	if (have_pc)
		add(msg, sizeof(msg), &off, "  PC     %#018" PRIx64 "  %s\n", pc, insn);
	else
		add(msg, sizeof(msg), &off, "  PC     %s\n", insn);
	add(msg, sizeof(msg), &off, "  access %s\n", acc);
	if (a->ipa_valid)
		add(msg, sizeof(msg), &off, "  IPA    %#010" PRIx64 "  %s\n", a->ipa, where);
	else
		add(msg, sizeof(msg), &off, "  IPA    not known\n");
	if (a->gva_valid)
		add(msg, sizeof(msg), &off, "  VA     %#018" PRIx64 "\n", a->gva);
	if (a->esr_valid && a->esr_is_iss)
		add(msg, sizeof(msg), &off, "  ISS    %#010" PRIx64 " (WnR %u, FSC %#x)\n", a->esr,
		    (unsigned int)((a->esr >> 6) & 1), (unsigned int)(a->esr & 0x3f));
	else if (a->esr_valid)
		add(msg, sizeof(msg), &off, "  ESR    %#010" PRIx64 " (EC %#x)\n", a->esr,
		    (unsigned int)((a->esr >> 26) & 0x3f));
	add(msg, sizeof(msg), &off, "  policy %s\n", policy);
	/* one write, so that the diagnostics of two vCPUs do not interleave */
	fputs(msg, stderr);
	fflush(stderr);
}
