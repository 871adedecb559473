# The /dev/kvm clients, ported to vkvm by swapping four calls (kclient.h,
# USE_VKVM): abi_client checks KVM's answers; abi_dump records what a KVM
# answers, key by key (tests/kvmclient/compare-dump.sh compares vkvm's
# record with the rig's).  Each builds under vkvm here and, from the same
# source, against Linux KVM for the arm64 rigs.
KVMCLIENT_PROGS	:= abi_client abi_dump

$(KVMCLIENT_PROGS:%=$(BUILD)/tests/%): $(BUILD)/tests/%: tests/kvmclient/%.c \
		tests/kvmclient/kclient.h $(LIBVKVM_A)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DUSE_VKVM $(LDFLAGS) -o $@ $< $(LIBVKVM_A) $(LDLIBS)
TEST_PROGS += $(KVMCLIENT_PROGS:%=$(BUILD)/tests/%)

$(KVMCLIENT_PROGS:%=$(BUILD)/aarch64/%): $(BUILD)/aarch64/%: tests/kvmclient/%.c \
		tests/kvmclient/kclient.h
	@mkdir -p $(dir $@)
	aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Iinclude/uapi -o $@ $<
RIG_PROGS += $(BUILD)/aarch64/abi_dump
