/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of every guest: optional arm64 Image header, self-relocation, BSS,
 * stack, EL1 vectors, then rt_main(dtb).  Also the entry point of secondary
 * vCPUs started by PSCI CPU_ON.
 *
 * Built twice: with -DIMAGE_HEADER the image begins with the 64-byte header
 * of Documentation/arch/arm64/booting.rst; without it, with the first
 * instruction (a raw binary).
 */
#define R_AARCH64_RELATIVE	1027

	.section .text.head, "ax"
	.global _start
_start:
#ifdef IMAGE_HEADER
	b	rt_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: at the 2 MiB aligned base */
	.quad	0			/* image_size: filled in by guests/mkimage.sh */
	.quad	(1 << 3)		/* flags: LE, page size unspecified, anywhere */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE header */
#endif

rt_entry:
	mov	x19, x0			/* DTB address from the loader */
	msr	daifset, #0xf

	/* delta = where we run - where we were linked */
	adr	x20, _start
	ldr	x1, link_base
	sub	x21, x20, x1

	/* static PIE: *(offset + delta) = addend + delta for each RELATIVE */
	adrp	x2, __rela_start
	add	x2, x2, :lo12:__rela_start
	adrp	x3, __rela_end
	add	x3, x3, :lo12:__rela_end
1:	cmp	x2, x3
	b.hs	2f
	ldp	x4, x5, [x2]
	ldr	x6, [x2, #16]
	add	x2, x2, #24
	cmp	x5, #R_AARCH64_RELATIVE
	b.ne	rt_bad_reloc
	add	x4, x4, x21
	add	x6, x6, x21
	str	x6, [x4]
	b	1b
2:
	/* BSS (16-byte aligned both ends, see link.ld) */
	adrp	x2, __bss_start
	add	x2, x2, :lo12:__bss_start
	adrp	x3, __bss_end
	add	x3, x3, :lo12:__bss_end
3:	cmp	x2, x3
	b.hs	4f
	stp	xzr, xzr, [x2]
	add	x2, x2, #16
	b	3b
4:
	adrp	x2, __stack_top
	add	x2, x2, :lo12:__stack_top
	mov	sp, x2
	adrp	x2, rt_vectors
	add	x2, x2, :lo12:rt_vectors
	msr	vbar_el1, x2
	isb
	mov	x0, x19
	bl	rt_main
5:	wfi
	b	5b

/* A relocation we cannot apply: the build is wrong; stop where a debugger sees it. */
rt_bad_reloc:
	brk	#0xbad
	b	rt_bad_reloc

	.balign	8
link_base:
	.quad	0x80000000		/* link.ld's load address */

/*
 * PSCI CPU_ON entry: x0 = context_id = struct rt_cpu_boot * (rt.h).
 * The vCPU comes out of reset: MMU off, EL1h, DAIF masked.
 */
	.text
	.global rt_secondary_entry
rt_secondary_entry:
	ldr	x1, [x0]		/* stack_top */
	mov	sp, x1
	adrp	x1, rt_vectors
	add	x1, x1, :lo12:rt_vectors
	msr	vbar_el1, x1
	isb
	ldp	x1, x2, [x0, #8]	/* fn, arg */
	mov	x0, x2
	blr	x1
	bl	psci_cpu_off
6:	wfi
	b	6b
