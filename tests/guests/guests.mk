# The guest harness (a minimal KVM client, not the VMM) and the TAP program
# that runs every guest of guests/ through it.  See tests/guests/harness.h.
#
#   $(BUILD)/tests/guest-harness    run one guest file by hand (vkvm or kvm)
#   $(BUILD)/tests/guest_tests      TAP, guests embedded, under vkvm (make check)
#   $(BUILD)/aarch64/guest_tests    the same, static aarch64, for /dev/kvm in
#                                   the rig: `make guest-tests-aarch64`, then
#                                   tests/rig/run-rig.sh $(BUILD)/aarch64/guest_tests
#                                   (or `make rig-guests`)

GUEST_HARNESS_SRCS := tests/guests/harness.c
# the guests images.S embeds (guests/guests.mk builds them; it is read after this file)
GUEST_TEST_BINS	:= $(addprefix $(BUILD)/guests/,$(shell sed -n 's/^[[:space:]]*guest[[:space:]]*[a-z0-9_]*, "\(.*\)"$$/\1/p' tests/guests/images.S))
GUEST_HARNESS_DEPS := $(GUEST_HARNESS_SRCS) tests/guests/harness.h vmm/hv.h guests/platform.h

$(BUILD)/tests/guest-harness: tests/guests/harness_main.c $(GUEST_HARNESS_DEPS) $(LIBVKVM_A)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DUSE_VKVM $(LDFLAGS) -o $@ \
		tests/guests/harness_main.c $(GUEST_HARNESS_SRCS) $(LIBVKVM_A) $(LDLIBS)

$(BUILD)/obj/tests/guests/images.o: tests/guests/images.S $(GUEST_TEST_BINS)
	@mkdir -p $(dir $@)
	$(CC) -c -Wa,-I$(BUILD)/guests -o $@ $<

$(BUILD)/tests/guest_tests: tests/guests/guest_tests.c $(GUEST_HARNESS_DEPS) \
		$(BUILD)/obj/tests/guests/images.o $(LIBVKVM_A) $(BUILD)/tests/guest-harness
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DUSE_VKVM $(LDFLAGS) -o $@ \
		tests/guests/guest_tests.c $(GUEST_HARNESS_SRCS) \
		$(BUILD)/obj/tests/guests/images.o $(LIBVKVM_A) $(LDLIBS)
# Every guest under vkvm, in `make check`.
TEST_PROGS_ONCE += $(BUILD)/tests/guest_tests

# Against Linux KVM: static aarch64, only the /dev/kvm entry of the table.
AARCH64_CC	?= aarch64-linux-gnu-gcc
AARCH64_GT_FLAGS := -static -O2 -g -std=gnu11 -Wall -Wextra -Wno-unused-parameter \
		    -pthread -D_GNU_SOURCE -Iinclude/uapi

$(BUILD)/obj/aarch64/tests/guests/images.o: tests/guests/images.S $(GUEST_TEST_BINS)
	@mkdir -p $(dir $@)
	$(AARCH64_CC) -c -Wa,-I$(BUILD)/guests -o $@ $<

$(BUILD)/aarch64/guest_tests: tests/guests/guest_tests.c $(GUEST_HARNESS_DEPS) \
		$(BUILD)/obj/aarch64/tests/guests/images.o
	@mkdir -p $(dir $@)
	$(AARCH64_CC) $(AARCH64_GT_FLAGS) -o $@ tests/guests/guest_tests.c \
		$(GUEST_HARNESS_SRCS) $(BUILD)/obj/aarch64/tests/guests/images.o

$(BUILD)/aarch64/guest-harness: tests/guests/harness_main.c $(GUEST_HARNESS_DEPS)
	@mkdir -p $(dir $@)
	$(AARCH64_CC) $(AARCH64_GT_FLAGS) -o $@ tests/guests/harness_main.c $(GUEST_HARNESS_SRCS)

.PHONY: guest-tests-aarch64 rig-guests
#? guest-tests-aarch64: the guest tests as static arm64 programs (for /dev/kvm)
guest-tests-aarch64: $(BUILD)/aarch64/guest_tests $(BUILD)/aarch64/guest-harness

#? rig-guests: the guest tests under real KVM in the rig
rig-guests: $(BUILD)/aarch64/guest_tests
	tests/rig/run-rig.sh $(BUILD)/aarch64/guest_tests

# ...and under Linux KVM in the QEMU rig, in `make check` too.
RIG_PROGS += $(BUILD)/aarch64/guest_tests
