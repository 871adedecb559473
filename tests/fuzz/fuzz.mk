# libFuzzer targets (tests/fuzz/): built with clang from the same sources
# into $(BUILD)/fuzz/ (-fsanitize=fuzzer,address,undefined), seeded from
# tests/fuzz/corpus/<target>/.  `make check` runs each one bounded
# (tests/fuzz/run-fuzz.sh prints TAP, or a skip without clang/libFuzzer);
# `make bench-fuzz` (bench/bench.mk) runs them long.
#
#   fuzz_ioctl	the KVM ioctl interface of libvkvm
#   fuzz_loader	Image parsing, boot layout, DT generation

FUZZ_CC		?= clang
FUZZ_DIR	:= $(BUILD)/fuzz
FUZZ_TARGETS	:= ioctl loader
FUZZ_BINS	:= $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_CFLAGS	:= -O1 -g -std=gnu11 -Wall -Wextra -Wno-unused-parameter -pthread \
		   -fsanitize=fuzzer-no-link,address,undefined \
		   -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# libFuzzer comes with clang's runtime (Debian: libclang-rt-14-dev)
FUZZ_RTDIR	:= $(shell $(FUZZ_CC) -print-runtime-dir 2>/dev/null)
FUZZ_OK		:= $(if $(wildcard $(FUZZ_RTDIR)/libclang_rt.fuzzer-x86_64.a),yes)

FUZZ_KERNEL_OBJS := $(KERNEL_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_VMM_OBJS	:= $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,\
		     $(filter-out vmm/main.c,$(wildcard vmm/*.c devices/*.c fdt/*.c)))

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/obj/vmm/diag.o: CPPFLAGS += $(if $(filter -lcapstone,$(VMM_LIBS)),-DHAVE_CAPSTONE)
$(FUZZ_DIR)/obj/vmm/caps.o: CPPFLAGS += $(if $(filter -lcap-ng,$(VMM_LIBS)),-DHAVE_CAPNG)

$(FUZZ_DIR)/fuzz_ioctl: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_ioctl.o $(FUZZ_KERNEL_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ -pthread -lm -lrt

$(FUZZ_DIR)/fuzz_loader: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_loader.o $(FUZZ_VMM_OBJS) $(FUZZ_KERNEL_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ -pthread -lm $(VMM_LIBS)

# the targets, or a note when clang with libFuzzer is not installed
.PHONY: fuzz-build
ifeq ($(FUZZ_OK),yes)
fuzz-build: $(FUZZ_BINS)
else
fuzz-build:
	@echo "fuzz: $(FUZZ_CC) with libFuzzer not found (tools/deps.sh installs clang, libclang-rt-14-dev)"
endif

# In `make check`, plain pass only (the targets carry their own
# sanitizers): $(BUILD)/tests/fuzz_check runs tests/fuzz/run-fuzz.sh on
# this build's targets.
FUZZ_CHECK	:= $(BUILD)/tests/fuzz_check
$(FUZZ_CHECK): tests/fuzz/run-fuzz.sh $(if $(FUZZ_OK),$(FUZZ_BINS))
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nexec tests/fuzz/run-fuzz.sh %s "$$@"\n' $(FUZZ_DIR) > $@
	chmod +x $@
ifeq ($(SANITIZE),)
TEST_PROGS_ONCE	+= $(FUZZ_CHECK)
endif

-include $(wildcard $(FUZZ_DIR)/obj/*/*.d $(FUZZ_DIR)/obj/*/*/*.d $(FUZZ_DIR)/obj/*/*/*/*.d)
