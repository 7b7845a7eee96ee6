/*
 * The tick. Each local APIC timer interrupt bumps a counter, refreshes
 * the time page and lets the scheduler wake sleepers and preempt. Precise time
 * comes from the TSC (tsc.c), not from counting ticks.
 */
#include "timer.h"

#include "arch/lapic.h"
#include "arch/cpu.h"
#include "random.h"
#include "sched/sched.h"
#include "timepage.h"
#include "trap.h"

static volatile uint64_t ticks;

static void timer_interrupt(struct trap_frame *frame)
{
    (void)frame;
    ticks++;
    lapic_eoi();
    timepage_update();
    random_stir(rdtsc());
    sched_tick();
}

void timer_init(void)
{
    trap_set_handler(VECTOR_TIMER, timer_interrupt);
    lapic_timer_start(TIMER_HZ, VECTOR_TIMER);
}

uint64_t timer_ticks(void)
{
    return ticks;
}
