/* vmm_nv2_rig's files: the static aarch64 vmm, guests/nv2.cfg, the NV2 guest. */
#include "blobs.h"

	.section .rodata
BLOB(vmm, SPEC_VMM)
BLOB(spec, "guests/nv2.cfg")
BLOB(g_nv2, STR(SPEC_GUESTS/nv2))
	.section .note.GNU-stack, "", %progbits
