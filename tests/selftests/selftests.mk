# Linux's own KVM selftests (tools/testing/selftests/kvm) against vkvm,
# the way issue 16 and docs/testing.md describe: Debian's linux-source-6.12
# (bookworm) or sid's linux-source-7.x, built for aarch64, linked
# with vkvm through tests/selftests/shim.c, each test run under qemu-aarch64.
#
#   make selftests                  6.12 and 7.x: the table, per test
#   make selftests SELFTESTS=6.12   one set
#
# Not part of make check (its run takes long and fetches ~300 MB of source
# once); the differences it found are each covered by a test in make check.
# Everything lands under $(BUILD)/selftests/.
SELFTESTS	?= 6.12 7
ST_DIR		:= $(BUILD)/selftests
ST_VKVM_SO	:= $(ST_DIR)/libvkvm-a64.so
ST_SHIM_OBJ	:= $(ST_DIR)/shim-a64.o
# the calls the shim takes over; vkvm's own references go to the real ones
ST_WRAPPED	:= open open64 openat ioctl mmap mmap64 close \
		   read write pread pread64 pwrite pwrite64 \
		   ftruncate ftruncate64 fallocate fallocate64 madvise

# vkvm for aarch64 as a shared library: the tests link dynamically, as
# upstream builds them, so that the test binary a selftest loads into its
# guest (kvm_vm_elf_load of itself) holds the test, not vkvm's engine (a
# static link makes it too large for the guest memory the library sizes).
# --wrap acts on the test's references only; vkvm's own go to libc.
$(ST_VKVM_SO): $(KERNEL_SRCS) $(wildcard kernel/*.h kernel/*/*.h include/*.h include/uapi/*/*.h)
	@mkdir -p $(ST_DIR)/obj
	cd $(ST_DIR)/obj && rm -f *.o && for f in $(abspath $(KERNEL_SRCS)); do \
		echo "$$f"; done | xargs -P 2 -n 8 aarch64-linux-gnu-gcc -O2 -g -std=gnu11 \
		-D_GNU_SOURCE -I$(abspath include/uapi) -I$(abspath include) \
		-I$(abspath kernel) -fPIC -pthread -c
	aarch64-linux-gnu-gcc -shared -pthread -o $@ $(ST_DIR)/obj/*.o -lm

$(ST_SHIM_OBJ): tests/selftests/shim.c include/vkvm.h
	@mkdir -p $(@D)
	aarch64-linux-gnu-gcc -O2 -std=gnu11 -Wall -Wextra -D_GNU_SOURCE -Iinclude -c -o $@ $<

.PHONY: selftests
#? selftests: Linux's KVM selftests (6.12, 7.x) against vkvm under qemu-aarch64 (slow; fetches the source once)
selftests: $(ST_VKVM_SO) $(ST_SHIM_OBJ)
	@for v in $(SELFTESTS); do \
		ST_DIR=$(ST_DIR) ST_WRAPPED="$(ST_WRAPPED)" RIG_SID_DIR=$(BUILD)/sid \
		tests/selftests/run.sh $$v || exit 1; done
