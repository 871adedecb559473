# ABI test: our include/uapi against Linux 6.1's UAPI headers (Debian's
# linux-libc-dev-arm64-cross) and against upstream literals.
# Included by the top-level Makefile (BUILD, CC, CPPFLAGS, CFLAGS, LDFLAGS).

ABI_DIR		:= tests/abi
ABI_LINUX61	?= /usr/aarch64-linux-gnu/include

ABI_SRCS	:= abi_test.c abi_ours.c abi_newer.c abi_coexist.c abi_coexist_kvm_first.c
ABI_OBJS	:= $(ABI_SRCS:%.c=$(BUILD)/obj/$(ABI_DIR)/%.o)
ABI_DEBIAN_OBJ	:= $(BUILD)/obj/$(ABI_DIR)/abi_debian.o

# The Linux 6.1 unit sees only the compiler's own headers and Debian's UAPI,
# never include/uapi (both sets are LP64; arm64 and x86-64 share the
# asm-generic ioctl encoding).  Without those headers it builds empty and
# the test reports the comparison as skipped.
ABI_DEBIAN_FLAGS := $(filter-out -I%,$(CPPFLAGS) $(CFLAGS))
ifneq ($(wildcard $(ABI_LINUX61)/linux/kvm.h),)
ABI_DEBIAN_FLAGS += -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
		    -I$(ABI_LINUX61)
else
ABI_DEBIAN_FLAGS += -DABI_NO_DEBIAN
endif

$(ABI_OBJS): $(BUILD)/obj/$(ABI_DIR)/%.o: $(ABI_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(ABI_DEBIAN_OBJ): $(ABI_DIR)/abi_debian.c
	@mkdir -p $(@D)
	$(CC) $(ABI_DEBIAN_FLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/abi_test: $(ABI_OBJS) $(ABI_DEBIAN_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

TEST_PROGS	+= $(BUILD)/tests/abi_test

-include $(ABI_OBJS:.o=.d) $(ABI_DEBIAN_OBJ:.o=.d)
