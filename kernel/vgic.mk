# The in-kernel GICv3 (kernel/vgic/): its sources join the backend.
KERNEL_SRCS	+= $(wildcard kernel/vgic/*.c)
