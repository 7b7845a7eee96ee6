/*
 * The time page (struct time_page in parley/syscall.h): one frame the
 * kernel writes and every process maps read-only, so reading the clock
 * costs no system call.
 */
#ifndef TIMEPAGE_H
#define TIMEPAGE_H

#include <stdint.h>

void timepage_init(void);
void timepage_update(void);
uint64_t timepage_phys(void);

#endif
