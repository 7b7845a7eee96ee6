/*
 * Host versions of the C library's platform hooks (see libc_arena.h).
 * The reserved address space is never unmapped: the allocator keeps using
 * it until the test process ends, just as on Parley.
 */
#define _DEFAULT_SOURCE
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>

#include "libc/libc.h"
#include "libc_arena.h"

struct arena_source arena_source = {.limit = SIZE_MAX, .commit_limit = SIZE_MAX};

/* MAP_NORESERVE gives Parley's behaviour: pages cost memory only once touched. */
void *malloc_arena_reserve(size_t len)
{
    arena_source.calls++;
    if (len > arena_source.limit - arena_source.reserved)
        return NULL;
    void *p =
        mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    arena_source.reserved += len;
    return p;
}

/* Counts, as Parley's SYS_VM_COMMIT would charge; the pages appear when touched anyway. */
bool malloc_arena_commit(void *start, size_t len)
{
    (void)start;
    arena_source.commits++;
    if (len > arena_source.commit_limit - arena_source.committed)
        return false;
    arena_source.committed += len;
    return true;
}

void malloc_corrupt(const char *why, void *ptr)
{
    (void)why;
    arena_source.corrupt_calls++;
    arena_source.corrupt_ptr = ptr;
}

void libc_yield(void)
{
    sched_yield();
}
