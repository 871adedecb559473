#!/bin/sh
# The monitor with the guest's MMU on: x, disas and step read guest
# virtual addresses through the selected vCPU's translation (and physical
# ones after p:).  The mmu-alias guest runs at VA 0x4000_xxxx, which is
# PA 0x8000_xxxx; commands go in through a FIFO once the monitor is open.
#   monitor-mmu.sh VMM SANITIZED(0|1) GUESTDIR TMPDIR
set -u
VMM=$1
G=$3
T=$4
rm -rf "$T"
mkdir -p "$T"
. "$(dirname "$0")/tap.sh"

mkfifo "$T/in"
"$VMM" run -m 64 -k "$G/mmu-alias.bin" --unhandled-mmio stop --timeout 10 \
	<"$T/in" >"$T/out" 2>"$T/err" &
pid=$!
exec 3>"$T/in"
i=0
while ! grep -q '(vmm) ' "$T/out" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -q '(vmm) ' "$T/out"
ok $? "the unhandled access at a virtual PC opens the monitor"
# the guest's first word (adr x0, l1), loaded at PA 0x8008_0000: VA 0x4008_0000
printf 'x/w 0x40080000 4\nx/w p:0x80080000 4\ndisas 0x40080000 1\ndisas p:0x83f00000 1\nregs\nstep\nx 0xc0000000 4\nx 0xffff000000000000 4\ncont\n' >&3
exec 3>&-
wait $pid
rc=$?
word=$(od -An -tx4 -N4 "$G/mmu-alias.bin" | tr -d ' ')
[ "$(grep -c "0000000040080000: $word" "$T/out")" -eq 1 ]
ok $? "x/w at the alias VA reads the PA's word ($word)"
grep -q "0000000080080000: $word" "$T/out"
ok $? "x/w p:PA reads the same word"
grep -q "0000000040080000:  $word  adr" "$T/out"
ok $? "disas at the VA disassembles it"
grep -q "0000000040080000:  $word  adr.*; vkvm [A-Za-z]" "$T/out"
ok $? "disas names the row of vkvm's table that decodes the word"
grep -q "0000000083f00000:  00000000  .*; vkvm undefined$" "$T/out"
ok $? "disas says when vkvm has no row for a word (zeroed RAM, UDF #0)"
grep -q "vCPU 0 PC 0x4008[0-9a-f]*  14000000  b" "$T/out"
ok $? "step executes the load and shows the next instruction at the virtual PC"
grep -q "0xc0000000: not mapped by vCPU 0: level 1 descriptor 0 is invalid" "$T/out"
ok $? "an unmapped VA names the level whose descriptor is invalid"
grep -q "0xffff000000000000: not mapped by vCPU 0: TTBR1 walks are disabled" "$T/out"
ok $? "a TTBR1 address with EPD1 set says so"
grep -q "PC     0x000000004008[0-9a-f]*  b9400064  ldr w4, \[x3\]" "$T/err"
ok $? "the unhandled-access diagnostic disassembles at the virtual PC"
sed -n '/resumed$/,$p' "$T/out" | grep -q '^guest> '
ok $? "cont shows the guest's unfinished line (its prompt) again"
[ "$rc" -eq 124 ]
ok $? "the guest spins on after cont until --timeout (status $rc)"
tap_done
