/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoded instructions and the instruction table the decoder reads
 * (a64.def): what a handler is given and returns, and the helpers for
 * fields of an instruction word.
 */
#ifndef VKVM_CPU_DECODE_H
#define VKVM_CPU_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* Bits hi..lo of an instruction word. */
#define FIELD(w, hi, lo)	(((w) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))
#define BIT(w, n)		(((w) >> (n)) & 1u)

static inline int64_t sext(uint64_t v, unsigned int bits)
{
	return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/*
 * DecodeBitMasks() for the logical immediates (A64's AND/ORR/EOR/ANDS
 * immediate, SVE's DUPM and AND/ORR/EOR immediate): the element of imms+1
 * ones rotated right by immr, replicated to 64 bits.  False if reserved.
 */
static inline bool decode_bit_masks(unsigned int n, unsigned int imms,
				    unsigned int immr, uint64_t *mask)
{
	unsigned int combined = (n << 6) | (~imms & 0x3f);
	unsigned int len, esize, levels, sbits, r, e;
	uint64_t elem, emask, m = 0;

	if (!combined)
		return false;
	len = 31 - (unsigned int)__builtin_clz(combined);
	if (len < 1)
		return false;
	esize = 1u << len;
	levels = esize - 1;
	sbits = imms & levels;
	r = immr & levels;
	if (sbits == levels)
		return false;
	/* sbits + 1 < esize <= 64: no shift by 64 */
	emask = esize == 64 ? ~0ULL : (1ULL << esize) - 1;
	elem = (1ULL << (sbits + 1)) - 1;
	if (r)
		elem = ((elem >> r) | (elem << (esize - r))) & emask;
	for (e = 0; e < 64; e += esize)
		m |= elem << e;
	*mask = m;
	return true;
}

/* ---- decoded instructions -------------------------------------------------- */

struct dinsn;

/*
 * An instruction's semantics.  Returns EXEC_NEXT to fall through to the next
 * instruction (the loop advances PC), EXEC_BRANCH when a plain branch wrote
 * PC (no context change: the loop may stay in the decoded page), EXEC_JUMP
 * when PC has been written and context may have changed (MSR, ERET, ISB),
 * EXEC_STOP when an exception was taken (PC is the vector) or, if
 * cpu->exit.reason is set, the engine must return to the backend.
 */
typedef int (*exec_fn)(struct cpu *c, const struct dinsn *d);

enum { EXEC_NEXT, EXEC_JUMP, EXEC_STOP, EXEC_BRANCH };

/*
 * A decoded instruction.  fn is its semantics; tfn its threaded entry (see
 * "threaded dispatch" below), which checks the word, runs fn and goes on to
 * the next entry itself.  64 bytes each, so that an entry's offset in its
 * decoded page shifted right by 4 is the offset of its word in the page.
 */
struct dinsn {
	exec_fn fn;
	exec_fn tfn;
	uint32_t insn;		/* the word this was decoded from */
	uint8_t rd, rn, rm, ra;	/* Rd/Rt, Rn, Rm/Rs, Ra/Rt2 */
	int64_t imm;		/* immediate, decoded */
	uint64_t aux;		/* class-specific: access syndrome, mask, descriptor */
	/*
	 * The block that starts here (engine.c): blen words up to and including
	 * the first entry that ends a block, valid while bgen equals its
	 * page's gen.  bend: this entry ends a block (its tfn is not a
	 * THREADED_NOPC one).  vchain: the chain in which the block starting
	 * here was last checked.  jit: tfn was set by the JIT (a translation
	 * of the block from here, or its counting entry: kernel/cpu/jit/),
	 * jcount the executions the counting entry saw, or the entries the
	 * translation covers (its own to its tail).  Set by engine.c and
	 * the JIT, not by decode_insn().
	 */
	uint32_t blen, bgen;
	uint64_t vchain;
	bool bend;
	bool jit;
	uint16_t jcount;
} __attribute__((aligned(64)));

#define DINSN_TO_WORD_SHIFT	4	/* sizeof(struct dinsn) / 4 == 1 << 4 */
_Static_assert(sizeof(struct dinsn) == 4 << DINSN_TO_WORD_SHIFT, "dinsn size");

/*
 * The instruction table.  a64.def lists the instruction classes in decode
 * order; the rows of class C are in insn/C.def and its handlers in
 * exec_C.c, which includes a64_table.h to turn the rows into C's
 * insn_table (docs/internals.md: adding an instruction).  A word decodes
 * as the first row whose mask and match it fits.
 *
 * A row, INSN(NAME, MASK, MATCH, PREP, DISPATCH), is one instruction in
 * one encoding class of the Arm ARM (FRECPE_v, FRECPE_s); its handler is
 * exec_NAME, the reference semantics.  PREP extracts fields into the
 * dinsn and returns false for an unallocated encoding inside the row
 * (prep_none: nothing to do).  DISPATCH says how a chain runs the row:
 *   GEN   the generic threaded entry (PC stored, ends a block)
 *   PC    an own threaded entry with the semantics inlined (PC stored,
 *         ends a block)
 *   NOPC  an own threaded entry that neither stores PC nor ends a block:
 *         for handlers that never read PC nor take an exception on their
 *         fast path (see THREADED_NOPC in thread.h)
 *   OWN   exec_NAME_t is written by hand in exec_C.c (ends a block)
 *   OWN_NOPC  the same for an entry with the NOPC contract (does not end
 *         a block): the register-offset loads and stores of exec_ldst.c
 *
 * A fast form, FAST(NAME, REF, COND, DISPATCH), is a specialization of row
 * REF: after REF's PREP, if COND(d) holds the decoded instruction runs
 * fast_NAME instead of exec_REF.  It must compute exactly what exec_REF
 * computes whenever COND holds (tests/cpu/test_fast runs every fast form
 * against its reference).  The first fast form of a row whose COND holds
 * applies.
 */
enum insn_dispatch { DISPATCH_GEN, DISPATCH_PC, DISPATCH_NOPC, DISPATCH_OWN,
		     DISPATCH_OWN_NOPC };

/* A handler with a threaded entry of its own; nopc: the entry does not end
 * a block. */
struct thread_map {
	exec_fn fn, tfn;
	bool nopc;
};

struct thread_table {
	const struct thread_map *map;
	unsigned int nr;
};

extern const struct thread_table branch_threaded;
/* Is fn a compare that fuses with the instruction after it (exec_dp.c)? */
bool dp_fusable(exec_fn fn);
/* The threaded entry of d fused with the word next after it, or NULL. */
exec_fn dp_fuse(const struct dinsn *d, uint32_t next);

/* One row: word & mask == match. */
struct insn_pattern {
	uint32_t mask, match;
	exec_fn fn;
	bool (*prep)(struct dinsn *d);
	const char *name;
};

struct insn_fast {
	exec_fn ref;			/* the row's handler, exec_REF */
	bool (*cond)(const struct dinsn *d);
	exec_fn fn;			/* fast_NAME */
	const char *name;
};

struct insn_table {
	const struct insn_pattern *pat;
	unsigned int nr;
	const struct thread_map *map;	/* threaded entries of rows, fast forms */
	unsigned int nmap;
	const struct insn_fast *fast;
	unsigned int nfast;
};

static inline bool prep_none(struct dinsn *d)
{
	(void)d;
	return true;
}

#define A64_CLASS(c)	extern const struct insn_table c##_insns;
#include "a64.def"
#undef A64_CLASS

void decode_insn(struct dinsn *d, uint32_t insn);
/* The same without fast forms: the row's reference handler (tests). */
void decode_insn_ref(struct dinsn *d, uint32_t insn);
exec_fn decode_tfn(exec_fn fn);		/* the threaded entry decode_insn gives fn */
bool decode_tfn_ends_block(exec_fn tfn);


#endif /* VKVM_CPU_DECODE_H */
