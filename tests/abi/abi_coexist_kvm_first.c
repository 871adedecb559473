/* abi_coexist.c with our <linux/kvm.h> included before the host headers. */
#define ABI_KVM_FIRST
#include "abi_coexist.c"
