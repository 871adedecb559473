# /run.sh of the 9p share of tests/boot/linux-9p.spec: the guest runs it
# from /mnt after mounting the share (boot.mk's wrapper copies it there
# and checks the host side afterwards).
echo "9p-read: $(cat /mnt/hello)"
echo "9p-ls: $(ls /mnt | tr '\n' ' ')"
ls -l /mnt/sub
# writes the host checks
echo "written by the guest" >/mnt/from-guest && echo "9p-write: ok"
seq 1 20000 >/mnt/seq && echo "9p-seq: $(wc -c </mnt/seq)"
mkdir /mnt/d && echo x >/mnt/d/f && mv /mnt/d/f /mnt/d/g && ln -s g /mnt/d/l &&
	echo "9p-ops: $(cat /mnt/d/l) $(ls /mnt/d | tr '\n' ' ')" && rm -r /mnt/d
# confinement: ".." and every link are resolved by the guest in its own
# namespace (the initramfs has neither /secret nor /etc/hostname)
cat /mnt/../secret
cat /mnt/up/secret
cat /mnt/to-secret
cat /mnt/abs/hostname
echo "9p-confined: done"
