/*
 * Local APIC.
 *
 * The APIC's registers are 32-bit words in a 4 KiB MMIO page whose
 * physical address is in the IA32_APIC_BASE MSR (0xFEE00000 on QEMU).
 * We map it uncached, enable the APIC through the spurious-interrupt
 * register, and run its timer in periodic mode. The timer counts down
 * at a bus-derived rate that no register reports, so we measure it
 * against the PIT (tsc.c) before programming the period.
 */
#include "arch/lapic.h"

#include "arch/cpu.h"
#include "arch/tsc.h"
#include "log.h"
#include "mm/vm.h"
#include "trap.h"

#define APIC_ID 0x020
#define APIC_EOI 0x0B0
#define APIC_SPURIOUS 0x0F0
#define APIC_LVT_TIMER 0x320
#define APIC_TIMER_INITIAL 0x380
#define APIC_TIMER_CURRENT 0x390
#define APIC_TIMER_DIVIDE 0x3E0

#define APIC_ENABLE (1u << 8)
#define APIC_LVT_MASKED (1u << 16)
#define APIC_TIMER_PERIODIC (1u << 17)
#define APIC_DIVIDE_16 0x3
#define CALIBRATE_MICROS 10000u

static volatile uint32_t *apic;

static uint32_t apic_read(uint32_t reg)
{
    return apic[reg / 4];
}

static void apic_write(uint32_t reg, uint32_t value)
{
    apic[reg / 4] = value;
}

void lapic_init(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE) & ~0xFFFull;
    apic = vm_map_mmio(base, PAGE_SIZE);
    apic_write(APIC_SPURIOUS, APIC_ENABLE | VECTOR_SPURIOUS);
    log_info("apic: local APIC id %u at 0x%lx", apic_read(APIC_ID) >> 24, base);
}

void lapic_timer_start(uint32_t hz, uint8_t vector)
{
    apic_write(APIC_TIMER_DIVIDE, APIC_DIVIDE_16);
    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
    apic_write(APIC_TIMER_INITIAL, 0xFFFFFFFFu);
    pit_wait_micros(CALIBRATE_MICROS);
    uint32_t elapsed = 0xFFFFFFFFu - apic_read(APIC_TIMER_CURRENT);
    uint64_t per_second = (uint64_t)elapsed * (1000000u / CALIBRATE_MICROS);

    uint32_t period = (uint32_t)(per_second / hz);
    if (period == 0)
        period = 1;
    apic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | vector);
    apic_write(APIC_TIMER_INITIAL, period);
    log_info("apic: timer %lu Hz input, %u Hz ticks on vector 0x%x", per_second, hz, vector);
}

void lapic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}
