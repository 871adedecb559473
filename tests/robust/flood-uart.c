// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile guest: FLOOD_LINES numbered 32-byte lines through the 8250 UART as
 * fast as it can (polling LSR.THRE before each byte, no '\r' added), then
 * exit status 0.  Line i reads "uart NNNNNNNNNN ...............\n" with i in
 * NNNNNNNNNN, so that a reader can tell a lost or repeated byte.
 */
#include "rt.h"

#ifndef FLOOD_LINES
#define FLOOD_LINES	32768UL
#endif

static void put(char c)
{
	while (!(readb(UART_BASE + UART_LSR) & UART_LSR_THRE))
		;
	writeb((u8)c, UART_BASE + UART_THR);
}

int main(void)
{
	char line[40];
	unsigned long i;
	int j, n;

	for (i = 0; i < FLOOD_LINES; i++) {
		n = snprintf(line, sizeof(line), "uart %010lu ................\n", i);
		for (j = 0; j < n; j++)
			put(line[j]);
	}
	printf("flood-uart: %lu lines\n", (unsigned long)FLOOD_LINES);
	return 0;
}
