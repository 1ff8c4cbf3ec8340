// SPDX-License-Identifier: MIT
/* The serial console on COM1 through the GHCB (include/dev/serial.h). */
#include "dev/serial.h"
#include "lib/log.h"
#include "sev/ghcb_nae.h"
#include "sev/terminate.h"

#define COM1 0x3f8
/* 16550 registers (offsets from the base port). */
#define UART_DATA 0 /* DLAB=1: divisor low */
#define UART_IER 1  /* DLAB=1: divisor high */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4

#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define FCR_ENABLE_CLEAR 0x07 /* FIFO on, both FIFOs cleared */
#define MCR_DTR_RTS 0x03
#define DIVISOR_115200 1

/*
 * A console the hypervisor refuses to drive cannot report its own failure: terminate
 * without printing (printing would come back here).
 */
static void uart_out(unsigned int reg, u8 val)
{
	if (ghcb_io_out(COM1 + reg, 1, val))
		svsm_terminate(SVSM_TERM_SET_CSVSM, TERM_BAD_HV_RESPONSE);
}

void serial_write_line(const char *line, size_t len)
{
	/* A vCPU without a registered GHCB (an AP before, or after a failed, registration) has
	 * no way to the console: the line is dropped; a termination that follows still reaches
	 * the host through the MSR protocol. */
	if (!ghcb_usable())
		return;
	/* The UART is emulated by the host: no transmitter polling, one exit per line. */
	if (ghcb_io_outs(COM1 + UART_DATA, 1, line, len))
		svsm_terminate(SVSM_TERM_SET_CSVSM, TERM_BAD_HV_RESPONSE);
}

void serial_console_init(void)
{
	uart_out(UART_IER, 0); /* no interrupts: the SVSM runs with them off */
	uart_out(UART_LCR, LCR_DLAB);
	uart_out(UART_DATA, DIVISOR_115200);
	uart_out(UART_IER, 0);
	uart_out(UART_LCR, LCR_8N1);
	uart_out(UART_FCR, FCR_ENABLE_CLEAR);
	uart_out(UART_MCR, MCR_DTR_RTS);
	log_attach_console(serial_write_line);
	log_info("console: COM1 through the GHCB");
}
