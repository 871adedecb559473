# kernel/cpu/fp.c runs IEEE arithmetic on the host FPU under the guest's
# rounding mode: the compiler must neither fold nor reorder it across
# fesetround (-frounding-math), nor fuse a multiply and an add.
FP_CFLAGS	:= -frounding-math -fsignaling-nans -ffp-contract=off
$(BUILD)/obj/kernel/cpu/fp.o: CFLAGS += $(FP_CFLAGS)
$(BUILD)/obj/kernel/cpu/exec_fp.o: CFLAGS += $(FP_CFLAGS)
$(BUILD)/obj/kernel/cpu/exec_simd.o: CFLAGS += $(FP_CFLAGS)
LDLIBS		+= -lm
