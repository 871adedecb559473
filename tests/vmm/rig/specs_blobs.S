/* The static aarch64 vmm, the guest specs and the guests they boot. */
#include "blobs.h"
#define GUEST(f) STR(SPEC_GUESTS/f)

	.section .rodata
BLOB(vmm, SPEC_VMM)
BLOB(spec, "guests/guests.cfg")
BLOB(g_hello, GUEST(hello))
BLOB(g_hello_raw, GUEST(hello-raw))
BLOB(g_nisv_abort, GUEST(nisv-abort))
BLOB(g_iabt, GUEST(iabt))
BLOB(g_psci, GUEST(psci))
BLOB(g_el0, GUEST(el0))
BLOB(g_mmu, GUEST(mmu))
BLOB(g_mmio, GUEST(mmio))
BLOB(g_serror, GUEST(serror))
BLOB(g_sea, GUEST(sea))
BLOB(g_sve_vl, GUEST(sve-vl))
BLOB(g_smp_stress, GUEST(smp-stress))
BLOB(g_debug, GUEST(debug))
BLOB(g_pmu, GUEST(pmu))
BLOB(g_smccc, GUEST(smccc))
BLOB(g_its, GUEST(its))
BLOB(g_mte, GUEST(mte))
	.section .note.GNU-stack, "", %progbits
