# Bare-metal test guests (guests/README.md): a freestanding runtime in
# guests/rt/ and one C file per guest, cross-built with aarch64-linux-gnu-gcc
# into $(BUILD)/guests/NAME (what a loader takes) and NAME.elf (symbols).
#
# Some guests carry an arm64 Image header, the others are raw binaries, so
# both loaders are exercised; the lists below decide.

GUEST_CROSS	?= aarch64-linux-gnu-
GUEST_CC	:= $(GUEST_CROSS)gcc
GUEST_OBJCOPY	:= $(GUEST_CROSS)objcopy
GUEST_NM	:= $(GUEST_CROSS)nm
GUEST_CFLAGS	:= -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter \
		   -ffreestanding -nostdlib -mgeneral-regs-only -mstrict-align \
		   -fpie -fno-stack-protector -fno-asynchronous-unwind-tables \
		   -fno-unwind-tables -fno-builtin -Iguests/rt -Iguests
GUEST_LDFLAGS	:= -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,-z,norelro \
		   -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
		   -Wl,-T,guests/rt/link.ld

GUESTS_IMAGE	:= hello psci el0 mmu sve-vl
GUESTS_RAW	:= hello-raw mmio nisv-abort iabt serror sea
GUESTS		:= $(GUESTS_IMAGE) $(GUESTS_RAW)
GUEST_BINS	:= $(GUESTS:%=$(BUILD)/guests/%)

GUEST_RT_C	:= $(wildcard guests/rt/*.c)
GUEST_RT_OBJS	:= $(GUEST_RT_C:%.c=$(BUILD)/obj/%.aarch64.o) \
		   $(BUILD)/obj/guests/rt/vectors.aarch64.o
GUEST_HEADERS	:= $(wildcard guests/rt/*.h) guests/platform.h

$(BUILD)/obj/guests/%.aarch64.o: guests/%.c $(GUEST_HEADERS)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

$(BUILD)/obj/guests/%.aarch64.o: guests/%.S
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

$(BUILD)/obj/guests/rt/start-image.aarch64.o: guests/rt/start.S
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -DIMAGE_HEADER -c -o $@ $<

$(BUILD)/obj/guests/rt/start-raw.aarch64.o: guests/rt/start.S
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

# NAME.elf from guests/SRC.c; hello-raw is hello without the header.
guest_src = $(if $(filter hello-raw,$(1)),hello,$(1))
guest_head = $(if $(filter $(GUESTS_IMAGE),$(1)),image,raw)

define guest_rule
$(BUILD)/guests/$(1).elf: $(BUILD)/obj/guests/$(call guest_src,$(1)).aarch64.o \
		$(BUILD)/obj/guests/rt/start-$(call guest_head,$(1)).aarch64.o \
		$(GUEST_RT_OBJS) guests/rt/link.ld
	@mkdir -p $$(dir $$@)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $$@ \
		$(BUILD)/obj/guests/rt/start-$(call guest_head,$(1)).aarch64.o \
		$(GUEST_RT_OBJS) $(BUILD)/obj/guests/$(call guest_src,$(1)).aarch64.o -lgcc
endef
$(foreach g,$(GUESTS),$(eval $(call guest_rule,$(g))))

$(BUILD)/guests/%: $(BUILD)/guests/%.elf guests/mkimage.sh
	guests/mkimage.sh $(GUEST_OBJCOPY) $(GUEST_NM) $< $@

.PHONY: guests
guests: $(GUEST_BINS)
