# Benchmarks (bench/README.md): `make bench`.  Not part of `make check`:
# they print figures and ratios against qemu-aarch64, no timed assertions.

BENCH_CROSS	?= aarch64-linux-gnu-
BENCH_DIR	:= $(BUILD)/bench
BENCH_GFLAGS	:= -O2 -mgeneral-regs-only -fno-tree-loop-distribute-patterns \
		   -fno-builtin -Wall -Wextra

# $(call bench_workload,GUEST,START,WORKLOAD,USER,FLAGS): a workload built
# twice, as cpu_bench compares them -- the bare-metal guest GUEST.bin
# (bench/START and bench/WORKLOAD.c) and the static Linux program USER
# (bench/workload_user.c around WORKLOAD.o), both with FLAGS.
define bench_workload
$(BENCH_DIR)/$(1).elf: bench/$(2) bench/$(3).c bench/workload.h bench/guest.ld
	@mkdir -p $$(dir $$@)
	$(BENCH_CROSS)gcc $(5) -ffreestanding -nostdlib -static \
		-Wl,--build-id=none -Wl,--no-warn-rwx-segments -T bench/guest.ld \
		-o $$@ bench/$(2) bench/$(3).c

$(BENCH_DIR)/$(1).bin: $(BENCH_DIR)/$(1).elf
	$(BENCH_CROSS)objcopy -O binary $$< $$@

$(BENCH_DIR)/$(3).o: bench/$(3).c bench/workload.h
	@mkdir -p $$(dir $$@)
	$(BENCH_CROSS)gcc $(5) -c -o $$@ $$<

$(BENCH_DIR)/$(4): bench/workload_user.c $(BENCH_DIR)/$(3).o
	$(BENCH_CROSS)gcc -O2 -static -Wall -Wextra -o $$@ $$^
endef

$(eval $(call bench_workload,workload_guest,guest_start.S,workload,workload_user,$(BENCH_GFLAGS)))

# the benchmarks' VM: bench/vmclient.c on tests/lib/vmc.c
BENCH_VM_OBJS	:= $(BUILD)/obj/bench/vmclient.o $(BUILD)/obj/tests/lib/vmc.o

$(BUILD)/obj/bench/%.o: CPPFLAGS += -Itests/lib

$(BENCH_DIR)/cpu_bench: $(BUILD)/obj/bench/cpu_bench.o $(BENCH_VM_OBJS) \
		$(BUILD)/libvkvm.a $(BENCH_DIR)/workload_guest.bin $(BENCH_DIR)/workload_user
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/obj/bench/cpu_bench.o $(BENCH_VM_OBJS) \
		$(BUILD)/libvkvm.a $(LDLIBS)

$(BENCH_DIR)/mmio_bench: $(BUILD)/obj/bench/mmio_bench.o $(BENCH_VM_OBJS) $(BUILD)/libvkvm.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BENCH_DIR)/bti_bench: $(BUILD)/obj/bench/bti_bench.o $(BUILD)/obj/tests/lib/vmc.o \
		$(BUILD)/libvkvm.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

.PHONY: bench bench-build
#? bench-build: build the benchmarks
bench-build: $(BENCH_DIR)/cpu_bench $(BENCH_DIR)/mmio_bench $(BENCH_DIR)/bti_bench \
	$(BUILD)/tests/diff/diff

#? bench: cpu_bench, mmio_bench, launch time, bench-simd, bench-fdtab (ratios against QEMU where there is a peer)
bench: bench-build all guests
	$(BENCH_DIR)/cpu_bench
	$(BENCH_DIR)/mmio_bench
	$(BENCH_DIR)/bti_bench
	VMM=$(VMM_BIN) GUEST=$(BUILD)/guests/hello bench/launch.sh

.PHONY: bench-boot
#? bench-boot: Linux to power-off: vmm against qemu-system-aarch64
bench-boot: all linux
	VMM=$(VMM_BIN) LINUX_DIR=$(LINUX_DIR) bench/boot.sh

.PHONY: bench-jit
#? bench-jit: issue 18's three ratios, interpreter and JIT, against QEMU 7.2 and the sid chroot's 11.1; callgrind
bench-jit: bench-build all linux
	VMM=$(VMM_BIN) BENCH_DIR=$(BENCH_DIR) LINUX_DIR=$(LINUX_DIR) bench/jit.sh

.PHONY: bench-boot-ce
#? bench-boot-ce: Linux boot with the crypto CE drivers and their self-tests, against the generic C code
bench-boot-ce: all linux
	VMM=$(VMM_BIN) LINUX_DIR=$(LINUX_DIR) bench/boot-ce.sh

.PHONY: bench-net
#? bench-net: guest -> host TCP throughput, --network mode=user against qemu -netdev user
bench-net: all linux $(NET_SERVER)
	VMM=$(VMM_BIN) LINUX_DIR=$(LINUX_DIR) NET_SERVER=$(NET_SERVER) bench/net.sh

.PHONY: bench-9p
#? bench-9p: read throughput in a Linux guest, virtio-9p (two msizes) against virtio-blk
bench-9p: all $(BUILD)/linux/9p/.done
	VMM=$(VMM_BIN) LINUX_9P_DIR=$(BUILD)/linux/9p bench/9p.sh

-include $(wildcard $(BUILD)/obj/bench/*.d)

# simd_bench: cpu_bench's method on an FP/Advanced SIMD workload
# (bench/simd_workload.c: sgemm, byte copy, NEON strlen, dot product).
BENCH_SFLAGS	:= -O3 -march=armv8-a -fno-tree-loop-distribute-patterns -fno-builtin \
		   -Wall -Wextra

$(eval $(call bench_workload,simd_guest,simd_start.S,simd_workload,simd_user,$(BENCH_SFLAGS)))

bench-build: $(BENCH_DIR)/simd_guest.bin $(BENCH_DIR)/simd_user
bench: bench-simd
.PHONY: bench-simd
#? bench-simd: an FP/Advanced SIMD workload: vkvm against qemu-aarch64
bench-simd: bench-build
	$(BENCH_DIR)/cpu_bench -U $(BENCH_DIR)/simd_user -G $(BENCH_DIR)/simd_guest.bin

# fdtab_bench: creating and closing many VMs (the descriptor table)
$(BENCH_DIR)/fdtab_bench: $(BUILD)/obj/bench/fdtab_bench.o $(BUILD)/libvkvm.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

bench-build: $(BENCH_DIR)/fdtab_bench
bench: bench-fdtab
.PHONY: bench-fdtab
#? bench-fdtab: creating and closing 20,000 VMs (the descriptor table)
bench-fdtab: $(BENCH_DIR)/fdtab_bench
	$(BENCH_DIR)/fdtab_bench
	$(BENCH_DIR)/fdtab_bench -c

# memslot_bench: 32,767 memslots, and slot changes under a running vCPU
$(BENCH_DIR)/memslot_bench: $(BUILD)/obj/bench/memslot_bench.o $(BUILD)/libvkvm.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

bench-build: $(BENCH_DIR)/memslot_bench
bench: bench-memslot
.PHONY: bench-memslot
#? bench-memslot: adding and deleting 32,767 memslots; moving one under a running vCPU
bench-memslot: $(BENCH_DIR)/memslot_bench
	$(BENCH_DIR)/memslot_bench

# kvm-unit-tests' micro-bench (IPI, EOI, exits) against QEMU TCG: needs
# kvm-unit-tests built by hand (bench/README.md), so not part of `bench`
KUT_DIR		?=
KUT_QEMU_DIR	?=
.PHONY: bench-ipi
#? bench-ipi: kvm-unit-tests' micro-bench, vmm against QEMU (KUT_DIR=, KUT_QEMU_DIR=)
bench-ipi: all
	@[ -n "$(KUT_DIR)" ] || { echo "bench-ipi: set KUT_DIR (and KUT_QEMU_DIR): bench/README.md"; exit 2; }
	VMM=$(VMM_BIN) bench/micro-bench.sh $(KUT_DIR) $(KUT_QEMU_DIR)

# vec: SVE, Advanced SIMD and crypto throughput (bench/vec_workload.c), one
# source built as a bare-metal guest on guests/rt/ (vmm run --sve-vl L) and
# as a static Linux program (qemu-aarch64), compared by bench/vec.sh at
# 128, 512 and 2048 bits.  guests/guests.mk is read after this file: its
# variables in recipes only, the object lists spelled out (tests/acle/acle.mk).
VEC_MARCH	:= -march=armv8.6-a+sve+crypto+sha3+sm4+fp16+i8mm+bf16
VEC_CFLAGS	= $(filter-out -O2 -mgeneral-regs-only -mstrict-align,$(GUEST_CFLAGS)) -O3 $(VEC_MARCH)
VEC_RT_OBJS	:= $(patsubst %.c,$(BUILD)/obj/%.aarch64.o,$(wildcard guests/rt/*.c)) \
		   $(BUILD)/obj/guests/rt/vectors.aarch64.o

$(BENCH_DIR)/vec_guest.o: bench/vec_workload.c $(wildcard guests/rt/*.h) guests/platform.h
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(VEC_CFLAGS) -c -o $@ $<

$(BENCH_DIR)/vec_guest.elf: $(BENCH_DIR)/vec_guest.o $(BUILD)/obj/guests/rt/start-image.aarch64.o \
		$(VEC_RT_OBJS) guests/rt/link.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ \
		$(BUILD)/obj/guests/rt/start-image.aarch64.o $(VEC_RT_OBJS) $< -lgcc

$(BENCH_DIR)/vec_guest: $(BENCH_DIR)/vec_guest.elf guests/mkimage.sh
	guests/mkimage.sh $(GUEST_OBJCOPY) $(GUEST_NM) $< $@

$(BENCH_DIR)/vec_user: bench/vec_workload.c
	@mkdir -p $(dir $@)
	$(GUEST_CC) -std=gnu11 -O3 $(VEC_MARCH) -Wall -Wextra -static -DVEC_LINUX -o $@ $<

bench-build: $(BENCH_DIR)/vec_guest $(BENCH_DIR)/vec_user
.PHONY: bench-vec
#? bench-vec: SVE, Advanced SIMD and crypto throughput at 128/512/2048 bits: vkvm against qemu-aarch64
bench-vec: all $(BENCH_DIR)/vec_guest $(BENCH_DIR)/vec_user
	VMM=$(VMM_BIN) GUEST=$(BENCH_DIR)/vec_guest USER_PROG=$(BENCH_DIR)/vec_user bench/vec.sh
