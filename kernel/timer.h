/* The system tick: a periodic local APIC interrupt and a counter. */
#ifndef TIMER_H
#define TIMER_H

#include <stdint.h>

#define TIMER_HZ 100

void timer_init(void);
uint64_t timer_ticks(void);

#endif
