# Differential test of the FP and Advanced SIMD instructions: vkvm against
# qemu-aarch64 (tests/fpdiff/fpdiff.c), the approach of tests/diff with the
# SIMD&FP state compared too.

$(eval $(call difftest,fpdiff,fpdiff,fpd_runner,fpd_entry.S,fpcase.h,fpdiff fpgen))
