// SPDX-License-Identifier: GPL-2.0
/*
 * PL031 real-time clock ("arm,pl031", "arm,primecell"): RTCDR counts host
 * seconds since the epoch plus whatever offset the guest loaded; the match
 * interrupt is raised when the guest reads past the match value.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <libfdt.h>

#include "../fdt/fdt.h"
#include "../vmm/vmm.h"
#include "device.h"
#include "pl031.h"

static uint32_t host_seconds(void)
{
	return (uint32_t)time(NULL);
}

void pl031_init(struct pl031 *rtc)
{
	*rtc = (struct pl031){ .cr = 1 };
	pthread_mutex_init(&rtc->lock, NULL);
}

static uint32_t now(struct pl031 *rtc)
{
	return host_seconds() + rtc->offset;
}

static void update_match(struct pl031 *rtc)
{
	if (rtc->mr_armed && now(rtc) >= rtc->mr) {
		rtc->ris = 1;
		rtc->mr_armed = false;
	}
}

/* PrimeCell identification: part 0x031, designer ARM (0x41), revision 1 */
static const uint8_t pl031_id[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

uint32_t pl031_read(struct pl031 *rtc, uint64_t off)
{
	uint32_t v = 0;

	pthread_mutex_lock(&rtc->lock);
	update_match(rtc);
	switch (off) {
	case RTC_DR:	v = now(rtc); break;
	case RTC_MR:	v = rtc->mr; break;
	case RTC_LR:	v = rtc->lr; break;
	case RTC_CR:	v = rtc->cr; break;
	case RTC_IMSC:	v = rtc->imsc; break;
	case RTC_RIS:	v = rtc->ris; break;
	case RTC_MIS:	v = rtc->ris & rtc->imsc; break;
	default:
		if (off >= 0xfe0 && off < 0x1000 && !(off & 3))
			v = pl031_id[(off - 0xfe0) / 4];
		break;
	}
	pthread_mutex_unlock(&rtc->lock);
	return v;
}

void pl031_write(struct pl031 *rtc, uint64_t off, uint32_t val)
{
	pthread_mutex_lock(&rtc->lock);
	switch (off) {
	case RTC_MR:
		rtc->mr = val;
		rtc->mr_armed = true;
		break;
	case RTC_LR:
		rtc->lr = val;
		rtc->offset = val - host_seconds();
		break;
	case RTC_CR:
		rtc->cr = 1;		/* cannot be stopped once started (PL031 TRM) */
		break;
	case RTC_IMSC:
		rtc->imsc = val & 1;
		break;
	case RTC_ICR:
		rtc->ris &= ~(val & 1);
		break;
	}
	update_match(rtc);
	pthread_mutex_unlock(&rtc->lock);
}

static int rtc_init(struct device *dev)
{
	struct pl031 *rtc = malloc(sizeof(*rtc));

	if (!rtc)
		return -ENOMEM;
	pl031_init(rtc);
	dev->priv = rtc;
	return 0;
}

static void rtc_exit(struct device *dev)
{
	free(dev->priv);
	dev->priv = NULL;
}

static void rtc_irq(struct device *dev)
{
	struct pl031 *rtc = dev->priv;

	vm_irq_line(dev->vm, dev->region->intid, !!(rtc->ris & rtc->imsc));
}

static uint64_t rtc_read(struct device *dev, unsigned int vcpu, uint64_t off,
			 unsigned int len)
{
	uint32_t v = pl031_read(dev->priv, off);

	rtc_irq(dev);
	return v;
}

static void rtc_write(struct device *dev, unsigned int vcpu, uint64_t off,
		      unsigned int len, uint64_t val)
{
	pl031_write(dev->priv, off, (uint32_t)val);
	rtc_irq(dev);
}

static int rtc_fdt_props(struct device *dev, void *fdt)
{
	static const char compat[] = "arm,pl031\0arm,primecell";
	int ret;

	ret = fdt_property(fdt, "compatible", compat, sizeof(compat));
	if (!ret)
		ret = fdt_property_u32(fdt, "clocks", FDT_PHANDLE_APB_PCLK);
	if (!ret)
		ret = fdt_property_string(fdt, "clock-names", "apb_pclk");
	return ret;
}

static const struct device_ops pl031_ops = {
	.name = "pl031",
	.init = rtc_init,
	.exit = rtc_exit,
	.read = rtc_read,
	.write = rtc_write,
	.fdt_props = rtc_fdt_props,
};
DEVICE_REGISTER(pl031_ops)
