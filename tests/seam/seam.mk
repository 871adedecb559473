# tests/seam: the seam rule of DESIGN §3 (vmm/, devices/ and fdt/ reach vkvm
# through include/vkvm.h and include/uapi/ only; kernel/ includes nothing of
# the VMM), checked on the sources by seam.sh with the build's own compiler
# and include flags.  Plain build only: the sources are the same in both.
SEAM_TEST	:= $(BUILD)/tests/seam/seam

$(SEAM_TEST): tests/seam/seam.sh tests/seam/seam.mk
	@mkdir -p $(@D)
	printf '%s\n' '#!/bin/sh' \
		'exec $(abspath $<) $(abspath .) $(CC) $(CPPFLAGS)' >$@.tmp
	chmod +x $@.tmp
	mv $@.tmp $@
TEST_PROGS_ONCE	+= $(SEAM_TEST)
