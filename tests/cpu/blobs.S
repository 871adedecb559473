/* Guest images for the engine tests, assembled from tests/cpu/guest/. */
	.section .rodata
	.balign	16

	.global	blob_integer, blob_integer_end
blob_integer:
	.incbin	"integer.bin"
blob_integer_end:

	.balign	16
	.global	blob_snippets, blob_snippets_end
blob_snippets:
	.incbin	"snippets.bin"
blob_snippets_end:

	.balign	16
	.global	blob_bench, blob_bench_end
blob_bench:
	.incbin	"bench.bin"
blob_bench_end:

	.balign	16
	.global	blob_ldst, blob_ldst_end
blob_ldst:
	.incbin	"ldst.bin"
blob_ldst_end:

	.section .note.GNU-stack, "", @progbits
