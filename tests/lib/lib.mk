# tests/lib: what the test harnesses and the benchmarks share.
#
#   vmc.c, vmc.h		a minimal libvkvm client: VM, vCPU, memslot,
#				ONE_REG, stage-1 MMU on (bench/, difftest.c)
#   difflayout.h		what both sides of a differential test agree on
#   difftest.c, difftest.h	the host side of the differential tests
#				(tests/diff, tests/fpdiff, tests/svediff):
#				the vkvm VM, the qemu batch, options, reports
#   diffrunner.c, diffrunner.h	their reference side: the main() of each
#   diffentry.h			static aarch64 runner, and the macros of its
#				entry .S
#
# The host objects, $(BUILD)/obj/tests/lib/*.o, come from the top
# Makefile's rule.  This file may be read after its users', so they spell
# the paths out and add -Itests/lib to their own objects.

-include $(wildcard $(BUILD)/obj/tests/lib/*.d)
