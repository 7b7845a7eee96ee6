/*
 * Host versions of the C library's platform hooks (see libc_arena.h).
 * Arenas are never unmapped: the allocator keeps using them until the
 * test process ends, just as on Parley; big blocks' reservations are
 * (malloc_arena_release).
 */
#define _DEFAULT_SOURCE
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>

#include "libc/libc.h"
#include "libc_arena.h"

struct arena_source arena_source = {.limit = SIZE_MAX, .commit_limit = SIZE_MAX};

/* What each live reservation has had committed, so a release gives back just that. */
struct reservation {
    char *start; /* NULL: a free slot */
    size_t len, committed;
};
static struct reservation reservations[256];

/* The reservation holding p, or with p NULL a free slot. */
static struct reservation *reservation_of(const void *p)
{
    for (size_t i = 0; i < sizeof(reservations) / sizeof(reservations[0]); i++) {
        struct reservation *r = &reservations[i];
        if (p == NULL ? r->start == NULL
                      : r->start != NULL && (const char *)p >= r->start &&
                            (const char *)p < r->start + r->len)
            return r;
    }
    return NULL;
}

/* MAP_NORESERVE gives Parley's behaviour: pages cost memory only once touched. */
void *malloc_arena_reserve(size_t len)
{
    arena_source.calls++;
    if (len > arena_source.limit - arena_source.reserved)
        return NULL;
    struct reservation *r = reservation_of(NULL);
    if (r == NULL)
        return NULL;
    void *p =
        mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    *r = (struct reservation){p, len, 0};
    arena_source.reserved += len;
    return p;
}

/* Counts, as Parley's SYS_VM_COMMIT would charge; the pages appear when touched anyway. */
bool malloc_arena_commit(void *start, size_t len)
{
    arena_source.commits++;
    if (len > arena_source.commit_limit - arena_source.committed)
        return false;
    arena_source.committed += len;
    struct reservation *r = reservation_of(start);
    if (r != NULL)
        r->committed += len;
    return true;
}

void malloc_arena_release(void *start, size_t len)
{
    arena_source.releases++;
    arena_source.reserved -= len;
    struct reservation *r = reservation_of(start);
    if (r != NULL) {
        arena_source.committed -= r->committed;
        r->start = NULL;
    }
    munmap(start, len);
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
