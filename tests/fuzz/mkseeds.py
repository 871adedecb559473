#!/usr/bin/env python3
# Write the seed corpora of tests/fuzz/ (committed; rerun after changing an
# input format): tests/fuzz/corpus/<target>/<name>.  The byte layouts are
# those read by fuzz_ioctl.c's op() and fuzz_loader.c's header.
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def u8(*v): return bytes(v)
def u16(v): return struct.pack('<H', v)
def u32(v): return struct.pack('<I', v & 0xffffffff)
def u64(v): return struct.pack('<Q', v & 0xffffffffffffffff)


# ---- fuzz_ioctl: opcodes in the order of its enum -------------------------
(OPEN, CREATE_VM, CREATE_VCPU, VCPU_INIT, MEMSLOT, SET_REG, GET_REG, REG_LIST,
 EVENTS, CREATE_DEV, DEV_ATTR, IRQ_LINE, IRQFD, IOEVENTFD, RUN, MP_STATE,
 GUEST_DEBUG, ENABLE_CAP, CHECK_EXT, FINALIZE, MMAP, CLOSE, RAW, MEM_ERROR,
 EVENTFD, PREFERRED, DEVICE_ADDR, DUP) = range(28)
GOOD = 2                # uptr(): a valid pointer
FIXED_PC, FIXED_PSTATE = 0x80, 0x81     # reg_id(): fixed_ids[0], [1]


def vm(): return u8(CREATE_VM, 0, 0)
def vcpu(i=0): return u8(CREATE_VCPU, 0, i)
def init(features=0, vcpu=0): return u8(VCPU_INIT, vcpu, 0, features, GOOD)
def memslot(): return u8(MEMSLOT, 0, 0, 0, 0, 0, 4, GOOD)


def set_reg(sel, val, vcpu=0):
    return u8(SET_REG, vcpu, sel) + u64(val) + u64(0) + u8(0, GOOD)


def get_reg(sel, vcpu=0):
    return u8(GET_REG, vcpu, sel) + bytes(16) + u8(0, GOOD)


def run(words, vcpu=0):
    return u8(RUN, vcpu, len(words)) + b''.join(u32(w) for w in words) + u8(0)


def dev_attr(group, attr, val, which=0):
    return u8(DEV_ATTR, group, which) + u64(val) + u64(attr) + u8(GOOD)


MMIO_STORE = [0xd2a14000, 0xf9000000]           # movz x0, #0xa00, lsl 16; str x0, [x0]
SYSTEM_OFF = [0x52800100, 0x72b08000, 0xd4000002]  # w0 = PSCI SYSTEM_OFF; hvc #0
WFI_LOOP = [0xd503207f, 0x17ffffff]             # wfi; b .-4

ioctl = {
    'run-mmio': vm() + vcpu() + init() + memslot() + set_reg(FIXED_PC, 0x80000000) +
    run(MMIO_STORE) + get_reg(FIXED_PC),
    'run-psci-off': vm() + vcpu() + init() + memslot() + set_reg(FIXED_PC, 0x80000000) +
    run(SYSTEM_OFF),
    'run-wfi': vm() + vcpu() + init() + memslot() + set_reg(FIXED_PC, 0x80000000) +
    run(WFI_LOOP),
    'gic': vm() + u8(CREATE_DEV, 0, 0, 0, GOOD) + vcpu() + init() +
    dev_attr(0, 2, 0x3fff0000) + dev_attr(0, 3, 0x3ffd0000) + dev_attr(4, 0, 0) +
    memslot() + set_reg(FIXED_PC, 0x80000000) + set_reg(FIXED_PSTATE, 0x3c5) +
    u8(IRQ_LINE) + u32(0x01000025) + u8(1, 0, 0, GOOD) +
    dev_attr(1, 0x100, 0, which=1) + dev_attr(5, 0x100, 0xffffffff) + run(WFI_LOOP),
    'sve-regs': vm() + vcpu() + init(features=0x10) + u8(FINALIZE, 1, 0, GOOD) +
    u8(REG_LIST, 0) + u16(600) + u8(GOOD) + get_reg(0) + get_reg(5) + get_reg(40) +
    set_reg(3, 0) + set_reg(0x88, 0x1234) + set_reg(0x89, 1) +
    u8(EVENTS, 0, 0) + bytes(64) + u8(GOOD) + u8(EVENTS, 1, 0) + bytes(4) + u8(1) +
    bytes(59) + u8(GOOD) +
    u8(MP_STATE, 1, 0, 1, GOOD) + u8(GUEST_DEBUG, 0) + u32(3) + u8(GOOD),
    'two-vcpus': vm() + vcpu(0) + vcpu(1) + init(0, 0) + init(1 << 0, 1) +
    memslot() + set_reg(FIXED_PC, 0x80000000, 1) + run(SYSTEM_OFF, 1) +
    u8(CLOSE, 1) + run(MMIO_STORE, 0),
    'eventfds': vm() + u8(EVENTFD, 0) + u8(EVENTFD, 0) +
    u8(IRQFD, 0, 0) + u16(37) + u8(0, 0, GOOD) +
    u8(IOEVENTFD, 0, 1, 1, 4, 0) + u64(0) + u8(GOOD) +
    u8(ENABLE_CAP, 0, 0, 0, GOOD) + u8(ENABLE_CAP, 2, 0, 0, GOOD) +
    u8(CHECK_EXT, 0) + u16(245) + u8(CHECK_EXT, 1) + u16(4) +
    u8(MEM_ERROR) + u16(3) + u8(1, 1, 0, 0, GOOD) +
    u8(MMAP, 0, 0, 3, 0) + u8(DUP, 2, 0) + u8(PREFERRED, 0, GOOD) +
    u8(DEVICE_ADDR) + u64(0x0000000100000000) + u64(0x3fff0000) + u8(0, GOOD) +
    u8(RAW, 0, 0, 0, 0) + bytes(4) + bytes(64) + u8(CLOSE, 0),
}

# ---- fuzz_loader -------------------------------------------------------------


def image_header(text_offset=0, image_size=0x2000000, flags=0xa, magic=0x644d5241):
    return (u32(0x91005a4d) + u32(0x14000000) + u64(text_offset) + u64(image_size) +
            u64(flags) + bytes(24) + u32(magic) + u32(0))


def loader_input(flags=0x02, cpus=1, ram_mib=512, extra=0, extra_shift=0, initrd=0,
                 initrd_shift=0, seed=0x1234, cmdline=b'console=ttyS0', file=b''):
    return (u8(flags) + u16(cpus - 1) + u32(ram_mib - 1) + u32(extra) + u8(extra_shift) +
            u32(initrd) + u8(initrd_shift) + u64(seed) + u16(len(cmdline)) + cmdline + file)


loader = {
    'image-initrd': loader_input(cpus=2, initrd=1, initrd_shift=20,
                                 file=image_header() + bytes(64)),
    'image-16k-offset': loader_input(ram_mib=64, file=image_header(0x80000, 0x1000000, 0x4)),
    'raw-binary': loader_input(flags=0x00, ram_mib=16, file=b'\x00\x00\xa0\xd2' * 64),
    'firmware': loader_input(flags=0x03, ram_mib=128, file=b'\x1f\x20\x03\xd5' * 16),
    'huge-image': loader_input(ram_mib=8, file=image_header(0, 1 << 40)),
    'devices': loader_input(flags=0x02 | 0x04 | (5 << 3), cpus=8,
                            cmdline=b'console=hvc0 root=/dev/vda rw ' * 4,
                            file=image_header()),
    'no-gic-big-ram': loader_input(flags=0x80, cpus=3, ram_mib=0x10000, extra=1,
                                   extra_shift=23, initrd=3, initrd_shift=15,
                                   cmdline=b'', file=image_header(0x80000, 0)),
    'gzip': loader_input(file=b'\x1f\x8b\x08\x00' + bytes(60)),
}

for target, seeds in (('ioctl', ioctl), ('loader', loader)):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)
