# The Linux boot guest: Debian 12's arm64 cloud kernel and an initramfs with
# static busybox and guests/linux/init (DESIGN §9).  The two .debs are the
# rig's (tests/rig/run-rig.sh --fetch-only fetches them once, as root, with
# apt-get download, into $(RIG_DIR)).
#
#   $(BUILD)/linux/Image            the kernel, an uncompressed arm64 Image
#   $(BUILD)/linux/initramfs.cpio   busybox, applet links, /init, and the
#                                   virtio modules (/lib/modules/*.ko)
#   make linux                      both
#
# Boot it: build/vmm run --no-sve -m 512 -k build/linux/Image
#          -i build/linux/initramfs.cpio -p "rdinit=/init"

LINUX_DIR	:= $(BUILD)/linux
LINUX_IMAGE	:= $(LINUX_DIR)/Image
LINUX_INITRAMFS	:= $(LINUX_DIR)/initramfs.cpio
# in the cpio; /init links the rest at boot (busybox --install -s)
LINUX_APPLETS	:= sh mount mkdir cat echo poweroff setsid cttyhack
# the kernel's virtio drivers (virtio_net needs net_failover, failover) are modules (=m in the cloud flavour): taken
# from the newest cached kernel .deb into the initramfs' /lib/modules, and
# loaded by /init in this (dependency) order; all uncompressed .ko in Debian 12
LINUX_MODULES	:= drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_mmio \
		   drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci_modern_dev \
		   drivers/virtio/virtio_pci \
		   drivers/block/virtio_blk drivers/char/hw_random/virtio-rng \
		   drivers/char/virtio_console net/core/failover drivers/net/net_failover \
		   drivers/net/virtio_net
# the crypto modules guests/linux/crypto-load loads (never /init): the
# Crypto Extensions and NEON drivers of arch/arm64/crypto, the generic
# algorithms and templates they are measured against, their libraries, and
# tcrypt (whose alg= instantiates an algorithm: tests/boot/linux.spec's
# linux-crypto-ce, bench/boot-ce.sh)
LINUX_CRYPTO_MODULES := crypto/gf128mul lib/crypto/libchacha lib/crypto/libpoly1305 \
		   crypto/nhpoly1305 crypto/polyval-generic crypto/sha3_generic \
		   crypto/sha512_generic crypto/ghash-generic crypto/ecb crypto/ctr crypto/xts \
		   crypto/ccm crypto/gcm crypto/cmac crypto/chacha_generic crypto/poly1305_generic \
		   crypto/tcrypt \
		   $(addprefix arch/arm64/crypto/,aes-ce-cipher aes-ce-blk aes-ce-ccm aes-neon-blk \
			aes-neon-bs sha1-ce sha256-arm64 sha2-ce sha512-arm64 sha512-ce sha3-ce \
			ghash-ce crct10dif-ce poly1305-neon chacha-neon nhpoly1305-neon polyval-ce)
LINUX_MODDIR	:= $(LINUX_DIR)/modules

# Only when missing: the script re-extracts from newer .debs on its own.
$(RIG_DIR)/Image $(RIG_DIR)/busybox &:
	RIG_DIR=$(RIG_DIR) tests/rig/run-rig.sh --fetch-only

$(LINUX_IMAGE): $(RIG_DIR)/Image
	@mkdir -p $(@D)
	cp $< $@.tmp && mv $@.tmp $@

# Userspace MTE in the guest (tests/boot/linux.spec linux-features): a
# static program, tag instructions allowed
LINUX_MTE_USER	:= $(LINUX_DIR)/mte-user
$(LINUX_MTE_USER): guests/linux/mte-user.c
	@mkdir -p $(@D)
	$(GUEST_CROSS)gcc -static -O2 -Wall -Wextra -march=armv8.5-a+memtag -o $@ $<

# perf's hardware events in the guest (tests/boot/linux.spec linux-features)
LINUX_PERF_COUNT	:= $(LINUX_DIR)/perf-count
$(LINUX_PERF_COUNT): guests/linux/perf-count.c
	@mkdir -p $(@D)
	$(GUEST_CROSS)gcc -static -O2 -Wall -Wextra -o $@ $<

# Hardware breakpoints, watchpoints and ptrace single-step in the guest, at
# EL1 and (--nested) at EL2 (tests/boot/linux.spec linux-debug)
LINUX_HWBP	:= $(LINUX_DIR)/hwbp
$(LINUX_HWBP): guests/linux/hwbp.c
	@mkdir -p $(@D)
	$(GUEST_CROSS)gcc -static -O2 -Wall -Wextra -o $@ $<

# $(RIG_DIR)/Image stands for the kernel .deb (run-rig.sh re-extracts it
# from a newer one); the modules are re-extracted every time the cpio is.
$(LINUX_INITRAMFS): guests/linux/init guests/linux/udhcpc.script guests/linux/crypto-load \
		guests/linux.mk $(RIG_DIR)/busybox $(LINUX_MTE_USER) $(LINUX_PERF_COUNT) $(LINUX_HWBP) \
		$(RIG_DIR)/Image $(RIG_MKCPIO)
	@mkdir -p $(@D)
	kdeb=$$(ls $(RIG_DIR)/debs/linux-image-*-cloud-arm64-unsigned_*_arm64.deb | sort -V | tail -n 1) && \
	test -n "$$kdeb" && rm -rf $(LINUX_MODDIR) && mkdir -p $(LINUX_MODDIR)/x && \
	dpkg-deb --fsys-tarfile "$$kdeb" | tar -x -C $(LINUX_MODDIR)/x --wildcards \
		$(foreach m,$(LINUX_MODULES) $(LINUX_CRYPTO_MODULES),'./lib/modules/*/kernel/$(m).ko') && \
	for m in $(LINUX_MODULES) $(LINUX_CRYPTO_MODULES); do \
		mv $(LINUX_MODDIR)/x/lib/modules/*/kernel/$$m.ko $(LINUX_MODDIR)/ || exit 1; \
	done && rm -rf $(LINUX_MODDIR)/x
	{ printf '%s\n' 'dir dev 755' 'nod dev/console 600 c 5 1' \
		'nod dev/null 666 c 1 3' 'dir proc 555' 'dir sys 555' \
		'dir tmp 1777' 'dir bin 755' 'slink sbin bin 777' \
		'file bin/busybox $(abspath $(RIG_DIR)/busybox) 755' \
		'file init $(abspath guests/linux/init) 755' \
		'file bin/crypto-load $(abspath guests/linux/crypto-load) 755' \
		'file bin/mte-user $(abspath $(LINUX_MTE_USER)) 755' \
		'file bin/perf-count $(abspath $(LINUX_PERF_COUNT)) 755' \
		'file bin/hwbp $(abspath $(LINUX_HWBP)) 755' \
		'dir lib 755' 'dir lib/modules 755' 'dir mnt 755' 'dir etc 755' \
		'dir etc/udhcpc 755' \
		'file etc/udhcpc/default.script $(abspath guests/linux/udhcpc.script) 755'; \
	  for m in $(notdir $(LINUX_MODULES) $(LINUX_CRYPTO_MODULES)); do \
		echo "file lib/modules/$$m.ko $(abspath $(LINUX_MODDIR))/$$m.ko 644"; done; \
	  for a in $(LINUX_APPLETS); do echo "slink bin/$$a busybox 777"; done; \
	} | $(RIG_MKCPIO) >$@.tmp
	mv $@.tmp $@

.PHONY: linux
#? linux: fetch Debian's arm64 kernel and busybox (apt-get download) and build build/linux/{Image,initramfs.cpio}
linux: $(LINUX_IMAGE) $(LINUX_INITRAMFS)

# The 9p guest (tests/boot/linux-9p.spec): the generic arm64 kernel of the
# cloud kernel's version, whose flavour lacks CONFIG_NET_9P, with the 9p
# modules; guests/linux-9p.sh fetches its .deb once (as root) into
# $(RIG_DIR)/debs and writes nothing without it (the test then skips).
LINUX_9P_DIR	:= $(LINUX_DIR)/9p
$(LINUX_9P_DIR)/.done: guests/linux-9p.sh guests/linux/init guests/linux.mk \
		$(RIG_DIR)/busybox $(RIG_DIR)/Image $(RIG_MKCPIO)
	@mkdir -p $(@D)
	guests/linux-9p.sh $(RIG_DIR) $(RIG_MKCPIO) $(LINUX_9P_DIR)
	touch $@

# The Debian userland disk (docs/vmm.md "Recipes", tests/boot/debian-ssh.sh):
# busybox-static, dropbear and base-files from Debian's arm64 .debs, fetched
# once (as root) into $(RIG_DIR)/debs; an ext4 image booted with
# root=/dev/vda.  Without root and without the .debs it writes nothing (the
# test then skips).  It uses the arm64 package lists that the rig's fetch
# makes (dpkg --add-architecture, apt-get update): after that fetch, never
# beside it (order-only), or apt-get download finds no arm64 package.
$(LINUX_DIR)/debian.img: guests/debian-disk.sh guests/linux/udhcpc.script guests/linux.mk \
		| $(RIG_DIR)/Image
	@mkdir -p $(@D)
	guests/debian-disk.sh $(RIG_DIR) $@

.PHONY: debian-disk
#? debian-disk: build build/linux/debian.img, a Debian arm64 userland (busybox, dropbear) on ext4
debian-disk: $(LINUX_DIR)/debian.img
