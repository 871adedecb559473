# Differential test of FEAT_BTI (tests/btidiff): the engine against
# qemu-system-aarch64 -cpu max and a model of the rules, running the
# bare-metal guest bti-guest.elf (guest.c, start.S) at EL1 and EL0; under
# vkvm the flat bti-guest.bin, through tests/pauthdiff's runner (a vCPU
# with PTRAUTH, for BRAA/BLRAA).  Plain build only, as the other
# differential tests.

BTIDIFF	:= $(BUILD)/tests/btidiff

$(BTIDIFF)/bti-guest.elf: tests/lib/guest-entry.S tests/btidiff/start.S tests/btidiff/guest.c \
		tests/btidiff/btigen.h
	@mkdir -p $(dir $@)
	$(DIFFTEST_CROSS)gcc -O2 -Wall -Wextra -march=armv8.5-a -mbranch-protection=none \
		-mgeneral-regs-only -ffreestanding -nostdlib \
		-static -fno-pie -no-pie -Wl,--build-id=none -Wl,-Ttext=0x40080000 -Wl,-e,_start -o $@ \
		tests/lib/guest-entry.S tests/btidiff/start.S tests/btidiff/guest.c

$(BTIDIFF)/bti-guest.bin: $(BTIDIFF)/bti-guest.elf
	$(DIFFTEST_CROSS)objcopy -O binary -j .text -j .rodata -j .data $< $@

$(BTIDIFF)/btidiff: $(BUILD)/obj/tests/btidiff/btidiff.o \
		$(BUILD)/obj/tests/pauthdiff/pauth_vkvm.o $(BUILD)/obj/tests/lib/vmc.o \
		$(BUILD)/libvkvm.a $(BTIDIFF)/bti-guest.elf $(BTIDIFF)/bti-guest.bin
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/obj/tests/btidiff/btidiff.o \
		$(BUILD)/obj/tests/pauthdiff/pauth_vkvm.o \
		$(BUILD)/obj/tests/lib/vmc.o $(BUILD)/libvkvm.a $(LDLIBS)

TEST_PROGS_ONCE	+= $(BTIDIFF)/btidiff

-include $(wildcard $(BUILD)/obj/tests/btidiff/*.d)
