# The /dev/kvm client ported to vkvm by swapping four calls (USE_VKVM).
$(BUILD)/tests/abi_client: tests/kvmclient/abi_client.c $(LIBVKVM_A)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DUSE_VKVM $(LDFLAGS) -o $@ $< $(LIBVKVM_A) $(LDLIBS)
TEST_PROGS += $(BUILD)/tests/abi_client

# The same source against Linux KVM, for the arm64 rig.
$(BUILD)/aarch64/abi_client: tests/kvmclient/abi_client.c
	@mkdir -p $(dir $@)
	aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Iinclude/uapi -o $@ $<

# What a KVM answers, recorded key by key (tests/kvmclient/compare-dump.sh
# compares vkvm's record with the rig's): under vkvm here...
$(BUILD)/tests/abi_dump: tests/kvmclient/abi_dump.c $(LIBVKVM_A)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DUSE_VKVM $(LDFLAGS) -o $@ $< $(LIBVKVM_A) $(LDLIBS)
TEST_PROGS += $(BUILD)/tests/abi_dump

# ...and under Linux KVM in both rigs.
$(BUILD)/aarch64/abi_dump: tests/kvmclient/abi_dump.c
	@mkdir -p $(dir $@)
	aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Iinclude/uapi -o $@ $<
RIG_PROGS += $(BUILD)/aarch64/abi_dump
