# /run on the disk image of the linux-disk boot spec (tests/boot/boot.mk
# puts it on a small ext4 image; guests/linux/init runs it with vmm.disk=1)
echo "disk-run: hello from vda"
cat /sys/block/vda/size
cat /sys/block/vda/ro
cat /sys/devices/virtual/misc/hw_random/rng_current
dd if=/dev/hwrng of=/dev/null bs=16 count=4
