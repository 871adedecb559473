/* vmm_el2_rig's files: the static aarch64 vmm, guests/el2.cfg, the EL2 guest. */
#include "blobs.h"

	.section .rodata
BLOB(vmm, SPEC_VMM)
BLOB(spec, "guests/el2.cfg")
BLOB(g_el2, STR(SPEC_GUESTS/el2))
	.section .note.GNU-stack, "", %progbits
