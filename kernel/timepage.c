/*
 * The time page. Readers compute base_ns + (rdtsc - base_tsc) * 1e9 /
 * tsc_hz; refreshing the base on every tick keeps the product small. The
 * sequence counter is odd while an update is in progress: a reader that
 * sees an odd or changed value retries, so it never uses a torn update.
 */
#include "timepage.h"

#include <parley/syscall.h>

#include "arch/cpu.h"
#include "arch/tsc.h"
#include "common/string.h"
#include "mm/frame.h"
#include "mm/vm.h"
#include "panic.h"

static uint64_t page_phys;
static struct time_page *page;

void timepage_init(void)
{
    page_phys = frame_alloc();
    if (page_phys == 0)
        panic("timepage: out of memory");
    page = phys_to_virt(page_phys);
    memset(page, 0, PAGE_SIZE);
    page->tsc_hz = tsc_hz();
    timepage_update();
}

void timepage_update(void)
{
    page->sequence++;
    __asm__ volatile("" ::: "memory");
    uint64_t now = rdtsc();
    uint64_t ticks = now - tsc_boot();
    page->base_tsc = now;
    page->base_ns = ticks / tsc_hz() * 1000000000ull + ticks % tsc_hz() * 1000000000ull / tsc_hz();
    __asm__ volatile("" ::: "memory");
    page->sequence++;
}

uint64_t timepage_phys(void)
{
    return page_phys;
}
