// SPDX-License-Identifier: GPL-2.0
/*
 * Exception dispatch: synchronous exceptions through a table indexed by
 * ESR_EL1.EC, IRQ/FIQ/SError through one handler each.  Anything without a
 * handler is reported with the frame and ends the run with status 2.
 */
#include "rt.h"

static rt_handler sync_handlers[64];
static rt_handler async_handlers[4];
static volatile unsigned int depth;

volatile struct rt_exc_record rt_last;
volatile unsigned int rt_caught;

void rt_set_sync_handler(unsigned int ec, rt_handler h)
{
	sync_handlers[ec & 63] = h;
}

void rt_set_handler(unsigned int kind, rt_handler h)
{
	async_handlers[kind & 3] = h;
}

const char *rt_ec_name(unsigned int ec)
{
	switch (ec) {
	case EC_UNKNOWN:	return "unknown/UNDEF";
	case EC_SVC64:		return "SVC";
	case EC_HVC64:		return "HVC";
	case EC_SYS64:		return "MSR/MRS trap";
	case EC_SVE:		return "SVE trap";
	case EC_IABT_LOW:	return "instruction abort (lower EL)";
	case EC_IABT_CUR:	return "instruction abort (same EL)";
	case EC_PC_ALIGN:	return "PC alignment";
	case EC_DABT_LOW:	return "data abort (lower EL)";
	case EC_DABT_CUR:	return "data abort (same EL)";
	case EC_SP_ALIGN:	return "SP alignment";
	case EC_SERROR:		return "SError";
	case EC_BRK64:		return "BRK";
	default:		return "?";
	}
}

static const char *vec_name(unsigned int vec)
{
	switch (vec >> 2) {
	case 0: return (vec & 3) == 0 ? "sync from EL1t" : "async from EL1t";
	case 1: return (vec & 3) == 0 ? "sync from EL1h" : "async from EL1h";
	case 2: return (vec & 3) == 0 ? "sync from EL0" : "async from EL0";
	default: return "from AArch32";
	}
}

void rt_dump_frame(const struct rt_frame *f, unsigned int vec)
{
	int i;

	printf("  vector %u (%s), ESR_EL1 0x%08lx (EC 0x%02lx %s), FAR_EL1 0x%lx\n",
	       vec, vec_name(vec), (unsigned long)f->esr, (unsigned long)ESR_EC(f->esr),
	       rt_ec_name((unsigned int)ESR_EC(f->esr)), (unsigned long)f->far);
	printf("  ELR_EL1 0x%lx SPSR_EL1 0x%lx SP_EL0 0x%lx\n", (unsigned long)f->elr,
	       (unsigned long)f->spsr, (unsigned long)f->sp_el0);
	for (i = 0; i < 31; i += 4)
		printf("  x%-2d %016lx %016lx %016lx %016lx\n", i,
		       (unsigned long)f->x[i], (unsigned long)f->x[i + 1],
		       (unsigned long)f->x[i + 2], (unsigned long)(i + 3 < 31 ? f->x[i + 3] : 0));
}

int rt_record(struct rt_frame *f, unsigned int vec)
{
	rt_last.esr = f->esr;
	rt_last.far = f->far;
	rt_last.elr = f->elr;
	rt_last.spsr = f->spsr;
	rt_last.vec = vec;
	rt_caught++;
	return 1;
}

int rt_record_and_skip(struct rt_frame *f, unsigned int vec)
{
	rt_record(f, vec);
	f->elr += 4;
	return 1;
}

void rt_exc_dispatch(struct rt_frame *f, unsigned long vec);

void rt_exc_dispatch(struct rt_frame *f, unsigned long vec)
{
	unsigned int kind = vec & 3;
	rt_handler h;

	if (++depth > 1) {
		printf("FAIL: exception inside an exception handler\n");
		rt_dump_frame(f, (unsigned int)vec);
		rt_exit(3);
	}
	if (vec >= VEC_LOW32 || vec < VEC_CUR_SPX)
		h = 0;
	else if (kind == VEC_SYNC)
		h = sync_handlers[ESR_EC(f->esr)];
	else
		h = async_handlers[kind];
	if (!h || !h(f, (unsigned int)vec)) {
		printf("FAIL: unexpected exception\n");
		rt_dump_frame(f, (unsigned int)vec);
		rt_exit(2);
	}
	depth--;
}
