# tests/idwalk: the guest-visible ID registers against the instructions:
# sample encodings per feature (samples.S, assembled by the cross
# toolchain) and encodings of every row of kernel/cpu's decode table
# (table.c), run in a vkvm VM through the KVM ioctls.

IDWALK_DIR	:= $(BUILD)/tests/idwalk
IDWALK_OBJ	:= $(BUILD)/obj/tests/idwalk

$(IDWALK_DIR)/samples.bin: tests/idwalk/samples.S tests/idwalk/idwalk.h
	@mkdir -p $(dir $@)
	$(DIFFTEST_CROSS)gcc -c -Itests/idwalk -o $(IDWALK_DIR)/samples.o $<
	$(DIFFTEST_CROSS)objcopy -O binary -j .rodata $(IDWALK_DIR)/samples.o $@

$(IDWALK_OBJ)/blob.o: tests/idwalk/blob.S $(IDWALK_DIR)/samples.bin
	@mkdir -p $(dir $@)
	$(CC) -c -Wa,-I$(IDWALK_DIR) -o $@ $<

$(IDWALK_OBJ)/idwalk.o: CPPFLAGS += -Itests/lib

$(IDWALK_DIR)/idwalk: $(IDWALK_OBJ)/idwalk.o $(IDWALK_OBJ)/table.o $(IDWALK_OBJ)/blob.o \
		$(DIFFTEST_LIB_OBJS) \
		$(BUILD)/libvkvm.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

TEST_PROGS	+= $(IDWALK_DIR)/idwalk

-include $(wildcard $(IDWALK_OBJ)/*.d)
