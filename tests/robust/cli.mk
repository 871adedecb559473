# tests/robust/cli*: vmm's command line and file inputs as a hostile user
# gives them (issue 11).  cli_hostile runs the vmm of its own build tree
# (so the sanitized one under SANITIZE=1); cli_hang.so is an LD_PRELOAD shim
# whose open() of "*.hang" never returns, built without the sanitizers.

CLI_ROBUST	:= $(BUILD)/tests/robust/cli_hostile
CLI_HANG_SO	:= $(BUILD)/tests/robust/cli_hang.so

$(CLI_HANG_SO): tests/robust/cli_hang.c
	@mkdir -p $(@D)
	$(CC) -shared -fPIC -O2 -std=gnu11 -Wall -Wextra -D_GNU_SOURCE -o $@ $< -ldl

$(CLI_ROBUST): tests/robust/cli_hostile.c $(VMM_BIN) $(CLI_HANG_SO)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

TEST_PROGS	+= $(CLI_ROBUST)
