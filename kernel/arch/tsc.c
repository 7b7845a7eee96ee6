/*
 * TSC calibration against the PIT.
 *
 * The PIT's input clock is fixed at 1.193182 MHz. Channel 2 can be gated
 * from port 0x61 and its output read back there (bit 5), which gives a
 * precise one-shot delay without interrupts: we count TSC ticks across
 * it. Under QEMU's TCG the TSC follows the host clock; under
 * -icount shift=0 it counts guest instructions instead.
 */
#include "arch/tsc.h"

#include "arch/cpu.h"

#define PIT_HZ 1193182u
#define PIT_CH2_DATA 0x42
#define PIT_COMMAND 0x43
#define PIT_GATE_PORT 0x61
#define CALIBRATE_MICROS 10000u

static uint64_t boot_tsc;
static uint64_t hz;

void tsc_set_boot(uint64_t entry_tsc)
{
    boot_tsc = entry_tsc;
}

uint64_t tsc_boot(void)
{
    return boot_tsc;
}

void pit_wait_micros(uint32_t micros)
{
    uint32_t count = (uint32_t)((uint64_t)PIT_HZ * micros / 1000000u);
    uint8_t gate = inb(PIT_GATE_PORT);
    outb(PIT_GATE_PORT, (uint8_t)((gate & ~0x02) | 0x01)); /* gate on, speaker off */
    outb(PIT_COMMAND, 0xB0);                               /* ch 2, lo/hi byte, mode 0 */
    outb(PIT_CH2_DATA, (uint8_t)count);
    outb(PIT_CH2_DATA, (uint8_t)(count >> 8));
    /* Writing the count restarts mode 0; OUT2 goes high when it reaches zero. */
    while (!(inb(PIT_GATE_PORT) & 0x20))
        cpu_pause();
    outb(PIT_GATE_PORT, gate);
}

void tsc_calibrate(void)
{
    uint64_t start = rdtsc();
    pit_wait_micros(CALIBRATE_MICROS);
    uint64_t ticks = rdtsc() - start;
    hz = ticks * (1000000u / CALIBRATE_MICROS);
}

uint64_t tsc_hz(void)
{
    return hz;
}

uint64_t tsc_nanos_since_boot(void)
{
    if (hz == 0)
        return 0;
    uint64_t ticks = rdtsc() - boot_tsc;
    /* Split to avoid overflowing 64 bits for long uptimes. */
    return ticks / hz * 1000000000ull + ticks % hz * 1000000000ull / hz;
}

uint64_t tsc_micros_since_boot(void)
{
    return tsc_nanos_since_boot() / 1000;
}
