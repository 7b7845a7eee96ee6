/*
 * Built-in kernel tests (see ktest.h). Each test returns NULL on success
 * or a sentence saying what went wrong.
 */
#include "ktest.h"

#include <stddef.h>
#include <stdint.h>

#include <parley/errors.h>

#include "arch/cpu.h"
#include "arch/tsc.h"
#include "lib/cmdline.h"
#include "common/string.h"
#include "log.h"
#include "mm/aspace.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/vm.h"
#include "panic.h"
#include "timer.h"

#define DEBUG_EXIT_PORT 0xF4

static char test_name[64];

void ktest_configure(const char *cmdline)
{
    cmdline_get(cmdline, "test", test_name, sizeof(test_name));
}

bool ktest_mode(void)
{
    return test_name[0] != '\0';
}

static __attribute__((noreturn)) void qemu_exit(uint8_t code)
{
    outb(DEBUG_EXIT_PORT, code);
    /* Not running under QEMU with isa-debug-exit: stop here. */
    cpu_halt_forever();
}

void ktest_exit_on_panic(void)
{
    if (ktest_mode())
        qemu_exit(KTEST_EXIT_FAIL);
}

static const char *test_pagefault(void)
{
    volatile uint64_t *bad = (volatile uint64_t *)0xdeadbeef000ull;
    log_info("test: reading unmapped address %p", (void *)bad);
    (void)*bad;
    return "the read of an unmapped address did not fault";
}

static const char *test_frames(void)
{
    enum { COUNT = 512 };
    static uint64_t frames[COUNT];
    size_t free_before = frame_free_count();
    for (int i = 0; i < COUNT; i++) {
        frames[i] = frame_alloc();
        if (frames[i] == 0 || frames[i] % FRAME_SIZE != 0)
            return "frame_alloc returned no frame or an unaligned one";
        /* The frame must be real, writable memory through the direct map. */
        memset(phys_to_virt(frames[i]), 0xA5, FRAME_SIZE);
    }
    for (int i = 1; i < COUNT; i++)
        if (frames[i] == frames[i - 1])
            return "frame_alloc handed out the same frame twice";
    if (frame_free_count() != free_before - COUNT)
        return "free count did not drop by the frames allocated";
    for (int i = 0; i < COUNT; i++)
        if (frame_free(frames[i]) != 0)
            return "frame_free refused a frame it had handed out";
    if (frame_free(frames[0]) != -E_INVAL)
        return "a double free was not refused";

    uint64_t run = frame_alloc_contig(64, 1ull << 32);
    if (run == 0 || run + 64 * FRAME_SIZE > (1ull << 32))
        return "no contiguous 64-frame run below 4 GiB";
    memset(phys_to_virt(run), 0, 64 * FRAME_SIZE);
    if (frame_free_contig(run, 64) != 0)
        return "frame_free_contig refused its own run";
    if (frame_free_count() != free_before)
        return "free count did not return to where it started";
    return NULL;
}

static const char *test_heap(void)
{
    enum { COUNT = 2000 };
    static uint8_t *blocks[COUNT];
    struct heap_stats before, after;
    heap_get_stats(&before);
    for (int i = 0; i < COUNT; i++) {
        size_t size = (size_t)(i * 37 % 5000) + 1;
        blocks[i] = kmalloc(size);
        if (blocks[i] == NULL || (uint64_t)blocks[i] % 16 != 0)
            return "kmalloc failed or returned a misaligned block";
        memset(blocks[i], (uint8_t)i, size);
    }
    for (int i = 0; i < COUNT; i++) {
        size_t size = (size_t)(i * 37 % 5000) + 1;
        for (size_t j = 0; j < size; j++)
            if (blocks[i][j] != (uint8_t)i)
                return "heap blocks overlap";
    }
    for (int i = 0; i < COUNT; i++)
        kfree(blocks[i]);
    heap_get_stats(&after);
    if (after.bytes_in_use != before.bytes_in_use)
        return "heap bytes in use did not return to where they started";
    return NULL;
}

static const char *test_mm(void)
{
    size_t free_before = frame_free_count();
    const char *why = test_frames();
    if (why == NULL)
        why = test_heap();
    log_info("test: frames free before=%zu after=%zu", free_before, frame_free_count());
    return why;
}

/* Takes every free frame but `keep`, chained through their first words; returns the chain. */
static uint64_t hoard_frames(size_t keep)
{
    uint64_t chain = 0;
    while (frame_free_count() > keep) {
        uint64_t phys = frame_alloc();
        *(uint64_t *)phys_to_virt(phys) = chain;
        chain = phys;
    }
    return chain;
}

static void free_hoard(uint64_t chain)
{
    while (chain != 0) {
        uint64_t next = *(uint64_t *)phys_to_virt(chain);
        frame_free(chain);
        chain = next;
    }
}

/*
 * aspace_map_physical (behind SYS_DMA_ALLOC) failing halfway must leave
 * the frames it was given with the caller, none freed and none mapped.
 * The range is placed across a page-table boundary and only the three
 * frames its first page's tables need are left free, so the second page
 * finds no memory for its page table; undoing the first page then frees
 * those tables again, for they are empty.
 */
static const char *test_map_physical(void)
{
    struct aspace *warm = aspace_create(); /* so the heap has its slabs before we count */
    if (warm == NULL || aspace_reserve(warm, PAGE_SIZE, AREA_READ) < 0)
        return "cannot create an address space";
    aspace_destroy(warm);
    size_t free_before = frame_free_count();
    struct aspace *as = aspace_create();
    uint64_t run = frame_alloc_contig(4, UINT64_MAX);
    if (as == NULL || run == 0)
        return "no address space or frames to start with";
    /* The next reservation then starts one page below a 2 MiB boundary. */
    int64_t filler = aspace_reserve(as, (2ull << 20) - 2 * PAGE_SIZE, AREA_READ);
    if (filler != (int64_t)USER_RESERVE_BASE)
        return "the first reservation is not at USER_RESERVE_BASE";
    uint64_t chain = hoard_frames(3);
    int64_t at = aspace_map_physical(as, run, 4 * PAGE_SIZE, AREA_READ | AREA_WRITE);
    size_t pages = as->pages, tables = as->tables, left = frame_free_count();
    free_hoard(chain);
    if (at != -E_NOMEM)
        return "mapping without page-table memory did not fail with -E_NOMEM";
    if (frame_free_contig(run, 4) != 0)
        return "the failed mapping freed frames that were still the caller's";
    /* The first page took all three frames for its tables; undone, they are free again. */
    if (left != 3 || tables != 0)
        return "the failed mapping kept the page tables it made";
    if (pages != 0)
        return "the failed mapping left pages counted in the address space";
    aspace_destroy(as);
    log_info("test: frames free before=%zu after=%zu", free_before, frame_free_count());
    if (frame_free_count() != free_before)
        return "frames leaked";
    return NULL;
}

static const char *test_timer(void)
{
    uint64_t start = timer_ticks();
    uint64_t start_us = tsc_micros_since_boot();
    while (timer_ticks() < start + 10)
        cpu_wait_for_interrupt();
    uint64_t took = tsc_micros_since_boot() - start_us;
    log_info("test: 10 ticks took %lu us", took);
    /* 10 ticks at 100 Hz are 100 ms; TCG may be slow but never fast. */
    if (took < 80000 || took > 2000000)
        return "10 timer ticks did not take about 100 ms";
    return NULL;
}

/*
 * The kernel's protections of itself, each ending in a dump and a panic
 * (tests/qemu/test_kernel_protections.py):
 *   write_text  a write to the kernel's own code faults (W^X: text is
 *               read-only, and CR0.WP makes ring 0 obey that too)
 *   write_text_alias  so does a write to it through the direct map, while
 *               kernel data there stays writable
 *   exec_data   a jump into kernel data faults (no-execute)
 *   doublefault a fault with no usable stack (rsp unmapped) becomes a
 *               double fault that still runs and reports, on its IST stack;
 *               without it the CPU would reset the machine
 */
static const char *test_write_text(void)
{
    volatile uint8_t *text = (volatile uint8_t *)(uintptr_t)&ktest_run;
    log_info("test: writing kernel text at %p", (void *)text);
    *text = *text;
    return "a write to kernel text did not fault";
}

static const char *test_write_text_alias(void)
{
    static volatile uint64_t data_word = 1;
    volatile uint64_t *data_alias = phys_to_virt(virt_to_phys((const void *)&data_word));
    *data_alias = 0x5eed;
    if (data_word != 0x5eed)
        return "kernel data written through the direct map did not change";
    volatile uint8_t *text = phys_to_virt(virt_to_phys((const void *)(uintptr_t)&ktest_run));
    log_info("test: writing kernel text through the direct map at %p", (void *)text);
    *text = *text;
    return "a write to kernel text through the direct map did not fault";
}

static const char *test_exec_data(void)
{
    static uint8_t code[16] = {0xc3}; /* ret, in writable data */
    log_info("test: executing kernel data at %p", (void *)code);
    ((void (*)(void))(uintptr_t)code)();
    return "a jump into kernel data did not fault";
}

static const char *test_doublefault(void)
{
    log_info("test: a push with rsp unmapped, so the page fault has no stack either");
    __asm__ volatile("movq $0xdead0000000, %%rsp\n\tpushq $0" ::: "memory");
    return "a push to an unmapped stack did not fault";
}

static const char *test_panic(void)
{
    panic("deliberate panic requested by test=panic");
}

struct ktest {
    const char *name;
    const char *(*run)(void);
};

static const struct ktest tests[] = {
    {"pagefault", test_pagefault},
    {"mm", test_mm},
    {"map_physical", test_map_physical},
    {"timer", test_timer},
    {"panic", test_panic},
    {"write_text", test_write_text},
    {"write_text_alias", test_write_text_alias},
    {"exec_data", test_exec_data},
    {"doublefault", test_doublefault},
};

void ktest_run(void)
{
    if (!ktest_mode())
        return;
    log_info("test: %s start", test_name);
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        if (strcmp(tests[i].name, test_name) != 0)
            continue;
        const char *why = tests[i].run();
        if (why == NULL) {
            log_info("test: %s pass", test_name);
            qemu_exit(KTEST_EXIT_PASS);
        }
        log_error("test: %s fail: %s", test_name, why);
        qemu_exit(KTEST_EXIT_FAIL);
    }
    log_error("test: %s fail: no such test", test_name);
    qemu_exit(KTEST_EXIT_FAIL);
}
