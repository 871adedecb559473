#!/bin/sh
# mkimage.sh OBJCOPY NM ELF OUT: the loadable binary of a guest.
#
# objcopy -O binary, then, when the image starts with an arm64 Image header
# ("ARM\x64" at offset 56), fill in image_size (offset 16, little endian) as
# __image_end - __image_start, BSS and stacks included.  The linker cannot
# put that difference into a static PIE without a relocation, so it is done
# here.
set -e
objcopy=$1 nm=$2 elf=$3 out=$4

"$objcopy" -O binary "$elf" "$out.tmp"
if [ "$(od -An -tx1 -j56 -N4 "$out.tmp" | tr -d ' \n')" = 41524d64 ]; then
	start=$("$nm" "$elf" | awk '$3 == "__image_start" { print $1 }')
	end=$("$nm" "$elf" | awk '$3 == "__image_end" { print $1 }')
	[ -n "$start" ] && [ -n "$end" ] || { echo "$0: $elf: no __image_start/__image_end" >&2; exit 1; }
	size=$(( 0x$end - 0x$start ))
	bytes=""
	i=0
	while [ $i -lt 8 ]; do
		bytes="$bytes\\$(printf '%03o' $(( (size >> (8 * i)) & 0xff )))"
		i=$((i + 1))
	done
	printf "$bytes" | dd of="$out.tmp" bs=1 seek=16 count=8 conv=notrunc status=none
fi
mv "$out.tmp" "$out"
