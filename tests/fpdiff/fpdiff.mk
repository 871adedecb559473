# Differential test of the FP and Advanced SIMD instructions: vkvm against
# qemu-aarch64 (tests/fpdiff/fpdiff.c), the approach of tests/diff with the
# SIMD&FP state compared too.  Plain build only (TEST_PROGS_ONCE).

FPD_CROSS	?= aarch64-linux-gnu-
FPD_OBJ		:= $(BUILD)/obj/tests/fpdiff
FPD_DIR		:= $(BUILD)/tests/fpdiff
FPD_OBJS	:= $(FPD_OBJ)/fpdiff.o $(FPD_OBJ)/fpgen.o
FPD_LIB_OBJS	:= $(BUILD)/obj/tests/lib/difftest.o $(BUILD)/obj/tests/lib/vmc.o

$(FPD_OBJS): CPPFLAGS += -Itests/lib

$(FPD_DIR)/fpd_runner: tests/fpdiff/fpd_runner.c tests/fpdiff/fpd_entry.S tests/lib/diffrunner.c \
		tests/fpdiff/fpcase.h $(wildcard tests/lib/*.h)
	@mkdir -p $(dir $@)
	$(FPD_CROSS)gcc -static -O2 -Wall -Wextra -Itests/lib -o $@ $(filter %.c %.S,$^)

$(FPD_DIR)/fpdiff: $(FPD_OBJS) $(FPD_LIB_OBJS) $(BUILD)/libvkvm.a $(FPD_DIR)/fpd_runner
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(FPD_OBJS) $(FPD_LIB_OBJS) $(BUILD)/libvkvm.a $(LDLIBS)

TEST_PROGS_ONCE	+= $(FPD_DIR)/fpdiff

-include $(wildcard $(FPD_OBJ)/*.d)
