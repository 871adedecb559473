/* SPDX-License-Identifier: GPL-2.0 */
/* Dropping privileges once everything privileged is open (caps.c). */
#ifndef VMM_CAPS_H
#define VMM_CAPS_H

int caps_drop(void);

#endif
