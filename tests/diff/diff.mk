# Differential test of the integer instruction set: vkvm against
# qemu-aarch64 (tests/diff/diff.c, on tests/lib/difftest.c; the rules:
# difftest in tests/lib/lib.mk).

$(eval $(call difftest,diff,diff,qemu_runner,qemu_entry.S,diffcase.h,diff gen))
