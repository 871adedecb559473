/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest binaries of $(BUILD)/guests/, embedded so that one static
 * program can carry them into the real-KVM rig.  The build passes
 * -Wa,-I$(BUILD)/guests so that .incbin finds them.
 */
	.macro	guest sym, file
	.section .rodata.guests, "a"
	.balign	16
	.global	guest_\sym\()_start
guest_\sym\()_start:
	.incbin	"\file"
	.global	guest_\sym\()_end
guest_\sym\()_end:
	.endm

	guest	hello, "hello"
	guest	hello_raw, "hello-raw"
	guest	mmio, "mmio"
	guest	nisv_abort, "nisv-abort"
	guest	iabt, "iabt"
	guest	serror, "serror"
	guest	sea, "sea"
	guest	psci, "psci"
	guest	el0, "el0"
	guest	mmu, "mmu"
	guest	sve_vl, "sve-vl"

	.section .note.GNU-stack, "", %progbits
