/* The guest image of tests/vgic, linked into the test program. */
	.section .rodata
	.globl	vgic_guest, vgic_guest_end
	.balign	16
vgic_guest:
	.incbin	"vgic.bin"
vgic_guest_end:
	.section .note.GNU-stack, "", %progbits
