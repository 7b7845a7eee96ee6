/*
 * malloc, free, calloc and realloc: a boundary-tag allocator with
 * segregated free lists.
 *
 * Memory comes from malloc_arena_reserve (libc.h) in arenas of 1 GiB. On
 * Parley that is SYS_VM_RESERVE, which hands out address space whose pages
 * the kernel allocates, zero-filled, only when first touched, so a large
 * arena costs nothing until used. Before it hands out memory of an arena
 * never used before, the allocator makes those pages present
 * (malloc_arena_commit, SYS_VM_COMMIT, in COMMIT_STEP pieces), so that
 * when memory runs out malloc returns NULL and the program can say so,
 * rather than being ended at its first touch of the page. Each arena is
 * carved from the bottom:
 *
 *     | block | block | ... | block | top                        | fence |
 *
 * Every block starts with a 16-byte header holding its own size and the
 * size of the block before it (the boundary tags), so free() can find
 * both neighbours and merge with the ones that are free: two free blocks
 * are never adjacent. `top` is the untouched rest of the arena; a block
 * freed next to it melts back into it, which is what keeps the memory a
 * program touches bounded by what it uses at its peak. The fence is a
 * permanently in-use header that stops merging at the arena's end.
 *
 * Free blocks sit in bins by size: one bin per 16-byte size below 1 KiB,
 * then four per power of two. A bitmap of non-empty bins finds the
 * smallest bin that can serve a request in a few instructions. Blocks are
 * split when the rest is big enough to be a block of its own.
 *
 * Payloads start 16 bytes after their header and headers are 16-byte
 * aligned, so every pointer returned is 16-byte aligned. One lock
 * serialises all threads.
 *
 * Big requests (BIG_REQUEST bytes and more) get a reservation each,
 * made present whole and given back whole by free()
 * (malloc_arena_release), so memory a program needs only at its peak
 * goes back to the system: auth's 19 MiB Argon2id work area is returned
 * after every check instead of staying in its heap. A big block's header
 * (struct big) sits at its reservation's start, BIG_HEADER bytes before
 * the payload; the big blocks are on one list.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"

#define ARENA_SIZE ((size_t)1 << 30)
#define ARENA_ALIGN 4096
#define MAX_ARENAS 64
#define COMMIT_STEP ((size_t)64 << 10)  /* how far ahead of its need the top is made present */
#define BIG_REQUEST ((size_t)256 << 10) /* requests this big get a reservation of their own */
#define BIG_HEADER 32

#define HEADER 16     /* bytes before each payload */
#define MIN_BLOCK 32  /* a header plus the two free-list links */
#define IN_USE 1u     /* low bit of head; sizes are multiples of 16 */
#define SMALL_BINS 64 /* bins 0..63: exact sizes 0..1008 in steps of 16 */
#define NBINS (SMALL_BINS + 4 * (64 - 10))
#define BITMAP_WORDS ((NBINS + 63) / 64)

/* Largest request whose block size arithmetic cannot overflow. */
#define MAX_REQUEST (SIZE_MAX / 2)

struct block {
    size_t prev_size;        /* size of the block below; 0 if first in its arena */
    size_t head;             /* this block's size | IN_USE */
    struct block *next_free; /* free blocks only: links within its bin */
    struct block *prev_free;
};

struct arena {
    char *start;
    size_t len;
    char *committed; /* pages below this are present (malloc_arena_commit) */
};

struct big {
    struct big *next, *prev;
    size_t len;  /* the reservation's bytes */
    size_t size; /* the bytes asked for */
};
_Static_assert(sizeof(struct big) <= BIG_HEADER, "a big block's header fits");

static struct {
    struct libc_lock lock;
    struct block *top; /* the free space at the end of the newest arena */
    struct block *bins[NBINS];
    uint64_t bitmap[BITMAP_WORDS]; /* bit i set when bins[i] is not empty */
    struct arena arenas[MAX_ARENAS];
    size_t narenas;
    struct big *bigs;
    struct malloc_stats stats;
} heap;

static size_t block_size(const struct block *b)
{
    return b->head & ~(size_t)IN_USE;
}

static bool block_in_use(const struct block *b)
{
    return (b->head & IN_USE) != 0;
}

static struct block *block_next(struct block *b)
{
    return (struct block *)((char *)b + block_size(b));
}

static struct block *block_prev(struct block *b)
{
    return b->prev_size == 0 ? NULL : (struct block *)((char *)b - b->prev_size);
}

/* Sets b's size and flag, and the boundary tag in the block after it. */
static void block_set(struct block *b, size_t size, bool in_use)
{
    b->head = size | (in_use ? IN_USE : 0);
    ((struct block *)((char *)b + size))->prev_size = size;
}

static void *block_payload(struct block *b)
{
    return (char *)b + HEADER;
}

static struct block *payload_block(void *p)
{
    return (struct block *)((char *)p - HEADER);
}

/* The block size that holds a request of n bytes, or 0 if n is absurd. */
static size_t request_size(size_t n)
{
    if (n > MAX_REQUEST)
        return 0;
    size_t size = (n + HEADER + 15) & ~(size_t)15;
    return size < MIN_BLOCK ? MIN_BLOCK : size;
}

/* --- bins --- */

static unsigned bin_index(size_t size)
{
    if (size < SMALL_BINS * 16)
        return (unsigned)(size / 16);
    unsigned log = 63 - (unsigned)__builtin_clzll(size); /* >= 10 */
    return SMALL_BINS + (log - 10) * 4 + (unsigned)((size >> (log - 2)) & 3);
}

static void bin_insert(struct block *b)
{
    unsigned i = bin_index(block_size(b));

    b->prev_free = NULL;
    b->next_free = heap.bins[i];
    if (b->next_free != NULL)
        b->next_free->prev_free = b;
    heap.bins[i] = b;
    heap.bitmap[i / 64] |= (uint64_t)1 << (i % 64);
    heap.stats.free_bytes += block_size(b);
    heap.stats.free_blocks++;
}

static void bin_remove(struct block *b)
{
    unsigned i = bin_index(block_size(b));

    if (b->prev_free != NULL)
        b->prev_free->next_free = b->next_free;
    else
        heap.bins[i] = b->next_free;
    if (b->next_free != NULL)
        b->next_free->prev_free = b->prev_free;
    if (heap.bins[i] == NULL)
        heap.bitmap[i / 64] &= ~((uint64_t)1 << (i % 64));
    heap.stats.free_bytes -= block_size(b);
    heap.stats.free_blocks--;
}

/* The first non-empty bin at or after index i, or NBINS. */
static unsigned bin_next_nonempty(unsigned i)
{
    while (i < NBINS) {
        uint64_t word = heap.bitmap[i / 64] & (~(uint64_t)0 << (i % 64));
        if (word != 0)
            return (i / 64) * 64 + (unsigned)__builtin_ctzll(word);
        i = (i / 64 + 1) * 64;
    }
    return NBINS;
}

/*
 * A free block of at least size bytes, taken out of its bin. The request's
 * own bin may hold smaller blocks (large bins span a range), so it is
 * searched; every block in a later bin is big enough.
 */
static struct block *bin_take(size_t size)
{
    unsigned i = bin_index(size);

    for (struct block *b = heap.bins[i]; b != NULL; b = b->next_free) {
        if (block_size(b) >= size) {
            bin_remove(b);
            return b;
        }
    }
    i = bin_next_nonempty(i + 1);
    if (i == NBINS)
        return NULL;
    struct block *b = heap.bins[i];
    bin_remove(b);
    return b;
}

/* --- arenas and the top --- */

static size_t top_size(void)
{
    return heap.top == NULL ? 0 : block_size(heap.top);
}

/*
 * Makes the old top an ordinary free block when a new arena starts. Only
 * its present pages may be handed out, so the part past them becomes an
 * in-use block that is never freed: it costs address space, not memory.
 */
static void top_retire(void)
{
    const struct arena *a = &heap.arenas[heap.narenas - 1];
    char *top = (char *)heap.top;
    char *fence = a->start + a->len - HEADER;
    char *fence_page = a->start + a->len - ARENA_ALIGN;
    if (a->committed < fence_page) {
        char *hole = a->committed - HEADER; /* its header on the last present page */
        if (hole - top < MIN_BLOCK)
            hole = top;
        size_t hole_size = (size_t)(fence - hole);
        if (hole > top)
            block_set(heap.top, (size_t)(hole - top), false);
        block_set((struct block *)hole, hole_size, true);
        heap.stats.unbacked += hole_size;
        if (hole == top)
            return;
    }
    heap.stats.footprint += block_size(heap.top);
    bin_insert(heap.top);
}

/*
 * Starts a new arena big enough for a block of size bytes. The old top
 * becomes an ordinary free block. Asks for less than ARENA_SIZE if the
 * platform cannot give that much, but never less than needed.
 */
static bool arena_grow(size_t size)
{
    size_t need = (size + MIN_BLOCK + HEADER + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    size_t len = need > ARENA_SIZE ? need : ARENA_SIZE;
    char *start = NULL;

    if (heap.narenas == MAX_ARENAS)
        return false;
    for (; len >= need; len = (len / 2) & ~(size_t)(ARENA_ALIGN - 1)) {
        start = malloc_arena_reserve(len);
        if (start != NULL)
            break;
    }
    if (start == NULL)
        return false;
    /* The first header and the fence are written now, so their pages must be there. */
    size_t first = len < COMMIT_STEP ? len : COMMIT_STEP;
    if (!malloc_arena_commit(start, first) ||
        !malloc_arena_commit(start + len - ARENA_ALIGN, ARENA_ALIGN))
        return false; /* the reservation is left unused: it costs no memory */

    if (heap.top != NULL)
        top_retire();
    heap.arenas[heap.narenas++] = (struct arena){start, len, start + first};
    heap.stats.reserved += len;
    heap.stats.arenas++;

    struct block *top = (struct block *)start;
    top->prev_size = 0;
    block_set(top, len - HEADER, false);
    ((struct block *)(start + len - HEADER))->head = IN_USE; /* the fence, size 0 */
    heap.top = top;
    return true;
}

/*
 * Makes sure the newest arena's pages below end are present (the top's
 * header and free-list links, so MIN_BLOCK past where it will start);
 * false when memory has run out.
 */
static bool top_commit(const char *end)
{
    struct arena *a = &heap.arenas[heap.narenas - 1];
    if (end <= a->committed)
        return true;
    size_t need = (size_t)(end - a->committed);
    size_t grow = (need + COMMIT_STEP - 1) & ~(COMMIT_STEP - 1);
    size_t room = (size_t)(a->start + a->len - a->committed);
    if (grow > room)
        grow = room;
    if (!malloc_arena_commit(a->committed, grow))
        return false;
    a->committed += grow;
    return true;
}

/* Carves size bytes off the bottom of the top, keeping a minimal top behind. */
static struct block *top_take(size_t size)
{
    if (top_size() < size + MIN_BLOCK && !arena_grow(size))
        return NULL;
    if (!top_commit((char *)heap.top + size + MIN_BLOCK))
        return NULL;

    struct block *b = heap.top;
    size_t rest = block_size(b) - size;
    block_set(b, size, false); /* the caller claims it */
    heap.top = block_next(b);
    block_set(heap.top, rest, false);
    heap.stats.footprint += size;
    return b;
}

/* --- freeing and splitting --- */

/*
 * Makes b a free block, merged with whichever neighbours are free; b's
 * head must hold its size, and its bytes must not be counted as in use
 * or free any more. The result goes into a bin or, next to the top,
 * becomes part of the top.
 */
static void block_release(struct block *b)
{
    size_t size = block_size(b);
    struct block *next = block_next(b);
    struct block *prev = block_prev(b);

    if (prev != NULL && !block_in_use(prev)) {
        bin_remove(prev);
        size += block_size(prev);
        b = prev;
    }
    if (next == heap.top) {
        heap.stats.footprint -= size;
        block_set(b, size + block_size(next), false);
        heap.top = b;
        return;
    }
    if (!block_in_use(next)) {
        bin_remove(next);
        size += block_size(next);
    }
    block_set(b, size, false);
    bin_insert(b);
}

/* Cuts the in-use block b down to size bytes if the rest can be a block. */
static void block_shrink(struct block *b, size_t size)
{
    size_t have = block_size(b);

    if (have - size < MIN_BLOCK)
        return;
    block_set(b, size, true);
    struct block *rest = block_next(b);
    block_set(rest, have - size, false);
    heap.stats.in_use -= have - size;
    block_release(rest);
}

/* Marks the free block b (already out of its bin or the top) in use. */
static void block_claim(struct block *b)
{
    block_set(b, block_size(b), true);
    heap.stats.in_use += block_size(b);
    heap.stats.allocations++;
}

/* --- checking pointers handed back --- */

static const struct arena *arena_of(const void *p)
{
    for (size_t i = 0; i < heap.narenas; i++) {
        const struct arena *a = &heap.arenas[i];
        if ((const char *)p >= a->start && (const char *)p < a->start + a->len)
            return a;
    }
    return NULL;
}

/*
 * Whether p looks like a pointer malloc returned and has not freed: in an
 * arena, aligned, with a sane in-use header whose size agrees with the
 * boundary tag of the next block. Reports what is wrong when not.
 */
static bool pointer_valid(void *p)
{
    const struct arena *a = arena_of(p);
    struct block *b = payload_block(p);

    if (a == NULL || (uintptr_t)p % 16 != 0 || (char *)b < a->start) {
        malloc_corrupt("pointer not from malloc", p);
        return false;
    }
    size_t size = block_size(b);
    char *fence = a->start + a->len - HEADER;
    if (size < MIN_BLOCK || size % 16 != 0 || size > (size_t)(fence - (char *)b) ||
        block_next(b)->prev_size != size) {
        malloc_corrupt("pointer not from malloc", p);
        return false;
    }
    if (!block_in_use(b)) {
        malloc_corrupt("pointer freed twice", p);
        return false;
    }
    return true;
}

/* --- big blocks --- */

static void *big_alloc(size_t n)
{
    if (n > MAX_REQUEST)
        return NULL;
    size_t len = (n + BIG_HEADER + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    char *start = malloc_arena_reserve(len);
    if (start == NULL)
        return NULL;
    if (!malloc_arena_commit(start, len)) {
        malloc_arena_release(start, len);
        return NULL;
    }
    struct big *b = (struct big *)start;
    *b = (struct big){.next = heap.bigs, .prev = NULL, .len = len, .size = n};
    if (heap.bigs != NULL)
        heap.bigs->prev = b;
    heap.bigs = b;
    heap.stats.reserved += len;
    heap.stats.allocations++;
    heap.stats.big_blocks++;
    heap.stats.big_bytes += len;
    return start + BIG_HEADER;
}

/* The big block whose payload p is, or NULL. */
static struct big *big_of(const void *p)
{
    if ((uintptr_t)p % ARENA_ALIGN != BIG_HEADER)
        return NULL;
    for (struct big *b = heap.bigs; b != NULL; b = b->next)
        if ((const char *)b + BIG_HEADER == (const char *)p)
            return b;
    return NULL;
}

static void big_free(struct big *b)
{
    if (b->prev != NULL)
        b->prev->next = b->next;
    else
        heap.bigs = b->next;
    if (b->next != NULL)
        b->next->prev = b->prev;
    heap.stats.reserved -= b->len;
    heap.stats.allocations--;
    heap.stats.big_blocks--;
    heap.stats.big_bytes -= b->len;
    malloc_arena_release(b, b->len);
}

/* --- the lock-held versions of the public functions --- */

static void *heap_alloc(size_t n)
{
    if (n >= BIG_REQUEST)
        return big_alloc(n);
    size_t size = request_size(n);

    if (size == 0)
        return NULL;
    struct block *b = bin_take(size);
    if (b == NULL)
        b = top_take(size);
    if (b == NULL)
        return NULL;
    block_claim(b);
    block_shrink(b, size);
    return block_payload(b);
}

static void heap_free(struct block *b)
{
    heap.stats.in_use -= block_size(b);
    heap.stats.allocations--;
    b->head &= ~(size_t)IN_USE;
    block_release(b);
}

/*
 * Resizes b in place if it can: by cutting off its tail, or by taking in
 * the free block or the top above it. Returns false when it cannot.
 */
static bool heap_resize(struct block *b, size_t size)
{
    size_t have = block_size(b);
    struct block *next = block_next(b);

    if (size <= have) {
        block_shrink(b, size);
        return true;
    }
    if (next == heap.top) {
        size_t total = have + block_size(next);
        if (total < size + MIN_BLOCK || !top_commit((char *)b + size + MIN_BLOCK))
            return false;
        block_set(b, size, true);
        heap.top = block_next(b);
        block_set(heap.top, total - size, false);
        heap.stats.footprint += size - have;
        heap.stats.in_use += size - have;
        return true;
    }
    if (block_in_use(next) || have + block_size(next) < size)
        return false;
    bin_remove(next);
    block_set(b, have + block_size(next), true);
    heap.stats.in_use += block_size(next);
    block_shrink(b, size);
    return true;
}

/* --- the C interface --- */

void *malloc(size_t n)
{
    libc_lock_acquire(&heap.lock);
    void *p = heap_alloc(n);
    libc_lock_release(&heap.lock);
    return p;
}

void free(void *p)
{
    if (p == NULL)
        return;
    libc_lock_acquire(&heap.lock);
    struct big *big = arena_of(p) == NULL ? big_of(p) : NULL;
    if (big != NULL)
        big_free(big);
    else if (pointer_valid(p))
        heap_free(payload_block(p));
    libc_lock_release(&heap.lock);
}

void *calloc(size_t count, size_t size)
{
    size_t total;

    if (__builtin_mul_overflow(count, size, &total))
        return NULL;
    void *p = malloc(total);
    if (p != NULL)
        memset(p, 0, total);
    return p;
}

/* realloc(p, 0) frees p and returns NULL; on failure p is left as it was. */
void *realloc(void *p, size_t n)
{
    if (p == NULL)
        return malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }

    size_t size = request_size(n);
    void *result = NULL;

    libc_lock_acquire(&heap.lock);
    struct big *big = arena_of(p) == NULL ? big_of(p) : NULL;
    if (big != NULL) {
        if (n <= big->len - BIG_HEADER && n >= BIG_REQUEST) {
            big->size = n; /* it fits where it is */
            result = p;
        } else if ((result = heap_alloc(n)) != NULL) {
            memcpy(result, p, n < big->size ? n : big->size);
            big_free(big);
        }
    } else if (size != 0 && pointer_valid(p)) {
        struct block *b = payload_block(p);
        if (heap_resize(b, size)) {
            result = p;
        } else {
            result = heap_alloc(n);
            if (result != NULL) {
                memcpy(result, p, block_size(b) - HEADER);
                heap_free(b);
            }
        }
    }
    libc_lock_release(&heap.lock);
    return result;
}

/* --- statistics and self-check --- */

void malloc_get_stats(struct malloc_stats *stats)
{
    libc_lock_acquire(&heap.lock);
    *stats = heap.stats;
    libc_lock_release(&heap.lock);
}

/* Walks one arena's blocks, adding up what is in use and what is free. */
static bool arena_check(const struct arena *a, size_t *in_use, size_t *free_bytes)
{
    struct block *fence = (struct block *)(a->start + a->len - HEADER);
    struct block *b = (struct block *)a->start;
    size_t prev_size = 0;
    bool prev_free = false;

    if (fence->head != IN_USE)
        return false;
    while (b != fence) {
        size_t size = block_size(b);
        if (size < MIN_BLOCK || size % 16 != 0 || size > (size_t)((char *)fence - (char *)b))
            return false;
        if (b->prev_size != prev_size)
            return false;
        if (b == heap.top)
            return !prev_free && block_next(b) == fence;
        if (block_in_use(b)) {
            *in_use += size;
            prev_free = false;
        } else {
            if (prev_free)
                return false; /* two free neighbours should have merged */
            *free_bytes += size;
            prev_free = true;
        }
        prev_size = size;
        b = block_next(b);
    }
    return true;
}

bool malloc_check(void)
{
    size_t in_use = 0, free_bytes = 0, listed = 0, listed_blocks = 0;
    bool ok = true;

    libc_lock_acquire(&heap.lock);
    for (size_t i = 0; ok && i < heap.narenas; i++)
        ok = arena_check(&heap.arenas[i], &in_use, &free_bytes);

    for (unsigned i = 0; ok && i < NBINS; i++) {
        bool marked = (heap.bitmap[i / 64] >> (i % 64)) & 1;
        ok = marked == (heap.bins[i] != NULL);
        for (struct block *b = heap.bins[i], *prev = NULL; ok && b != NULL; b = b->next_free) {
            ok = !block_in_use(b) && bin_index(block_size(b)) == i && b->prev_free == prev &&
                 arena_of(b) != NULL;
            listed += block_size(b);
            listed_blocks++;
            prev = b;
        }
    }

    size_t big_blocks = 0, big_bytes = 0;
    for (struct big *b = heap.bigs, *prev = NULL; ok && b != NULL; prev = b, b = b->next) {
        ok = b->prev == prev && (uintptr_t)b % ARENA_ALIGN == 0 && b->len % ARENA_ALIGN == 0 &&
             b->size >= BIG_REQUEST && b->size <= b->len - BIG_HEADER && arena_of(b) == NULL;
        big_blocks++;
        big_bytes += b->len;
    }

    ok = ok && big_blocks == heap.stats.big_blocks && big_bytes == heap.stats.big_bytes &&
         in_use == heap.stats.in_use + heap.stats.unbacked && free_bytes == heap.stats.free_bytes &&
         listed == free_bytes && listed_blocks == heap.stats.free_blocks &&
         heap.stats.footprint == heap.stats.in_use + free_bytes;
    libc_lock_release(&heap.lock);
    return ok;
}
