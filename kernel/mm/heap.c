/*
 * Slab allocator behind kmalloc. Every page the heap owns starts with a
 * header carrying a magic number, so kfree() finds the header of any
 * pointer by rounding it down to 4 KiB and can tell slab pages, large
 * allocations and foreign pointers apart.
 *
 * Page layout of a slab (here for the 64-byte class):
 *
 *   0        32       96       160                     4096
 *   | header | obj 0  | obj 1  | ...  | obj 62 | unused |
 *
 * Free objects of a slab are chained through their first word; their
 * second word holds FREE_MARK. A double free is suspected when the mark is
 * present and confirmed by finding the object on the slab's free list, so
 * live data that happens to equal the mark is never reported.
 *
 * Each size class keeps its slabs that have free objects on a "partial"
 * list; full slabs are on no list and rejoin it when an object is freed.
 * A slab that becomes completely free goes back to the page source, except
 * that one empty slab per class is kept so an alloc/free pair at a page
 * boundary does not hand the same page back and forth.
 *
 * Large allocations (over 2048 bytes) get their own pages: a header at the
 * start of the first page and the object at offset 64.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/list.h"
#include "common/string.h"
#include "mm/heap.h"

#define HEAP_PAGE_SIZE 4096
#define HEAP_ALIGN 16
#define HEAP_CLASSES 8
#define HEAP_MIN_CLASS 16
#define HEAP_MAX_CLASS 2048
#define LARGE_OFFSET 64

#define SLAB_MAGIC 0x534c4142u  /* "SLAB" */
#define LARGE_MAGIC 0x4c524745u /* "LRGE" */
#define FREE_MARK 0xf4eef4eef4eef4eeull

struct slab {
    uint32_t magic;
    uint16_t class_index;
    uint16_t in_use;
    struct free_object *free_list;
    struct list_node link; /* on the class's partial list while not full */
};

struct free_object {
    struct free_object *next;
    uint64_t mark;
};

struct large_header {
    uint32_t magic;
    uint32_t reserved;
    size_t pages;
    size_t size;
};

#define SLAB_OBJECTS_START ((sizeof(struct slab) + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1))

_Static_assert(sizeof(struct free_object) <= HEAP_MIN_CLASS, "free object must fit in a class");
_Static_assert(sizeof(struct large_header) <= LARGE_OFFSET, "large header must fit before data");
_Static_assert(SLAB_OBJECTS_START + HEAP_MAX_CLASS <= HEAP_PAGE_SIZE, "a slab holds an object");

struct size_class {
    struct list_node partial;
    struct slab *empty; /* the one cached empty slab, or NULL */
};

static struct {
    void *(*alloc_pages)(size_t count);
    void (*free_pages)(void *pages, size_t count);
    struct size_class classes[HEAP_CLASSES];
    struct heap_stats stats;
} heap;

void heap_init(void *(*alloc_pages)(size_t count), void (*free_pages)(void *pages, size_t count))
{
    heap.alloc_pages = alloc_pages;
    heap.free_pages = free_pages;
    for (size_t i = 0; i < HEAP_CLASSES; i++) {
        list_init(&heap.classes[i].partial);
        heap.classes[i].empty = NULL;
    }
    heap.stats = (struct heap_stats){0};
}

static size_t class_size(size_t index)
{
    return (size_t)HEAP_MIN_CLASS << index;
}

static size_t class_capacity(size_t index)
{
    return (HEAP_PAGE_SIZE - SLAB_OBJECTS_START) / class_size(index);
}

/* The smallest class that holds size bytes; size <= HEAP_MAX_CLASS. */
static size_t class_for(size_t size)
{
    size_t index = 0;

    while (class_size(index) < size)
        index++;
    return index;
}

static void *slab_object(struct slab *slab, size_t i)
{
    return (char *)slab + SLAB_OBJECTS_START + i * class_size(slab->class_index);
}

/* Gets a fresh page from the source and threads all its objects. */
static struct slab *slab_create(size_t index)
{
    struct slab *slab = heap.alloc_pages(1);

    if (slab == NULL)
        return NULL;
    slab->magic = SLAB_MAGIC;
    slab->class_index = (uint16_t)index;
    slab->in_use = 0;
    slab->free_list = NULL;
    list_init(&slab->link);

    /* Built back to front so objects are handed out in address order. */
    for (size_t i = class_capacity(index); i > 0; i--) {
        struct free_object *obj = slab_object(slab, i - 1);
        obj->next = slab->free_list;
        obj->mark = FREE_MARK;
        slab->free_list = obj;
    }
    heap.stats.pages++;
    return slab;
}

static void heap_release_pages(void *pages, size_t count)
{
    heap.stats.pages -= count;
    heap.free_pages(pages, count);
}

/* A slab of the class with a free object: partial, cached empty, or new. */
static struct slab *slab_with_space(size_t index)
{
    struct size_class *cls = &heap.classes[index];
    struct slab *slab;

    if (!list_empty(&cls->partial))
        return container_of(list_first(&cls->partial), struct slab, link);

    slab = cls->empty;
    cls->empty = NULL;
    if (slab == NULL)
        slab = slab_create(index);
    if (slab != NULL)
        list_push_back(&cls->partial, &slab->link);
    return slab;
}

static void *slab_alloc(size_t index)
{
    struct slab *slab = slab_with_space(index);

    if (slab == NULL)
        return NULL;

    struct free_object *obj = slab->free_list;
    slab->free_list = obj->next;
    obj->mark = 0;
    slab->in_use++;
    if (slab->free_list == NULL)
        list_remove(&slab->link); /* full slabs leave the partial list */

    heap.stats.bytes_in_use += class_size(index);
    heap.stats.allocations++;
    return obj;
}

static void *large_alloc(size_t size)
{
    if (size > SIZE_MAX - LARGE_OFFSET - (HEAP_PAGE_SIZE - 1))
        return NULL;

    size_t pages = (size + LARGE_OFFSET + HEAP_PAGE_SIZE - 1) / HEAP_PAGE_SIZE;
    struct large_header *hdr = heap.alloc_pages(pages);
    if (hdr == NULL)
        return NULL;

    hdr->magic = LARGE_MAGIC;
    hdr->reserved = 0;
    hdr->pages = pages;
    hdr->size = size;
    heap.stats.pages += pages;
    heap.stats.bytes_in_use += size;
    heap.stats.allocations++;
    return (char *)hdr + LARGE_OFFSET;
}

void *kmalloc(size_t size)
{
    if (size == 0 || heap.alloc_pages == NULL)
        return NULL;
    if (size > HEAP_MAX_CLASS)
        return large_alloc(size);
    return slab_alloc(class_for(size));
}

void *kzalloc(size_t size)
{
    void *ptr = kmalloc(size);

    if (ptr != NULL)
        memset(ptr, 0, size);
    return ptr;
}

/* Walks the slab's free list; only done when an object carries FREE_MARK. */
static bool slab_holds_free(const struct slab *slab, const struct free_object *obj)
{
    for (const struct free_object *f = slab->free_list; f != NULL; f = f->next) {
        if (f == obj)
            return true;
    }
    return false;
}

static void slab_free(struct slab *slab, void *ptr)
{
    size_t index = slab->class_index;
    size_t offset = (size_t)((char *)ptr - (char *)slab);

    if (index >= HEAP_CLASSES) {
        heap_corrupt("kfree: slab header damaged", ptr);
        return;
    }
    if (offset < SLAB_OBJECTS_START || (offset - SLAB_OBJECTS_START) % class_size(index) != 0 ||
        (offset - SLAB_OBJECTS_START) / class_size(index) >= class_capacity(index)) {
        heap_corrupt("kfree: pointer is not the start of an object", ptr);
        return;
    }

    struct free_object *obj = ptr;
    if (slab->in_use == 0 || (obj->mark == FREE_MARK && slab_holds_free(slab, obj))) {
        heap_corrupt("kfree: double free", ptr);
        return;
    }

    struct size_class *cls = &heap.classes[index];
    bool was_full = slab->free_list == NULL;
    obj->next = slab->free_list;
    obj->mark = FREE_MARK;
    slab->free_list = obj;
    slab->in_use--;
    heap.stats.bytes_in_use -= class_size(index);
    heap.stats.allocations--;

    if (was_full)
        list_push_back(&cls->partial, &slab->link);
    if (slab->in_use == 0) {
        list_remove(&slab->link);
        if (cls->empty == NULL)
            cls->empty = slab;
        else
            heap_release_pages(slab, 1);
    }
}

static void large_free(struct large_header *hdr, void *ptr)
{
    if ((char *)ptr != (char *)hdr + LARGE_OFFSET) {
        heap_corrupt("kfree: pointer is not the start of an object", ptr);
        return;
    }
    heap.stats.bytes_in_use -= hdr->size;
    heap.stats.allocations--;
    /* Cleared so a second kfree sees a bad magic while the page is unused. */
    hdr->magic = 0;
    heap_release_pages(hdr, hdr->pages);
}

void kfree(void *ptr)
{
    if (ptr == NULL)
        return;

    void *page = (void *)((uintptr_t)ptr & ~(uintptr_t)(HEAP_PAGE_SIZE - 1));
    uint32_t magic = *(uint32_t *)page;

    if (magic == SLAB_MAGIC)
        slab_free(page, ptr);
    else if (magic == LARGE_MAGIC)
        large_free(page, ptr);
    else
        heap_corrupt("kfree: not a heap pointer (bad magic)", ptr);
}

void heap_get_stats(struct heap_stats *out)
{
    *out = heap.stats;
}
