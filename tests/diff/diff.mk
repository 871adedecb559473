# Differential test of the integer instruction set: vkvm against
# qemu-aarch64 (tests/diff/diff.c, on tests/lib/difftest.c).  The reference
# runner is a static aarch64 program; the test itself runs plain only
# (TEST_PROGS_ONCE): it compares architectural results, which a sanitizer
# build cannot change, and the engine's own tests already run under
# ASan/UBSan.

DIFF_CROSS	?= aarch64-linux-gnu-
DIFF_OBJ	:= $(BUILD)/obj/tests/diff
DIFF_DIR	:= $(BUILD)/tests/diff
DIFF_OBJS	:= $(DIFF_OBJ)/diff.o $(DIFF_OBJ)/gen.o
DIFF_LIB_OBJS	:= $(BUILD)/obj/tests/lib/difftest.o $(BUILD)/obj/tests/lib/vmc.o

$(DIFF_OBJS): CPPFLAGS += -Itests/lib

$(DIFF_DIR)/qemu_runner: tests/diff/qemu_runner.c tests/diff/qemu_entry.S tests/lib/diffrunner.c \
		tests/diff/diffcase.h $(wildcard tests/lib/*.h)
	@mkdir -p $(dir $@)
	$(DIFF_CROSS)gcc -static -O2 -Wall -Wextra -Itests/lib -o $@ $(filter %.c %.S,$^)

$(DIFF_DIR)/diff: $(DIFF_OBJS) $(DIFF_LIB_OBJS) $(BUILD)/libvkvm.a $(DIFF_DIR)/qemu_runner
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(DIFF_OBJS) $(DIFF_LIB_OBJS) $(BUILD)/libvkvm.a $(LDLIBS)

TEST_PROGS_ONCE	+= $(DIFF_DIR)/diff

-include $(wildcard $(DIFF_OBJ)/*.d)
