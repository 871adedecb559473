# vmm and vkvm: build, test, install.  `make help` lists the targets.
#
# One non-recursive make.  Folders with more than a handful of rules keep them
# in a fragment (*.mk) included below; fragments append to the variables
# KERNEL_SRCS, VMM_SRCS, TEST_PROGS (run by `make check`, plain and under
# ASan/UBSan) and TEST_PROGS_ONCE (plain build only).

BUILD		?= build
PREFIX		?= /usr/local
DESTDIR		?=
CC		?= cc
SANITIZE	?=

ifeq ($(CC),cc)
CC		:= gcc
endif

CSTD		:= -std=gnu11
WARN		:= -Wall -Wextra -Wno-unused-parameter
OPT		?= -O2
CPPFLAGS	+= -Iinclude/uapi -Iinclude -D_GNU_SOURCE
CFLAGS		?= $(OPT) -g
CFLAGS		+= $(CSTD) $(WARN) -fPIC -pthread
LDLIBS		+= -pthread

ifneq ($(SANITIZE),)
CFLAGS		+= -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=undefined
LDFLAGS		+= -fsanitize=address,undefined
endif

CHECK_CFLAGS	:= $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS	:= $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

KERNEL_SRCS	:= $(wildcard kernel/*.c kernel/cpu/*.c kernel/cpu/jit/*.c)
VMM_SRCS	:= $(wildcard vmm/*.c devices/*.c fdt/*.c)
TEST_PROGS	:=
TEST_PROGS_ONCE	:=
LIBVKVM_A	:= $(BUILD)/libvkvm.a
LIBVKVM_SO	:= $(BUILD)/libvkvm.so
VMM_BIN		:= $(BUILD)/vmm

# tests/lib/lib.mk first: the other fragments call its functions
include tests/lib/lib.mk
-include $(filter-out tests/lib/lib.mk,$(wildcard kernel/*.mk kernel/cpu/*.mk tests/*/*.mk \
	bench/*.mk guests/*.mk))

KERNEL_OBJS	:= $(KERNEL_SRCS:%.c=$(BUILD)/obj/%.o)
VMM_OBJS	:= $(VMM_SRCS:%.c=$(BUILD)/obj/%.o)

.PHONY: all check test-progs install deps help clean run
.DEFAULT_GOAL := all

#? all: build build/vmm, build/libvkvm.a and build/libvkvm.so (the default)
all: $(LIBVKVM_A) $(LIBVKVM_SO) $(VMM_BIN)

# The core rules print one short line a step; V=1 prints their commands.
# (say,WHAT) goes before a command: `  WHAT  target`, or nothing with V=1.
say		= $(if $(V),,@echo "  $(1)	$@";)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIBVKVM_A): $(KERNEL_OBJS)
	@mkdir -p $(dir $@)
	$(call say,AR)rm -f $@ && ar rcs $@ $^

$(LIBVKVM_SO): $(KERNEL_OBJS)
	$(call say,LD)$(CC) -shared $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(VMM_BIN): $(VMM_OBJS) $(LIBVKVM_A)
	$(call say,LD)$(CC) $(LDFLAGS) -o $@ $(VMM_OBJS) $(LIBVKVM_A) $(LDLIBS) $(VMM_LIBS)

# Objects live under $(BUILD)/obj/ (so that $(BUILD)/vmm can be the binary).
# Fragments may add rules for their own objects the same way.

# ---- unit tests (Check) ----------------------------------------------------
UNIT_SRCS	:= $(wildcard tests/unit/*.c)
UNIT_OBJS	:= $(UNIT_SRCS:%.c=$(BUILD)/obj/%.o)
$(UNIT_OBJS): CFLAGS += $(CHECK_CFLAGS)
$(BUILD)/tests/unit_tests: $(UNIT_OBJS) $(LIBVKVM_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(LIBVKVM_A) $(CHECK_LIBS) $(LDLIBS)
TEST_PROGS	+= $(BUILD)/tests/unit_tests

#? test-progs: build make check's test programs (plain build) without running them
test-progs: all $(TEST_PROGS) $(TEST_PROGS_ONCE)

# `make check`: install what is missing, build, run everything twice
# (plain and ASan/UBSan); the driver prints "N passed, N failed".
# The engine's tests also run built at -O0, where no call becomes a jump
# (the chain's stack bound, kernel/cpu/internal.h).
TEST_PROGS_O0	:= $(BUILD)/o0/tests/cpu/test_engine

#? check: install what is missing, build (plain, ASan/UBSan, the engine at -O0) and run every test; ends 'N passed, N failed'
# `make check` and `make run` build in parallel, a job per CPU, unless make
# was given -j; their steps stay in order (the packages first).
PAR		= $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc))

check:
	@tools/deps.sh
	$(MAKE) $(PAR) test-progs
	$(MAKE) $(PAR) BUILD=$(BUILD)/san SANITIZE=1 test-progs-san
	$(MAKE) $(PAR) BUILD=$(BUILD)/o0 OPT=-O0 $(TEST_PROGS_O0)
	@tools/run-tests.sh $(TEST_PROGS) $(TEST_PROGS_ONCE) \
		$(patsubst $(BUILD)/%,$(BUILD)/san/%,$(TEST_PROGS)) $(TEST_PROGS_O0)

.PHONY: test-progs-san
test-progs-san: $(TEST_PROGS)

#? deps: install the missing Debian packages (apt-get, as root)
deps:
	@tools/deps.sh

# The main job: boot the default guest, Debian's arm64 kernel with a
# busybox initramfs (guests/linux.mk), to a shell on the console, with a
# 512-bit SVE vector length negotiated, and virtio-rng so that the guest's
# crng is ready at boot.  `exit` in the shell powers off.
#? run: the main job: Debian's arm64 kernel to a busybox shell under vkvm (--sve-vl 512, --rng); 'exit' powers off
run:
	$(MAKE) $(PAR) all linux
	$(VMM_BIN) info --sve-vl 512
	$(VMM_BIN) run --kernel $(LINUX_IMAGE) --initrd $(LINUX_INITRAMFS) --sve-vl 512 --rng

#? install: install vmm (and an lkvm link to it), libvkvm and the headers (PREFIX, DESTDIR)
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
		$(DESTDIR)$(PREFIX)/include/uapi/linux $(DESTDIR)$(PREFIX)/include/uapi/asm
	install -m 755 $(VMM_BIN) $(DESTDIR)$(PREFIX)/bin/vmm
	ln -sf vmm $(DESTDIR)$(PREFIX)/bin/lkvm
	install -m 644 $(LIBVKVM_A) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(LIBVKVM_SO) $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/vkvm.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 include/uapi/linux/*.h $(DESTDIR)$(PREFIX)/include/uapi/linux/
	install -m 644 include/uapi/asm/*.h $(DESTDIR)$(PREFIX)/include/uapi/asm/

#? clean: remove build/
clean:
	rm -rf $(BUILD)

#? help: this list
help:
	@echo "Targets (make TARGET; each is a '#? target: what' line in the Makefile or a fragment):"
	@sed -n 's/^#? \([^:]*\): *\(.*\)/\1\t\2/p' $(filter %Makefile %.mk,$(MAKEFILE_LIST)) | \
		awk -F'\t' '{ printf "  %-20s %s\n", $$1, $$2 }'
	@echo "Variables: BUILD=$(BUILD) PREFIX=$(PREFIX) CC=$(CC) SANITIZE=1 OPT=$(OPT) V=1 (commands)"

-include $(KERNEL_OBJS:.o=.d) $(VMM_OBJS:.o=.d) $(UNIT_OBJS:.o=.d)
