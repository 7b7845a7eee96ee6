/*
 * The C library's private interfaces: what its files need from each other
 * and the few hooks that tie it to the platform underneath.
 *
 * The hooks (malloc_arena_reserve, malloc_arena_commit,
 * malloc_arena_release, malloc_corrupt, libc_yield) are defined in sys.c for Parley. Host unit
 * tests compile malloc.c and friends without sys.c and define the hooks themselves (with mmap,
 * counters and sched_yield), which is what lets the allocator be tested on the build machine.
 */
#ifndef LIBC_LIBC_H
#define LIBC_LIBC_H

#include <stdbool.h>
#include <stddef.h>

/* --- platform hooks --- */

/*
 * Returns len bytes (a multiple of 4096) of fresh, zero-filled read-write
 * memory for the allocator, or NULL when there is none. Only touched pages
 * need to cost anything.
 */
void *malloc_arena_reserve(size_t len);

/*
 * Makes the pages of [start, start + len), inside a reservation, present
 * now; false when memory has run out. The allocator calls it before it
 * hands out memory never used before, so that a program out of memory
 * gets NULL from malloc instead of being ended at the first touch.
 */
bool malloc_arena_commit(void *start, size_t len);

/* Gives back a whole reservation malloc_arena_reserve made (a big block's). */
void malloc_arena_release(void *start, size_t len);

/* Reports a free() or realloc() of a pointer malloc never returned, or a freed one. */
void malloc_corrupt(const char *why, void *ptr);

/* Lets another thread run while this one waits for a lock. */
void libc_yield(void);

/* --- a lock for the library's shared state --- */

/*
 * A test-and-set lock. Waiters yield instead of spinning, since the holder
 * may be a thread that is not running at all.
 */
struct libc_lock {
    int held;
};

static inline void libc_lock_acquire(struct libc_lock *lock)
{
    while (__atomic_exchange_n(&lock->held, 1, __ATOMIC_ACQUIRE) != 0)
        libc_yield();
}

static inline void libc_lock_release(struct libc_lock *lock)
{
    __atomic_store_n(&lock->held, 0, __ATOMIC_RELEASE);
}

/* --- allocator statistics, for tests and diagnostics --- */

struct malloc_stats {
    size_t reserved;    /* bytes obtained from malloc_arena_reserve */
    size_t arenas;      /* number of malloc_arena_reserve calls that succeeded */
    size_t footprint;   /* bytes carved into blocks: in_use + free_bytes */
    size_t in_use;      /* bytes in allocated blocks, headers included */
    size_t free_bytes;  /* bytes in free blocks waiting for reuse */
    size_t allocations; /* allocated blocks, big ones included */
    size_t free_blocks; /* free blocks */
    size_t unbacked;    /* old tops past their present pages: in-use blocks never handed out */
    size_t big_blocks;  /* big blocks: a reservation each, in reserved and allocations only */
    size_t big_bytes;   /* their reservations' bytes */
};

void malloc_get_stats(struct malloc_stats *stats);

/*
 * Walks every block of every arena and checks the allocator's invariants
 * (sizes, boundary tags, no two free neighbours, free lists and their
 * bitmap). Returns false at the first violation.
 */
bool malloc_check(void);

#endif
