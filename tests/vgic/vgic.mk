# The in-kernel GICv3, timers, irqfd and ioeventfd (tests/vgic/): a TAP
# program on libvkvm, with guest code assembled by the cross toolchain.

VGIC_CROSS	?= aarch64-linux-gnu-
VGIC_GUEST_DIR	:= $(BUILD)/tests/vgic/guest
VGIC_OBJ	:= $(BUILD)/obj/tests/vgic

$(VGIC_GUEST_DIR)/vgic.elf: tests/vgic/guest/vgic.S
	@mkdir -p $(dir $@)
	$(VGIC_CROSS)gcc -march=armv8-a -nostdlib -static -Wl,-Ttext=0x40000000 \
		-Wl,--build-id=none -o $@ $<

$(VGIC_GUEST_DIR)/vgic.bin: $(VGIC_GUEST_DIR)/vgic.elf
	$(VGIC_CROSS)objcopy -O binary $< $@

$(VGIC_OBJ)/blob.o: tests/vgic/blob.S $(VGIC_GUEST_DIR)/vgic.bin
	@mkdir -p $(dir $@)
	$(CC) -c -Wa,-I$(VGIC_GUEST_DIR) -o $@ $<

$(BUILD)/tests/vgic_tests: $(VGIC_OBJ)/test_vgic.o $(VGIC_OBJ)/blob.o $(LIBVKVM_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

TEST_PROGS	+= $(BUILD)/tests/vgic_tests

# The ITS, LPIs and MSI routing (tests/vgic/test_its.c), on the same guest image
$(BUILD)/tests/its_tests: $(VGIC_OBJ)/test_its.o $(VGIC_OBJ)/blob.o $(LIBVKVM_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

TEST_PROGS	+= $(BUILD)/tests/its_tests

-include $(VGIC_OBJ)/test_vgic.d $(VGIC_OBJ)/test_its.d
