/*
 * qsort as introsort, and bsearch.
 *
 * Quicksort with a median-of-three pivot does about 1.2 n log2 n
 * comparisons on typical input, and sorted, reversed or all-equal input
 * are typical for it: the median of first, middle and last is then the
 * true median. Crafted input can still drive any fixed pivot rule
 * quadratic, so each range gets a budget of 2 log2 n partitioning rounds
 * and one that exhausts it is finished with heapsort, which is
 * O(n log n) always. Ranges of up to 16 elements go to insertion sort,
 * which is faster than partitioning at that size.
 *
 * Elements are moved with a byte-wise swap, since qsort knows nothing
 * about their type or alignment.
 */
#include <stddef.h>
#include <stdlib.h>

#define INSERTION_MAX 16

typedef int (*compare_fn)(const void *, const void *);

static void swap_bytes(char *a, char *b, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        char t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

static void insertion_sort(char *base, size_t n, size_t size, compare_fn cmp)
{
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0; j--) {
            char *cur = base + j * size;
            if (cmp(cur - size, cur) <= 0)
                break;
            swap_bytes(cur - size, cur, size);
        }
    }
}

/* Moves element i down a max-heap of n elements until both children are smaller. */
static void sift_down(char *base, size_t i, size_t n, size_t size, compare_fn cmp)
{
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            return;
        if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
            child++;
        if (cmp(base + i * size, base + child * size) >= 0)
            return;
        swap_bytes(base + i * size, base + child * size, size);
        i = child;
    }
}

static void heap_sort(char *base, size_t n, size_t size, compare_fn cmp)
{
    for (size_t i = n / 2; i > 0; i--)
        sift_down(base, i - 1, n, size, cmp);
    for (size_t end = n - 1; end > 0; end--) {
        swap_bytes(base, base + end * size, size);
        sift_down(base, 0, end, size, cmp);
    }
}

/*
 * Orders first, middle and last, then swaps the median into the first
 * slot as the pivot. That leaves an element >= pivot at the end, so the
 * left-to-right scan in partition stops there at the latest.
 */
static void choose_pivot(char *base, size_t n, size_t size, compare_fn cmp)
{
    char *first = base;
    char *mid = base + (n / 2) * size;
    char *last = base + (n - 1) * size;

    if (cmp(mid, first) < 0)
        swap_bytes(mid, first, size);
    if (cmp(last, mid) < 0) {
        swap_bytes(last, mid, size);
        if (cmp(mid, first) < 0)
            swap_bytes(mid, first, size);
    }
    swap_bytes(first, mid, size);
}

/*
 * Partitions around the pivot in base[0] and returns its final index p:
 * everything before p is <= pivot, everything after is >= pivot. Both
 * scans stop at elements equal to the pivot, which splits runs of equal
 * keys down the middle instead of to one side.
 */
static size_t partition(char *base, size_t n, size_t size, compare_fn cmp)
{
    size_t i = 0, j = n;

    for (;;) {
        do
            i++;
        while (i < n && cmp(base + i * size, base) < 0);
        do
            j--;
        while (j > 0 && cmp(base, base + j * size) < 0);
        if (i >= j)
            break;
        swap_bytes(base + i * size, base + j * size, size);
    }
    swap_bytes(base, base + j * size, size);
    return j;
}

/* Recurses into the smaller side only, so the stack stays O(log n) deep. */
static void intro_sort(char *base, size_t n, size_t size, compare_fn cmp, unsigned budget)
{
    while (n > INSERTION_MAX) {
        if (budget == 0) {
            heap_sort(base, n, size, cmp);
            return;
        }
        budget--;

        choose_pivot(base, n, size, cmp);
        size_t p = partition(base, n, size, cmp);
        size_t left = p, right = n - p - 1;

        if (left < right) {
            intro_sort(base, left, size, cmp, budget);
            base += (p + 1) * size;
            n = right;
        } else {
            intro_sort(base + (p + 1) * size, right, size, cmp, budget);
            n = left;
        }
    }
    insertion_sort(base, n, size, cmp);
}

void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *))
{
    unsigned budget = 0;

    if (count < 2 || size == 0)
        return;
    for (size_t n = count; n > 1; n >>= 1)
        budget += 2;
    intro_sort(base, count, size, compare, budget);
}

void *bsearch(const void *key, const void *base, size_t count, size_t size,
              int (*compare)(const void *, const void *))
{
    const char *lo = base;

    /* Invariant: if key is present, it lies in [lo, lo + count * size). */
    while (count > 0) {
        const char *mid = lo + (count / 2) * size;
        int c = compare(key, mid);
        if (c == 0)
            return (void *)mid;
        if (c > 0) {
            lo = mid + size;
            count -= count / 2 + 1;
        } else {
            count /= 2;
        }
    }
    return NULL;
}
