/* The static aarch64 vmm, carried inside the rig test program. */
	.section .rodata
	.balign 16
	.global vmm_blob_start, vmm_blob_end
vmm_blob_start:
	.incbin VMM_BLOB
vmm_blob_end:
	.section .note.GNU-stack, "", %progbits
