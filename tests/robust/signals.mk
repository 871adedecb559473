# tests/robust/signals.sh: vmm's fatal-signal handler chains to the previous
# one (a sanitizer's report is never hidden).  A wrapper per build, so that
# the sanitizer build runs it with its own vmm.
ROBUST_SIG	:= $(BUILD)/tests/robust/signals
$(ROBUST_SIG): tests/robust/signals.mk tests/robust/signals.sh $(VMM_BIN)
	@mkdir -p $(@D)
	printf '%s\n' '#!/bin/sh' \
		'exec $(abspath tests/robust/signals.sh) $(abspath $(VMM_BIN)) $(if $(SANITIZE),1,0) $(abspath $(BUILD)/tests/robust/signals.d)' >$@.tmp
	chmod +x $@.tmp
	mv $@.tmp $@
TEST_PROGS	+= $(ROBUST_SIG)
