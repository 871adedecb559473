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
