/*
 * Checks the slab heap against a fake page source built on aligned_alloc
 * that counts the pages the heap holds, can be told to run out, and can
 * hold freed pages back (so a second kfree of a large block reads the
 * cleared header rather than freed memory).
 *
 * The main check is a long random run of kmalloc/kfree with every block
 * filled with its own byte pattern: any overlap between live blocks, or
 * heap metadata written into a live block, breaks a pattern. Around it are
 * checks for size classes, alignment, statistics, large blocks, pages
 * going back to the source, out-of-memory, and kfree's corruption reports.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mm/heap.h"

#define PAGE 4096
#define MAX_BLOCKS 4096

/* --- fake page source --- */

static struct {
    void *live[MAX_BLOCKS]; /* blocks handed to the heap, or held back */
    size_t live_pages[MAX_BLOCKS];
    size_t nlive;
    size_t outstanding; /* pages the heap currently holds */
    size_t alloc_calls;
    size_t limit; /* refuse to let outstanding exceed this */
    bool hold_back;
    bool bad_free;
} source = {.limit = SIZE_MAX};

static void *source_alloc(size_t count)
{
    if (count == 0 || source.outstanding + count > source.limit || source.nlive == MAX_BLOCKS)
        return NULL;
    void *p = aligned_alloc(PAGE, count * PAGE);
    if (p == NULL)
        return NULL;
    source.live[source.nlive] = p;
    source.live_pages[source.nlive++] = count;
    source.outstanding += count;
    source.alloc_calls++;
    return p;
}

static void source_free(void *pages, size_t count)
{
    for (size_t i = 0; i < source.nlive; i++) {
        if (source.live[i] == pages && source.live_pages[i] == count) {
            source.outstanding -= count;
            if (!source.hold_back) {
                free(pages);
                source.live[i] = source.live[--source.nlive];
                source.live_pages[i] = source.live_pages[source.nlive];
            } else {
                source.live_pages[i] = 0; /* held: freed at teardown */
            }
            return;
        }
    }
    source.bad_free = true; /* not a block we handed out, or wrong count */
}

/* Starts a test with a fresh heap; memory of the last one is released. */
static void heap_reset(void)
{
    for (size_t i = 0; i < source.nlive; i++)
        free(source.live[i]);
    source.nlive = 0;
    source.outstanding = 0;
    source.alloc_calls = 0;
    source.limit = SIZE_MAX;
    source.hold_back = false;
    heap_init(source_alloc, source_free);
}

/* --- heap_corrupt hook --- */

static size_t corrupt_calls;
static void *corrupt_ptr;

void heap_corrupt(const char *why, void *ptr)
{
    (void)why;
    corrupt_calls++;
    corrupt_ptr = ptr;
}

static struct heap_stats stats(void)
{
    struct heap_stats s;
    heap_get_stats(&s);
    return s;
}

/* What the heap should charge for size bytes: its class, or size if large. */
static size_t charged(size_t size)
{
    if (size > 2048)
        return size;
    size_t c = 16;
    while (c < size)
        c *= 2;
    return c;
}

static void check_basics(void)
{
    heap_init(NULL, NULL);
    CHECK(kmalloc(16) == NULL); /* no page source yet */

    heap_reset();
    CHECK(kmalloc(0) == NULL);
    CHECK(kzalloc(0) == NULL);
    kfree(NULL);
    CHECK(corrupt_calls == 0);
    CHECK(stats().allocations == 0 && stats().pages == 0 && stats().bytes_in_use == 0);

    /* Every size up to two pages: aligned, writable, charged correctly. */
    for (size_t size = 1; size <= 2 * PAGE; size += size < 80 ? 1 : 37) {
        struct heap_stats before = stats();
        unsigned char *p = kmalloc(size);
        if (!CHECKF(p != NULL, "size %zu", size))
            continue;
        CHECKF((uintptr_t)p % 16 == 0, "size %zu unaligned at %p", size, (void *)p);
        memset(p, 0xa5, size);
        CHECKF(stats().bytes_in_use - before.bytes_in_use == charged(size), "size %zu", size);
        CHECK(stats().allocations == before.allocations + 1);
        kfree(p);
        CHECK(stats().bytes_in_use == before.bytes_in_use);
    }
    CHECK(corrupt_calls == 0);
    CHECK(stats().pages == source.outstanding && !source.bad_free);
}

static void check_large(void)
{
    heap_reset();

    /* The header takes 64 bytes of the first page. */
    char *one = kmalloc(PAGE - 64);
    CHECK(one != NULL && (uintptr_t)one % PAGE == 64);
    CHECK(source.outstanding == 1);
    memset(one, 1, PAGE - 64);

    char *two = kmalloc(PAGE - 63);
    CHECK(two != NULL && (uintptr_t)two % PAGE == 64);
    CHECK(source.outstanding == 3);
    memset(two, 2, PAGE - 63);

    char *big = kmalloc(100000);
    CHECK(big != NULL && source.outstanding == 3 + 25);
    memset(big, 3, 100000);
    CHECK(stats().bytes_in_use == (PAGE - 64) + (PAGE - 63) + 100000);

    kfree(two);
    CHECK(source.outstanding == 26 && stats().pages == 26);
    kfree(big);
    kfree(one);
    CHECK(source.outstanding == 0 && stats().pages == 0);
    CHECK(stats().allocations == 0 && stats().bytes_in_use == 0);
    CHECK(kmalloc(SIZE_MAX) == NULL && kmalloc(SIZE_MAX - 64) == NULL);
    CHECK(corrupt_calls == 0 && !source.bad_free);
}

static void check_page_return(void)
{
    static void *ptrs[3000];

    heap_reset();
    for (size_t i = 0; i < 3000; i++) {
        ptrs[i] = kmalloc(32);
        CHECK(ptrs[i] != NULL);
    }
    CHECK(source.outstanding >= 3000 / 127 && stats().pages == source.outstanding);
    for (size_t i = 0; i < 3000; i++)
        kfree(ptrs[i]);
    /* All slabs but one cached empty slab go back to the source. */
    CHECK(source.outstanding == 1 && stats().pages == 1);

    /* The cached slab is reused: no new page for the next allocation. */
    size_t calls = source.alloc_calls;
    void *p = kmalloc(20);
    CHECK(source.alloc_calls == calls && source.outstanding == 1);
    kfree(p);

    /* 2048-byte objects are one per slab; ten of them, then one page left. */
    for (size_t i = 0; i < 10; i++)
        ptrs[i] = kmalloc(2048);
    CHECK(source.outstanding == 1 + 10);
    for (size_t i = 0; i < 10; i++)
        kfree(ptrs[i]);
    CHECK(source.outstanding == 2);

    /* A full slab that gets an object back is used again before a new page. */
    for (size_t i = 0; i < 30; i++)
        ptrs[i] = kmalloc(256); /* 15 per slab: two full slabs */
    CHECK(source.outstanding == 4);
    kfree(ptrs[3]);
    calls = source.alloc_calls;
    CHECK(kmalloc(256) == ptrs[3] && source.alloc_calls == calls);
    for (size_t i = 0; i < 30; i++)
        kfree(ptrs[i]);
    CHECK(source.outstanding == 3);
    CHECK(corrupt_calls == 0 && !source.bad_free);
}

static void check_kzalloc(void)
{
    heap_reset();
    unsigned char *p = kmalloc(200);
    memset(p, 0xee, 200);
    kfree(p);
    unsigned char *z = kzalloc(200);
    CHECK(z == p); /* same slot, so the zeroing is really tested */
    bool zero = true;
    for (size_t i = 0; i < 200; i++)
        zero = zero && z[i] == 0;
    CHECK(zero);
    kfree(z);

    unsigned char *big = kzalloc(9000);
    zero = big != NULL;
    for (size_t i = 0; big != NULL && i < 9000; i++)
        zero = zero && big[i] == 0;
    CHECK(zero);
    kfree(big);
}

static void check_out_of_memory(void)
{
    heap_reset();
    void *keep = kmalloc(64);
    source.limit = source.outstanding;
    struct heap_stats before = stats();

    CHECK(kmalloc(128) == NULL); /* a class with no slab yet */
    CHECK(kmalloc(5000) == NULL);
    CHECK(kzalloc(3000) == NULL);
    void *same = kmalloc(64); /* its class still has room */
    CHECK(same != NULL);
    kfree(same);
    CHECK(stats().allocations == before.allocations && stats().pages == before.pages);

    source.limit = SIZE_MAX;
    void *now = kmalloc(128);
    CHECK(now != NULL);
    kfree(now);
    kfree(keep);
    CHECK(corrupt_calls == 0);
}

static void check_corruption(void)
{
    heap_reset();
    corrupt_calls = 0;

    char *a = kmalloc(64), *b = kmalloc(64);
    kfree(a);
    struct heap_stats before = stats();
    kfree(a);
    CHECK(corrupt_calls == 1 && corrupt_ptr == a);
    CHECK(stats().allocations == before.allocations &&
          stats().bytes_in_use == before.bytes_in_use && stats().pages == before.pages);
    /* The free list survived: the next two allocations are distinct. */
    char *c = kmalloc(64), *d = kmalloc(64);
    CHECK(c != d && c != b && d != b);

    /* Interior pointers are refused. */
    kfree(b + 16);
    CHECK(corrupt_calls == 2 && corrupt_ptr == b + 16);
    kfree(b + 1);
    CHECK(corrupt_calls == 3);

    /* A double free into a slab that is now the cached empty one. */
    char *e = kmalloc(512);
    kfree(e);
    kfree(e);
    CHECK(corrupt_calls == 4 && corrupt_ptr == e);

    /* Live data that looks like the free marker is not a double free. */
    uint64_t *f = kmalloc(16);
    f[0] = 0;
    f[1] = 0xf4eef4eef4eef4eeull;
    kfree(f);
    CHECK(corrupt_calls == 4);

    /* Memory the heap never handed out. */
    unsigned char *foreign = aligned_alloc(PAGE, PAGE);
    memset(foreign, 0, PAGE);
    kfree(foreign + 64);
    CHECK(corrupt_calls == 5 && corrupt_ptr == foreign + 64);
    free(foreign);

    /* Large blocks: interior pointer, then a double free. */
    char *big = kmalloc(10000);
    kfree(big + 64);
    CHECK(corrupt_calls == 6);
    source.hold_back = true;
    kfree(big);
    CHECK(corrupt_calls == 6);
    kfree(big);
    CHECK(corrupt_calls == 7 && corrupt_ptr == big);
    source.hold_back = false;

    kfree(b);
    kfree(c);
    kfree(d);
    CHECK(stats().allocations == 0 && stats().bytes_in_use == 0);
    CHECK(corrupt_calls == 7 && !source.bad_free);
    corrupt_calls = 0;
}

/* --- random stress --- */

struct block {
    unsigned char *ptr;
    size_t size;
    unsigned char fill;
};

static bool block_intact(const struct block *b)
{
    for (size_t i = 0; i < b->size; i++) {
        if (b->ptr[i] != (unsigned char)(b->fill + i * 7))
            return false;
    }
    return true;
}

static size_t random_size(void)
{
    int r = rand() % 100;
    if (r < 70)
        return 1 + (size_t)rand() % 128;
    if (r < 95)
        return 129 + (size_t)rand() % (2048 - 128);
    return 2049 + (size_t)rand() % 30000;
}

static void check_random(void)
{
    enum { SLOTS = 1500, STEPS = 40000 };
    static struct block blocks[SLOTS];
    size_t live = 0, bytes = 0;

    heap_reset();
    srand(4242);
    memset(blocks, 0, sizeof(blocks));
    for (int step = 0; step < STEPS; step++) {
        struct block *b = &blocks[(size_t)rand() % SLOTS];
        if (b->ptr != NULL) {
            CHECKF(block_intact(b), "step %d: block %p (%zu bytes) overwritten", step,
                   (void *)b->ptr, b->size);
            kfree(b->ptr);
            b->ptr = NULL;
            live--;
            bytes -= charged(b->size);
        } else {
            b->size = random_size();
            b->fill = (unsigned char)rand();
            b->ptr = kmalloc(b->size);
            if (!CHECKF(b->ptr != NULL, "step %d: kmalloc(%zu)", step, b->size))
                continue;
            CHECKF((uintptr_t)b->ptr % 16 == 0, "step %d: unaligned", step);
            for (size_t i = 0; i < b->size; i++)
                b->ptr[i] = (unsigned char)(b->fill + i * 7);
            live++;
            bytes += charged(b->size);
        }
        if (step % 5000 == 0) {
            for (size_t i = 0; i < SLOTS; i++) {
                if (blocks[i].ptr != NULL)
                    CHECKF(block_intact(&blocks[i]), "step %d: block %zu overwritten", step, i);
            }
        }
        struct heap_stats s = stats();
        CHECKF(s.allocations == live && s.bytes_in_use == bytes && s.pages == source.outstanding,
               "step %d: stats %zu/%zu/%zu, model %zu/%zu/%zu", step, s.allocations, s.bytes_in_use,
               s.pages, live, bytes, source.outstanding);
    }

    for (size_t i = 0; i < SLOTS; i++) {
        if (blocks[i].ptr != NULL) {
            CHECK(block_intact(&blocks[i]));
            kfree(blocks[i].ptr);
        }
    }
    struct heap_stats s = stats();
    CHECK(s.allocations == 0 && s.bytes_in_use == 0);
    /* At most one cached empty slab per class (8 classes) stays behind. */
    CHECK(s.pages == source.outstanding && source.outstanding <= 8);
    CHECK(corrupt_calls == 0 && !source.bad_free);
}

int main(void)
{
    check_basics();
    check_large();
    check_page_return();
    check_kzalloc();
    check_out_of_memory();
    check_corruption();
    check_random();
    heap_reset(); /* releases everything for the leak checker */
    return check_finish("heap_test");
}
