# tests/robust/guest-loops.sh: guests that never exit, stopped by --timeout,
# plain and under ASan/UBSan (a wrapper per build runs that build's vmm).
ROBUST_LOOPS_DIR := $(BUILD)/tests/robust/guests
ROBUST_LOOPS	:= $(BUILD)/tests/robust/guest-loops
ROBUST_LOOP_BINS := $(ROBUST_LOOPS_DIR)/spin-mem.bin $(ROBUST_LOOPS_DIR)/spin-wfe.bin

$(ROBUST_LOOPS_DIR)/%.bin: tests/robust/%.S
	@mkdir -p $(@D)
	aarch64-linux-gnu-gcc -nostdlib -static -Wl,-Ttext=0x80000000 -Wl,--build-id=none \
		-o $(@:.bin=.elf) $<
	aarch64-linux-gnu-objcopy -O binary $(@:.bin=.elf) $@

$(ROBUST_LOOPS): tests/robust/guest-loops.mk tests/robust/guest-loops.sh $(VMM_BIN) \
		$(ROBUST_LOOP_BINS)
	@mkdir -p $(@D)
	printf '%s\n' '#!/bin/sh' \
		'exec $(abspath tests/robust/guest-loops.sh) $(abspath $(VMM_BIN)) $(abspath $(ROBUST_LOOPS_DIR)) $(abspath $(BUILD)/tests/robust/guest-loops.d)' >$@.tmp
	chmod +x $@.tmp
	mv $@.tmp $@
TEST_PROGS	+= $(ROBUST_LOOPS)
