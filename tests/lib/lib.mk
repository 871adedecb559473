# tests/lib: what the test harnesses and the benchmarks share.
#
#   vmc.c, vmc.h		a minimal libvkvm client: VM, vCPU, memslot,
#				ONE_REG, stage-1 MMU on (bench/, difftest.c)
#   difflayout.h		what both sides of a differential test agree on
#   difftest.c, difftest.h	the host side of the differential tests
#				(tests/diff, tests/fpdiff, tests/svediff):
#				the vkvm VM, the qemu batch, options, reports
#   diffrunner.c, diffrunner.h	their reference side: the main() of each
#   diffentry.h			static aarch64 runner, and the macros of its
#				entry .S
#
# The host objects, $(BUILD)/obj/tests/lib/*.o, come from the top
# Makefile's rule.  The top Makefile reads this file before every other
# fragment, so that they can call its functions.

# $(call difftest,DIR,PROG,RUNNER,ENTRY,CASE_H,OBJS): the rules of the
# differential test tests/DIR (tests/diff, tests/fpdiff, tests/svediff):
# $(BUILD)/tests/DIR/PROG, built from tests/DIR/OBJS (names without .o) on
# difftest.c and vmc.c, and its reference runner $(BUILD)/tests/DIR/RUNNER,
# a static aarch64 program (tests/DIR/RUNNER.c and ENTRY on diffrunner.c;
# CASE_H, the cases it runs).  The test runs plain only (TEST_PROGS_ONCE):
# it compares architectural results, which a sanitizer build cannot change,
# and the engine's own tests already run under ASan/UBSan.
DIFFTEST_CROSS	?= aarch64-linux-gnu-
DIFFTEST_LIB_OBJS := $(BUILD)/obj/tests/lib/difftest.o $(BUILD)/obj/tests/lib/vmc.o

define difftest
$(6:%=$(BUILD)/obj/tests/$(1)/%.o): CPPFLAGS += -Itests/lib

$(BUILD)/tests/$(1)/$(3): tests/$(1)/$(3).c tests/$(1)/$(4) tests/lib/diffrunner.c \
		tests/$(1)/$(5) $(wildcard tests/lib/*.h)
	@mkdir -p $$(dir $$@)
	$(DIFFTEST_CROSS)gcc -static -O2 -Wall -Wextra -Itests/lib -o $$@ $$(filter %.c %.S,$$^)

$(BUILD)/tests/$(1)/$(2): $(6:%=$(BUILD)/obj/tests/$(1)/%.o) $(DIFFTEST_LIB_OBJS) \
		$(BUILD)/libvkvm.a $(BUILD)/tests/$(1)/$(3)
	@mkdir -p $$(dir $$@)
	$(CC) $(LDFLAGS) -o $$@ $(6:%=$(BUILD)/obj/tests/$(1)/%.o) $(DIFFTEST_LIB_OBJS) \
		$(BUILD)/libvkvm.a $(LDLIBS)

TEST_PROGS_ONCE	+= $(BUILD)/tests/$(1)/$(2)

-include $(wildcard $(BUILD)/obj/tests/$(1)/*.d)
endef

-include $(wildcard $(BUILD)/obj/tests/lib/*.d)
