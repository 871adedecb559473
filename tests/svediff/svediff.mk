# Differential test of the SVE instructions: vkvm against qemu-aarch64 at
# 128, 256, 512 and 2048 bits (tests/svediff/svediff.c), the approach of
# tests/fpdiff with Z, P and FFR compared.  Plain build only (TEST_PROGS_ONCE).

SVD_CROSS	?= aarch64-linux-gnu-
SVD_OBJ		:= $(BUILD)/obj/tests/svediff
SVD_DIR		:= $(BUILD)/tests/svediff
SVD_OBJS	:= $(SVD_OBJ)/svediff.o

$(SVD_DIR)/svd_runner: tests/svediff/svd_runner.c tests/svediff/svd_entry.S tests/svediff/svecase.h
	@mkdir -p $(dir $@)
	$(SVD_CROSS)gcc -static -O2 -Wall -Wextra -o $@ tests/svediff/svd_runner.c \
		tests/svediff/svd_entry.S

$(SVD_DIR)/svediff: $(SVD_OBJS) $(BUILD)/libvkvm.a $(SVD_DIR)/svd_runner
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(SVD_OBJS) $(BUILD)/libvkvm.a $(LDLIBS)

TEST_PROGS_ONCE	+= $(SVD_DIR)/svediff

-include $(wildcard $(SVD_OBJ)/*.d)
