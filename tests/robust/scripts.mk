# The shell tests of tests/robust/: each NAME.sh (TAP through tap.sh) runs
# as `NAME.sh VMM SANITIZED(0|1) GUESTDIR TMPDIR` from a wrapper made per
# build, so that the ASan/UBSan build runs it with its own vmm.  GUESTDIR
# holds the hostile guests tests/robust/*.S as raw images.
ROBUST_SH	:= signals guest-loops monitor-mmu
ROBUST_GDIR	:= $(BUILD)/tests/robust/guests
ROBUST_GUESTS	:= $(patsubst tests/robust/%.S,$(ROBUST_GDIR)/%.bin,$(wildcard tests/robust/*.S))

$(ROBUST_GDIR)/%.bin: tests/robust/%.S
	@mkdir -p $(@D)
	aarch64-linux-gnu-gcc -nostdlib -static -Wl,-Ttext=0x80000000 -Wl,--build-id=none \
		-o $(@:.bin=.elf) $<
	aarch64-linux-gnu-objcopy -O binary $(@:.bin=.elf) $@

$(ROBUST_SH:%=$(BUILD)/tests/robust/%): $(BUILD)/tests/robust/%: tests/robust/%.sh \
		tests/robust/tap.sh tests/robust/scripts.mk $(VMM_BIN) $(ROBUST_GUESTS)
	@mkdir -p $(@D)
	printf '%s\n' '#!/bin/sh' \
		'exec $(abspath $<) $(abspath $(VMM_BIN)) $(if $(SANITIZE),1,0) $(abspath $(ROBUST_GDIR)) $(abspath $@.d)' >$@.tmp
	chmod +x $@.tmp
	mv $@.tmp $@
TEST_PROGS	+= $(ROBUST_SH:%=$(BUILD)/tests/robust/%)
