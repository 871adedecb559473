/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Turns a class's rows into its insn_table.  Included once, at the end of
 * exec_C.c, after
 *	#define INSN_CLASS	C
 *	#define INSN_DEF	"insn/C.def"
 * with every exec_NAME, fast_NAME, PREP and COND the rows name defined
 * above it.  Makes the threaded entries the rows' DISPATCH asks for, the
 * row array, the thread map and the fast forms (decode.h).
 */
#ifndef INSN_CLASS
#error "define INSN_CLASS and INSN_DEF before including a64_table.h"
#endif

#define A64T_CAT2(a, b)		a##b
#define A64T_CAT(a, b)		A64T_CAT2(a, b)
#define A64T(suffix)		A64T_CAT(INSN_CLASS, suffix)

/* threaded entries */
#define A64T_ENTRY_GEN(f)
#define A64T_ENTRY_PC(f)	THREADED(f)
#define A64T_ENTRY_NOPC(f)	THREADED_NOPC(f)
#define A64T_ENTRY_OWN(f)
#define A64T_ENTRY_OWN_NOPC(f)
#define INSN(n, m, v, p, t)	A64T_ENTRY_##t(exec_##n)
#define FAST(n, r, cond, t)	A64T_ENTRY_##t(fast_##n)
#include INSN_DEF
#undef INSN
#undef FAST

static const struct insn_pattern A64T(_rows)[] = {
#define INSN(n, m, v, p, t)	{ (m), (v), exec_##n, p, #n },
#define FAST(n, r, cond, t)
#include INSN_DEF
#undef INSN
#undef FAST
};

/* the thread map: every row and fast form with an own threaded entry */
#define A64T_MAP_GEN(f)
#define A64T_MAP_PC(f)		{ f, f##_t, false },
#define A64T_MAP_NOPC(f)	{ f, f##_t, true },
#define A64T_MAP_OWN(f)		{ f, f##_t, false },
#define A64T_MAP_OWN_NOPC(f)	{ f, f##_t, true },
static const struct thread_map A64T(_tmap)[] = {
#define INSN(n, m, v, p, t)	A64T_MAP_##t(exec_##n)
#define FAST(n, r, cond, t)	A64T_MAP_##t(fast_##n)
#include INSN_DEF
#undef INSN
#undef FAST
	{ NULL, NULL, false }		/* so that the array is never empty */
};

static const struct insn_fast A64T(_fast)[] = {
#define INSN(n, m, v, p, t)
#define FAST(n, r, cond, t)	{ exec_##r, cond, fast_##n, #n },
#include INSN_DEF
#undef INSN
#undef FAST
	{ NULL, NULL, NULL, NULL }
};

const struct insn_table A64T(_insns) = {
	A64T(_rows), sizeof(A64T(_rows)) / sizeof(A64T(_rows)[0]),
	A64T(_tmap), sizeof(A64T(_tmap)) / sizeof(A64T(_tmap)[0]) - 1,
	A64T(_fast), sizeof(A64T(_fast)) / sizeof(A64T(_fast)[0]) - 1,
};

#undef A64T_ENTRY_GEN
#undef A64T_ENTRY_PC
#undef A64T_ENTRY_NOPC
#undef A64T_ENTRY_OWN
#undef A64T_ENTRY_OWN_NOPC
#undef A64T_MAP_GEN
#undef A64T_MAP_PC
#undef A64T_MAP_NOPC
#undef A64T_MAP_OWN
#undef A64T_MAP_OWN_NOPC
