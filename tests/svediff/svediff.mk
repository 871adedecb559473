# Differential test of the SVE instructions: vkvm against qemu-aarch64 at
# 128, 256, 512 and 2048 bits (tests/svediff/svediff.c), the approach of
# tests/fpdiff with Z, P and FFR compared.

$(eval $(call difftest,svediff,svediff,svd_runner,svd_entry.S,svecase.h,svediff))
