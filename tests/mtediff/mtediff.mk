# Differential test of FEAT_MTE2's instructions: vkvm (KVM_CAP_ARM_MTE)
# against qemu-aarch64 -cpu max
# with a PROT_MTE buffer (tests/mtediff/mtediff.c, on tests/lib/difftest.c).

$(eval $(call difftest,mtediff,mtediff,mte_runner,mte_entry.S,mtecase.h,mtediff))
