# tests/lse2tear: FEAT_LSE2's single-copy atomicity across vCPU threads (a
# writer and readers of one 16-byte quantity in a vkvm VM), TAP.
# A build with OPT="-O2 -DVKVM_TEAR_16" makes 16-byte accesses two 64-bit
# ones (mem.h): this test must then fail.

LSE2TEAR_DIR	:= $(BUILD)/tests/lse2tear
LSE2TEAR_OBJ	:= $(BUILD)/obj/tests/lse2tear

$(LSE2TEAR_DIR)/guest.elf: tests/lse2tear/guest.S
	@mkdir -p $(dir $@)
	$(DIFFTEST_CROSS)gcc -march=armv8.1-a -nostdlib -static -Wl,-Ttext=0x40000000 \
		-Wl,--build-id=none -o $@ $<

$(LSE2TEAR_DIR)/guest.bin: $(LSE2TEAR_DIR)/guest.elf
	$(DIFFTEST_CROSS)objcopy -O binary $< $@

$(LSE2TEAR_OBJ)/blob.o: tests/lse2tear/blob.S $(LSE2TEAR_DIR)/guest.bin
	@mkdir -p $(dir $@)
	$(CC) -c -Wa,-I$(LSE2TEAR_DIR) -o $@ $<

$(LSE2TEAR_OBJ)/lse2tear.o: CPPFLAGS += -Itests/lib

$(LSE2TEAR_DIR)/lse2tear: $(LSE2TEAR_OBJ)/lse2tear.o $(LSE2TEAR_OBJ)/blob.o \
		$(BUILD)/obj/tests/lib/vmc.o $(BUILD)/libvkvm.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

TEST_PROGS	+= $(LSE2TEAR_DIR)/lse2tear

-include $(wildcard $(LSE2TEAR_OBJ)/*.d)
