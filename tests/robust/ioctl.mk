# The ioctl surface against a hostile caller (tests/robust/ioctl_*.c): Check
# programs on libvkvm, run plain and under ASan/UBSan.
#	ioctl_fd	descriptors: dup, dup2, fork, close(2), the fd limit
#	ioctl_uaccess	every pointer argument misaligned, NULL, unmapped, half mapped
#	ioctl_sweep	wrong fd kinds, fields out of range, memslot edges, races

IOCTL_TESTS	:= ioctl_fd ioctl_uaccess ioctl_sweep
IOCTL_OBJ	:= $(BUILD)/obj/tests/robust

$(IOCTL_TESTS:%=$(IOCTL_OBJ)/%.o): CFLAGS += $(CHECK_CFLAGS)

$(IOCTL_TESTS:%=$(BUILD)/tests/robust/%): $(BUILD)/tests/robust/%: $(IOCTL_OBJ)/%.o $(LIBVKVM_A)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS)

TEST_PROGS	+= $(IOCTL_TESTS:%=$(BUILD)/tests/robust/%)

-include $(IOCTL_TESTS:%=$(IOCTL_OBJ)/%.d)
