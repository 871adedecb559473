/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The four calls a /dev/kvm client makes, for tests/kvmclient's programs:
 * vkvm's with USE_VKVM (built here), the kernel's without (built for the
 * arm64 rig's Linux KVM).
 */
#ifndef KCLIENT_H
#define KCLIENT_H

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef USE_VKVM
#include <vkvm.h>
#define k_open(flags)			vkvm_open(flags)
#define k_ioctl				vkvm_ioctl
#define k_mmap				vkvm_mmap
#define k_close				vkvm_close
#else
#define k_open(flags)			open("/dev/kvm", flags)
#define k_ioctl				ioctl
#define k_mmap				mmap
#define k_close				close
#endif

#endif
