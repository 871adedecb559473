# The Linux boot guest: Debian 12's arm64 cloud kernel and an initramfs with
# static busybox and guests/linux/init (DESIGN §9).  The two .debs are the
# rig's (tests/rig/run-rig.sh --fetch-only fetches them once, as root, with
# apt-get download, into $(RIG_DIR)).
#
#   $(BUILD)/linux/Image            the kernel, an uncompressed arm64 Image
#   $(BUILD)/linux/initramfs.cpio   busybox, applet links, /init
#   make linux                      both
#
# Boot it: build/vmm run --no-sve -m 512 -k build/linux/Image
#          -i build/linux/initramfs.cpio -p "rdinit=/init"

LINUX_DIR	:= $(BUILD)/linux
LINUX_IMAGE	:= $(LINUX_DIR)/Image
LINUX_INITRAMFS	:= $(LINUX_DIR)/initramfs.cpio
# in the cpio; /init links the rest at boot (busybox --install -s)
LINUX_APPLETS	:= sh mount mkdir cat echo poweroff setsid cttyhack

# Only when missing: the script re-extracts from newer .debs on its own.
$(RIG_DIR)/Image $(RIG_DIR)/busybox &:
	RIG_DIR=$(RIG_DIR) tests/rig/run-rig.sh --fetch-only

$(LINUX_IMAGE): $(RIG_DIR)/Image
	@mkdir -p $(@D)
	cp $< $@.tmp && mv $@.tmp $@

$(LINUX_INITRAMFS): guests/linux/init guests/linux.mk $(RIG_DIR)/busybox $(RIG_MKCPIO)
	@mkdir -p $(@D)
	{ printf '%s\n' 'dir dev 755' 'nod dev/console 600 c 5 1' \
		'nod dev/null 666 c 1 3' 'dir proc 555' 'dir sys 555' \
		'dir tmp 1777' 'dir bin 755' 'slink sbin bin 777' \
		'file bin/busybox $(abspath $(RIG_DIR)/busybox) 755' \
		'file init $(abspath guests/linux/init) 755'; \
	  for a in $(LINUX_APPLETS); do echo "slink bin/$$a busybox 777"; done; \
	} | $(RIG_MKCPIO) >$@.tmp
	mv $@.tmp $@

.PHONY: linux
linux: $(LINUX_IMAGE) $(LINUX_INITRAMFS)
