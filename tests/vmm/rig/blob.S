/* The static aarch64 vmm and guests/gdb.c's image, carried inside the rig
 * test program. */
	.section .rodata
	.balign 16
	.global vmm_blob_start, vmm_blob_end
vmm_blob_start:
	.incbin VMM_BLOB
vmm_blob_end:
	.balign 16
	.global gdb_blob_start, gdb_blob_end
gdb_blob_start:
	.incbin GDB_BLOB
gdb_blob_end:
	.section .note.GNU-stack, "", %progbits
