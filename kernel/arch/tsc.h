/*
 * Time from the TSC. tsc_calibrate() measures its frequency against the
 * PIT once at boot; until then times read as zero.
 */
#ifndef ARCH_TSC_H
#define ARCH_TSC_H

#include <stdint.h>

void tsc_set_boot(uint64_t entry_tsc);
uint64_t tsc_boot(void);
void tsc_calibrate(void);
uint64_t tsc_hz(void);
uint64_t tsc_micros_since_boot(void);
uint64_t tsc_nanos_since_boot(void);

/* Busy-waits on the PIT for `micros` (up to 50000); used for calibration. */
void pit_wait_micros(uint32_t micros);

#endif
