# vmm, devices, fdt: libraries and tests.  (Included by the top Makefile.)

VMM_LIBS	+= -lfdt
ifneq ($(wildcard /usr/include/capstone/capstone.h),)
VMM_LIBS	+= -lcapstone
$(BUILD)/obj/vmm/diag.o: CPPFLAGS += -DHAVE_CAPSTONE
endif
ifneq ($(wildcard /usr/include/cap-ng.h),)
VMM_LIBS	+= -lcap-ng
$(BUILD)/obj/vmm/caps.o: CPPFLAGS += -DHAVE_CAPNG
endif
# --network mode=user; Debian 12's slirp.pc names glib-2.0, which the
# library does not need at build time: -lslirp when pkg-config says no
ifneq ($(wildcard /usr/include/slirp/libslirp.h),)
VMM_LIBS	+= $(shell pkg-config --libs slirp 2>/dev/null || echo -lslirp)
$(BUILD)/obj/devices/net-user.o: CPPFLAGS += -DHAVE_SLIRP
endif

# ---- tests: Check, TAP ------------------------------------------------------
# Linked against every vmm/devices/fdt object but main.o (devices register
# themselves through constructors, so objects, not an archive).
VMM_TEST_SRCS	:= $(wildcard tests/vmm/*.c)
VMM_TEST_OBJS	:= $(VMM_TEST_SRCS:%.c=$(BUILD)/obj/%.o)
VMM_CORE_OBJS	:= $(patsubst %.c,$(BUILD)/obj/%.o,\
		     $(filter-out vmm/main.c,$(wildcard vmm/*.c devices/*.c fdt/*.c)))
$(VMM_TEST_OBJS): CFLAGS += $(CHECK_CFLAGS)

# the CLI tests run $(BUILD)/vmm: build it in the sanitizer tree too
$(BUILD)/tests/vmm_tests: $(VMM_TEST_OBJS) $(VMM_CORE_OBJS) $(BUILD)/libvkvm.a $(BUILD)/vmm
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(VMM_TEST_OBJS) $(VMM_CORE_OBJS) $(BUILD)/libvkvm.a \
		$(CHECK_LIBS) $(LDLIBS) $(VMM_LIBS) -lutil
TEST_PROGS	+= $(BUILD)/tests/vmm_tests
# test_gdbstub.c debugs guests/gdb.c (its .elf for the symbols)
$(BUILD)/tests/vmm_tests: $(BUILD)/guests/gdb $(BUILD)/guests/gdb.elf

-include $(VMM_TEST_OBJS:.o=.d)

# ---- the static aarch64 vmm and its real-KVM rig test ---------------------
# `make vmm-aarch64` builds $(BUILD)/aarch64/vmm (vkvm included) against
# Debian's static arm64 libraries; `make vmm-rig-check` runs
# tests/vmm/rig/rig_tests.c (which carries that vmm) under real KVM in the
# QEMU rig of tests/rig/run-rig.sh.
A64_CC		?= aarch64-linux-gnu-gcc
A64_NM		?= aarch64-linux-gnu-nm
A64_DEPS	:= $(BUILD)/arm64-deps
A64_SYSROOT	:= $(A64_DEPS)/root
A64_VMM		:= $(BUILD)/aarch64/vmm
A64_RIG_TESTS	:= $(BUILD)/aarch64/vmm_rig_tests
A64_VMM_SRCS	= $(wildcard vmm/*.c devices/*.c fdt/*.c) \
		  $(sort $(KERNEL_SRCS) $(wildcard kernel/*.c kernel/*/*.c))

# After the rig's fetch (order-only), never beside it: both may run
# dpkg --add-architecture and apt-get update, and apt's lists lock fails
# the second.
$(A64_SYSROOT)/.done: tests/vmm/arm64-libs.sh | $(RIG_DIR)/Image
	tests/vmm/arm64-libs.sh $(A64_DEPS)
	touch $@

$(A64_VMM): $(A64_SYSROOT)/.done $(A64_VMM_SRCS) $(wildcard vmm/*.h devices/*.h fdt/*.h include/*.h include/uapi/*/*.h kernel/*.h kernel/*/*.h)
	@mkdir -p $(@D)
	$(A64_CC) -static -O2 -std=gnu11 -D_GNU_SOURCE -DHAVE_CAPSTONE -DHAVE_CAPNG \
		-Iinclude/uapi -Iinclude -I$(A64_SYSROOT)/usr/include -pthread \
		-o $@ $(A64_VMM_SRCS) -L$(A64_SYSROOT)/usr/lib/aarch64-linux-gnu \
		-lfdt -lcapstone -lcap-ng -lm

# It carries guests/gdb.c too, with the addresses of the symbols it debugs.
A64_GDB_SYM	= $$($(A64_NM) $(BUILD)/guests/gdb.elf | sed -n 's/^\([0-9a-f]*\) . $(1)$$/0x\1/p')
$(A64_RIG_TESTS): tests/vmm/rig/rig_tests.c tests/vmm/rig/blob.S tests/lib/spawn.h $(A64_VMM) \
		$(BUILD)/guests/gdb $(BUILD)/guests/gdb.elf
	$(A64_CC) -static -O2 -std=gnu11 -Wall -Wextra -DVMM_BLOB='"$(A64_VMM)"' \
		-DGDB_BLOB='"$(BUILD)/guests/gdb"' -DGDB_ADD=$(call A64_GDB_SYM,gdb_add) \
		-DGDB_MESSAGE=$(call A64_GDB_SYM,gdb_message) \
		-DGDB_WATCHED=$(call A64_GDB_SYM,gdb_watched) \
		-o $@ tests/vmm/rig/rig_tests.c tests/vmm/rig/blob.S

.PHONY: vmm-aarch64 vmm-rig-check
#? vmm-aarch64: vmm cross-built statically for arm64 hosts (build/aarch64/vmm)
vmm-aarch64: $(A64_VMM)
#? vmm-rig-check: vmm --accel kvm's tests under real KVM in the rig
vmm-rig-check: $(A64_RIG_TESTS) $(BUILD)/rig/mkcpio
	RIG_DIR=$(BUILD)/rig RIG_MKCPIO=$(BUILD)/rig/mkcpio tests/rig/run-rig.sh $(A64_RIG_TESTS)

# The vmm against Linux KVM in the QEMU rig, in `make check` too.
RIG_PROGS += $(A64_RIG_TESTS)

# `vmm test guests/guests.cfg --accel kvm` in the rig: the specs make check
# runs under vkvm, against Linux KVM.  $$(GUEST_BINS): guests/guests.mk is
# read after this file (secondary expansion is on since tests/rig/rig.mk).
A64_SPECS_RIG	:= $(BUILD)/aarch64/vmm_specs_rig
$(A64_SPECS_RIG): tests/vmm/rig/specs_rig.c tests/vmm/rig/specs_blobs.S tests/vmm/rig/blobs.h guests/guests.cfg \
		$(A64_VMM) $$(GUEST_BINS)
	$(A64_CC) -static -O2 -std=gnu11 -Wall -Wextra \
		-DSPEC_VMM='"$(A64_VMM)"' -DSPEC_GUESTS=$(BUILD)/guests \
		-o $@ tests/vmm/rig/specs_rig.c tests/vmm/rig/specs_blobs.S
RIG_PROGS += $(A64_SPECS_RIG)

# The same program built with guests/el2.cfg and the EL2 guest: the EL2
# specs under Linux 7.x KVM's nested virtualization, in the sid rig only
# (`make rig-check-el2`, tests/rig/rig.mk: Linux 6.1 has no KVM_CAP_ARM_EL2).
A64_EL2_RIG	:= $(BUILD)/aarch64/vmm_el2_rig
$(A64_EL2_RIG): tests/vmm/rig/specs_rig.c tests/vmm/rig/el2_blobs.S tests/vmm/rig/blobs.h guests/el2.cfg \
		$(A64_VMM) $(BUILD)/guests/el2
	$(A64_CC) -static -O2 -std=gnu11 -Wall -Wextra -DSPECS_EL2 \
		-DSPEC_VMM='"$(A64_VMM)"' -DSPEC_GUESTS=$(BUILD)/guests \
		-o $@ tests/vmm/rig/specs_rig.c tests/vmm/rig/el2_blobs.S

# The same with guests/nv2.cfg and the NV2 guest, for the sid rig too
# (`make rig-check-nv2`): KVM 7.x offers its guest hypervisor FEAT_NV2.
A64_NV2_RIG	:= $(BUILD)/aarch64/vmm_nv2_rig
$(A64_NV2_RIG): tests/vmm/rig/specs_rig.c tests/vmm/rig/nv2_blobs.S tests/vmm/rig/blobs.h guests/nv2.cfg \
		$(A64_VMM) $(BUILD)/guests/nv2
	$(A64_CC) -static -O2 -std=gnu11 -Wall -Wextra -DSPECS_NV2 \
		-DSPEC_VMM='"$(A64_VMM)"' -DSPEC_GUESTS=$(BUILD)/guests \
		-o $@ tests/vmm/rig/specs_rig.c tests/vmm/rig/nv2_blobs.S
