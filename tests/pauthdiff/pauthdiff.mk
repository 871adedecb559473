# Differential test of pointer authentication (tests/pauthdiff):
# kernel/cpu/pauth.c against qemu-system-aarch64 -cpu max, running the
# bare-metal guest pauth-guest.elf (guest.c, start.S) at EL1, where the
# keys can be set; then the same guest under vkvm (flat pauth-guest.bin).  Plain build only, as the other differential tests.

PAUTHDIFF	:= $(BUILD)/tests/pauthdiff

$(PAUTHDIFF)/pauth-guest.elf: tests/lib/guest-entry.S tests/pauthdiff/start.S tests/pauthdiff/guest.c \
		tests/pauthdiff/pacgen.h
	@mkdir -p $(dir $@)
	$(DIFFTEST_CROSS)gcc -O2 -Wall -Wextra -march=armv8.3-a -mgeneral-regs-only -ffreestanding -nostdlib \
		-static -fno-pie -no-pie -Wl,--build-id=none -Wl,-Ttext=0x40080000 -Wl,-e,_start -o $@ \
		tests/lib/guest-entry.S tests/pauthdiff/start.S tests/pauthdiff/guest.c

$(PAUTHDIFF)/pauth-guest.bin: $(PAUTHDIFF)/pauth-guest.elf
	$(DIFFTEST_CROSS)objcopy -O binary -j .text -j .rodata -j .data $< $@

$(BUILD)/obj/tests/pauthdiff/pauth_vkvm.o: CPPFLAGS += -Itests/lib

$(PAUTHDIFF)/pauthdiff: $(BUILD)/obj/tests/pauthdiff/pauthdiff.o \
		$(BUILD)/obj/tests/pauthdiff/pauth_vkvm.o $(BUILD)/obj/tests/lib/vmc.o \
		$(BUILD)/libvkvm.a $(PAUTHDIFF)/pauth-guest.elf $(PAUTHDIFF)/pauth-guest.bin
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/obj/tests/pauthdiff/pauthdiff.o \
		$(BUILD)/obj/tests/pauthdiff/pauth_vkvm.o \
		$(BUILD)/obj/tests/lib/vmc.o $(BUILD)/libvkvm.a $(LDLIBS)

TEST_PROGS_ONCE	+= $(PAUTHDIFF)/pauthdiff

-include $(wildcard $(BUILD)/obj/tests/pauthdiff/*.d)
