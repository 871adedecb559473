# vmm, devices, fdt: libraries and tests.  (Included by the top Makefile.)

VMM_LIBS	+= -lfdt
ifneq ($(wildcard /usr/include/capstone/capstone.h),)
VMM_LIBS	+= -lcapstone
$(BUILD)/obj/vmm/diag.o: CPPFLAGS += -DHAVE_CAPSTONE
endif
ifneq ($(wildcard /usr/include/cap-ng.h),)
VMM_LIBS	+= -lcap-ng
$(BUILD)/obj/vmm/caps.o: CPPFLAGS += -DHAVE_CAPNG
endif

# ---- tests: Check, TAP ------------------------------------------------------
# Linked against every vmm/devices/fdt object but main.o (devices register
# themselves through constructors, so objects, not an archive).
VMM_TEST_SRCS	:= $(wildcard tests/vmm/*.c)
VMM_TEST_OBJS	:= $(VMM_TEST_SRCS:%.c=$(BUILD)/obj/%.o)
VMM_CORE_OBJS	:= $(patsubst %.c,$(BUILD)/obj/%.o,\
		     $(filter-out vmm/main.c,$(wildcard vmm/*.c devices/*.c fdt/*.c)))
$(VMM_TEST_OBJS): CFLAGS += $(CHECK_CFLAGS)

# the CLI tests run $(BUILD)/vmm: build it in the sanitizer tree too
$(BUILD)/tests/vmm_tests: $(VMM_TEST_OBJS) $(VMM_CORE_OBJS) $(BUILD)/libvkvm.a $(BUILD)/vmm
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(VMM_TEST_OBJS) $(VMM_CORE_OBJS) $(BUILD)/libvkvm.a \
		$(CHECK_LIBS) $(LDLIBS) $(VMM_LIBS) -lutil
TEST_PROGS	+= $(BUILD)/tests/vmm_tests

-include $(VMM_TEST_OBJS:.o=.d)
