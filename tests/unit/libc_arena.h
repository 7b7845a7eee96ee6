/*
 * The platform hooks of lib/libc/libc.h for host tests: arenas come from
 * mmap, allocator corruption reports are counted instead of aborting, and
 * a test can cap how much the allocator may reserve to make it run out.
 */
#ifndef TESTS_UNIT_LIBC_ARENA_H
#define TESTS_UNIT_LIBC_ARENA_H

#include <stddef.h>

struct arena_source {
    size_t calls;         /* malloc_arena_reserve calls, failed ones included */
    size_t reserved;      /* bytes handed out so far */
    size_t limit;         /* refuse a reservation that would pass this */
    size_t commits;       /* malloc_arena_commit calls, failed ones included */
    size_t committed;     /* bytes made present so far */
    size_t commit_limit;  /* refuse a commit that would pass this (memory running out) */
    size_t releases;      /* malloc_arena_release calls (big blocks given back) */
    size_t corrupt_calls; /* malloc_corrupt reports */
    void *corrupt_ptr;    /* the pointer of the last report */
};

extern struct arena_source arena_source;

#endif
