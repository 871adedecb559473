/* The guest image of tests/lse2tear, linked into the test program. */
	.section .rodata
	.globl	lse2tear_guest, lse2tear_guest_end
	.balign	16
lse2tear_guest:
	.incbin	"guest.bin"
lse2tear_guest_end:
	.section .note.GNU-stack, "", %progbits
