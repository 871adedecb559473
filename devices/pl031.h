/* SPDX-License-Identifier: GPL-2.0 */
/* The PL031 RTC register model, apart from its wiring. */
#ifndef VMM_PL031_H
#define VMM_PL031_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define RTC_DR		0x00	/* data: current time */
#define RTC_MR		0x04	/* match */
#define RTC_LR		0x08	/* load */
#define RTC_CR		0x0c	/* control: bit 0 start */
#define RTC_IMSC	0x10	/* interrupt mask set/clear */
#define RTC_RIS		0x14	/* raw interrupt status */
#define RTC_MIS		0x18	/* masked interrupt status */
#define RTC_ICR		0x1c	/* interrupt clear */

struct pl031 {
	pthread_mutex_t lock;
	uint32_t offset;	/* guest time - host time */
	uint32_t mr, lr, cr, imsc, ris;
	bool mr_armed;
};

void pl031_init(struct pl031 *rtc);
uint32_t pl031_read(struct pl031 *rtc, uint64_t off);
void pl031_write(struct pl031 *rtc, uint64_t off, uint32_t val);

#endif
