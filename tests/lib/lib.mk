# tests/lib: what the test harnesses and the benchmarks share.
#
#   vmc.c, vmc.h		a minimal libvkvm client: VM, vCPU, memslot,
#				ONE_REG, stage-1 MMU on (bench/)
#
# The host objects, $(BUILD)/obj/tests/lib/*.o, come from the top
# Makefile's rule.  This file may be read after its users', so they spell
# the paths out and add -Itests/lib to their own objects.

-include $(wildcard $(BUILD)/obj/tests/lib/*.d)
