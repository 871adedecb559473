#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The EL2 guest (guests/el2.c) under vkvm and under QEMU 11 (the sid chroot's
# qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max, its
# reference), its SYN lines compared.  Not in make check: it needs build/sid (tests/rig).
#
#   guests/el2-qemu.sh [BUILD]
#
# Known differences, from the CPUs rather than from EL2, are normalised:
# QEMU's max CPU has FEAT_NMI, so an exception to EL1 sets PSTATE.ALLINT
# (SPSR bit 13) where vkvm's CPU has none; QEMU's PAR_EL1 sets NS (bit 9)
# for the Non-secure regime, an IMPLEMENTATION DEFINED choice vkvm does not
# make; vkvm's vCPU with EL2 reads ID_AA64PFR0_EL1.EL3 1, as Linux KVM's
# (limit_nv_id_reg()), where QEMU's virt has no EL3, so HCR_EL2.HCD is RES0
# on one side only: those SYN lines are left out, as is the AT S12E1R with
# SCTLR_EL1.C clear: QEMU does not model SCTLR.C, so reports MAIR's Normal
# Write-Back where the Arm ARM (AArch64.S1Translate) has Non-cacheable,
# vkvm's and Linux KVM's 0x44; and the E2H 1 form's two watchpoints on a
# VNCR-page access, which QEMU takes as EL1's (target/arm/debug_helper.c
# bp_wp_matches() matches at arm_current_el()) and reports without
# ISS.VNCR (target/arm/syndrome.h syn_watchpoint() has no VNCR argument),
# where the Arm ARM (AArch64.CheckDebug, AccessType_NV2) has an EL2
# access and ISS.VNCR: KNOWN-QEMU lines.  vmm runs with
# --disable-mte: QEMU's virt without mte=on has no MTE (PSTATE.TCO would
# differ).  Exit 0 when the lines agree.
. "$(dirname "$0")/sid-qemu.sh"

timeout 60 "$build/vmm" run --accel vkvm --nested \
	--testdev --pmu --disable-mte "$build/guests/el2" >"$out/vkvm" 2>&1 || true
sid_qemu 20 virt,virtualization=on,gic-version=3 "$build/guests/el2" "$out/qemu"
for f in vkvm qemu; do
	tr -d '\r' <"$out/$f" | grep '^SYN ' | grep -v -e '^SYN ID_AA64PFR0_EL1.EL3 ' -e '^SYN HCR_EL2.HCD' \
		-e '^SYN AT S12E1R SCTLR_EL1.C 0:' -e '^SYN NV2: watchpoint HMC ' |
		sed -e 's/spsr 0x23c5$/spsr 0x3c5/' -e 's/PA+0xff00000000000a00;/PA+0xff00000000000800;/' >"$out/$f.syn"
done
n=$(wc -l <"$out/qemu.syn")
echo "vkvm: $(grep -c '^PASS' "$out/vkvm") PASS, $(grep -c '^FAIL' "$out/vkvm" || true) FAIL;" \
	"QEMU: $(tr -d '\r' <"$out/qemu" | grep -c '^PASS') PASS; $n SYN lines"
[ "$n" -gt 0 ] && diff -u "$out/qemu.syn" "$out/vkvm.syn" && echo "el2-qemu: the same"
