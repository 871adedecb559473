# Engine tests (tests/cpu/): programs that drive struct cpu directly, with
# tests/cpu/harness.c and fake_sysregs.c standing in for the backend.  Guest
# code is assembled with the cross toolchain and linked in with .incbin.

CPU_CROSS	?= aarch64-linux-gnu-
CPU_ENGINE_OBJS	:= $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard kernel/cpu/*.c kernel/cpu/jit/*.c))
CPU_OBJ		:= $(BUILD)/obj/tests/cpu
CPU_GUEST_DIR	:= $(BUILD)/tests/cpu/guest
CPU_GUESTS	:= integer snippets bench ldst
CPU_TEST_COMMON	:= $(CPU_OBJ)/harness.o $(CPU_OBJ)/fake_sysregs.o $(CPU_OBJ)/blobs.o

$(CPU_GUEST_DIR)/%.elf: tests/cpu/guest/%.S
	@mkdir -p $(dir $@)
	$(CPU_CROSS)gcc -march=armv8.2-a -nostdlib -static -Wl,-Ttext=0x40000000 \
		-Wl,--build-id=none -o $@ $<

# The bench loop as a Linux user program, for qemu-aarch64 (bench_cpu)
$(CPU_GUEST_DIR)/bench_user.elf: tests/cpu/guest/bench.S
	@mkdir -p $(dir $@)
	$(CPU_CROSS)gcc -DUSER -nostdlib -static -Wl,--build-id=none -o $@ $<

$(CPU_GUEST_DIR)/%.bin: $(CPU_GUEST_DIR)/%.elf
	$(CPU_CROSS)objcopy -O binary $< $@

$(CPU_GUEST_DIR)/%.h: $(CPU_GUEST_DIR)/%.elf
	$(CPU_CROSS)nm $< | awk '$$3 ~ /^s_/ { print "#define " toupper($$3) " 0x" $$1 "ULL" }' > $@

$(CPU_OBJ)/blobs.o: tests/cpu/blobs.S $(CPU_GUESTS:%=$(CPU_GUEST_DIR)/%.bin)
	@mkdir -p $(dir $@)
	$(CC) -c -Wa,-I$(CPU_GUEST_DIR) -o $@ $<

$(CPU_GUEST_DIR)/snippets.elf $(CPU_GUEST_DIR)/ldst.elf: tests/cpu/guest/snip.h
$(CPU_OBJ)/test_engine.o: $(CPU_GUEST_DIR)/snippets.h
$(CPU_OBJ)/test_ldst.o: $(CPU_GUEST_DIR)/ldst.h
$(CPU_OBJ)/bench_cpu.o: $(CPU_GUEST_DIR)/bench.h
$(CPU_OBJ)/%.o: CPPFLAGS += -I$(CPU_GUEST_DIR)

$(BUILD)/tests/cpu/test_engine: $(CPU_OBJ)/test_engine.o $(CPU_TEST_COMMON) $(CPU_ENGINE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/cpu/test_ldst: $(CPU_OBJ)/test_ldst.o $(CPU_TEST_COMMON) $(CPU_ENGINE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/cpu/test_fast: $(CPU_OBJ)/test_fast.o $(CPU_TEST_COMMON) $(CPU_ENGINE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/cpu/test_jit: $(CPU_OBJ)/test_jit.o $(CPU_TEST_COMMON) $(CPU_ENGINE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/cpu/test_jit_perfmap: $(CPU_OBJ)/test_jit_perfmap.o $(CPU_TEST_COMMON) \
		$(CPU_ENGINE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/cpu/test_crypto: $(CPU_OBJ)/test_crypto.o $(CPU_TEST_COMMON) $(CPU_ENGINE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/cpu/test_fpfix: $(CPU_OBJ)/test_fpfix.o $(CPU_TEST_COMMON) $(CPU_ENGINE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# the instruction fuzzer runs guests through libvkvm's KVM_RUN
$(BUILD)/tests/cpu/test_fuzz: $(CPU_OBJ)/test_fuzz.o $(LIBVKVM_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lrt

$(CPU_OBJ)/bench_cpu.o: CPPFLAGS += -DBENCH_USER_ELF='"$(CPU_GUEST_DIR)/bench_user.elf"'
$(BUILD)/tests/cpu/bench_cpu: $(CPU_OBJ)/bench_cpu.o $(CPU_TEST_COMMON) $(CPU_ENGINE_OBJS) \
		$(CPU_GUEST_DIR)/bench_user.elf
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LDLIBS)

# MMIO exit round trips through the whole ioctl path (vkvm_ioctl, KVM_RUN)
$(BUILD)/tests/cpu/bench_exit: tests/cpu/bench_exit.c $(LIBVKVM_A)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBVKVM_A) $(LDLIBS)

TEST_PROGS	+= $(BUILD)/tests/cpu/test_engine $(BUILD)/tests/cpu/test_ldst \
		   $(BUILD)/tests/cpu/test_fuzz $(BUILD)/tests/cpu/test_fast \
		   $(BUILD)/tests/cpu/test_crypto $(BUILD)/tests/cpu/test_fpfix \
		   $(BUILD)/tests/cpu/test_jit $(BUILD)/tests/cpu/test_jit_perfmap

-include $(wildcard $(CPU_OBJ)/*.d)
