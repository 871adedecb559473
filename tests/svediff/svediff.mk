# Differential test of the SVE instructions: vkvm against qemu-aarch64 at
# 128, 256, 512 and 2048 bits (tests/svediff/svediff.c), the approach of
# tests/fpdiff with Z, P and FFR compared.  Plain build only (TEST_PROGS_ONCE).

SVD_CROSS	?= aarch64-linux-gnu-
SVD_OBJ		:= $(BUILD)/obj/tests/svediff
SVD_DIR		:= $(BUILD)/tests/svediff
SVD_OBJS	:= $(SVD_OBJ)/svediff.o
SVD_LIB_OBJS	:= $(BUILD)/obj/tests/lib/difftest.o $(BUILD)/obj/tests/lib/vmc.o

$(SVD_OBJS): CPPFLAGS += -Itests/lib

$(SVD_DIR)/svd_runner: tests/svediff/svd_runner.c tests/svediff/svd_entry.S tests/lib/diffrunner.c \
		tests/svediff/svecase.h $(wildcard tests/lib/*.h)
	@mkdir -p $(dir $@)
	$(SVD_CROSS)gcc -static -O2 -Wall -Wextra -Itests/lib -o $@ $(filter %.c %.S,$^)

$(SVD_DIR)/svediff: $(SVD_OBJS) $(SVD_LIB_OBJS) $(BUILD)/libvkvm.a $(SVD_DIR)/svd_runner
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(SVD_OBJS) $(SVD_LIB_OBJS) $(BUILD)/libvkvm.a $(LDLIBS)

TEST_PROGS_ONCE	+= $(SVD_DIR)/svediff

-include $(wildcard $(SVD_OBJ)/*.d)
