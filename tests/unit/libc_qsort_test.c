/*
 * Checks lib/libc/qsort.c: on random, sorted, reversed, all-equal,
 * few-distinct, organ-pipe and sawtooth input the result must equal the
 * host qsort's (for int keys, whose equal elements are indistinguishable,
 * so stability does not matter), and the number of comparisons must stay
 * within a constant times n log2 n: a quadratic sort on 20000 elements
 * needs hundreds of times more. McIlroy's adversary then builds, while the
 * sort runs, the input that is worst for whatever pivot rule it sees,
 * which only the heapsort fallback survives. Also sorts records wider
 * than a machine word, and checks bsearch for every present and absent
 * key.
 */
#include "libc_host.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static size_t comparisons;

static int compare_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    comparisons++;
    return (x > y) - (x < y);
}

enum shape { RANDOM, SORTED, REVERSED, EQUAL, FEW, ORGAN, SAWTOOTH, SHAPES };

static const char *const shape_names[] = {"random", "sorted", "reversed", "equal",
                                          "few",    "organ",  "sawtooth"};

static void make(int *a, size_t n, enum shape shape)
{
    for (size_t i = 0; i < n; i++) {
        switch (shape) {
        case RANDOM:
            a[i] = rand();
            break;
        case SORTED:
            a[i] = (int)i;
            break;
        case REVERSED:
            a[i] = (int)(n - i);
            break;
        case EQUAL:
            a[i] = 7;
            break;
        case FEW:
            a[i] = rand() % 4;
            break;
        case ORGAN:
            a[i] = (int)(i < n / 2 ? i : n - i);
            break;
        case SAWTOOTH:
            a[i] = (int)(i % 64);
            break;
        default:
            break;
        }
    }
}

static unsigned log2_ceil(size_t n)
{
    unsigned log = 0;

    while (((size_t)1 << log) < n)
        log++;
    return log;
}

static void check_shapes(void)
{
    static const size_t sizes[] = {0, 1, 2, 3, 5, 16, 17, 31, 100, 1000, 4096, 20000};
    static int got[20000], want[20000];

    srand(99);
    for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
        size_t n = sizes[si];
        for (int shape = 0; shape < SHAPES; shape++) {
            make(got, n, (enum shape)shape);
            memcpy(want, got, n * sizeof(int));

            comparisons = 0;
            libc_qsort(got, n, sizeof(int), compare_int);
            size_t used = comparisons;
            qsort(want, n, sizeof(int), compare_int);

            CHECKF(memcmp(got, want, n * sizeof(int)) == 0, "%s, n=%zu: wrong order",
                   shape_names[shape], n);
            /* Heapsort, the fallback, needs about 2 n log2 n; allow 3. */
            size_t bound = 3 * n * (log2_ceil(n) + 1) + 16;
            CHECKF(used <= bound, "%s, n=%zu: %zu comparisons, bound %zu", shape_names[shape], n,
                   used, bound);
        }
    }
}

/*
 * McIlroy, "A Killer Adversary for Quicksort" (1999). The array holds
 * indices into val; every val starts as "gas", greater than any value
 * yet fixed. When two gas items meet, one is frozen to the next solid
 * value, preferring the one just compared (likely the pivot), so every
 * partition splits off as little as possible. The answers stay
 * consistent, so the sort must still produce a correct order.
 */
static struct {
    int *val;
    int gas;
    int solid;
    int candidate;
} adversary;

static int compare_adversary(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    int *val = adversary.val;

    comparisons++;
    if (val[x] == adversary.gas && val[y] == adversary.gas)
        val[x == adversary.candidate ? x : y] = adversary.solid++;
    if (val[x] == adversary.gas)
        adversary.candidate = x;
    else if (val[y] == adversary.gas)
        adversary.candidate = y;
    return (val[x] > val[y]) - (val[x] < val[y]);
}

static void check_adversary(void)
{
    enum { N = 20000 };
    static int items[N], val[N];

    for (int i = 0; i < N; i++) {
        items[i] = i;
        val[i] = N;
    }
    adversary.val = val;
    adversary.gas = N;
    adversary.solid = 0;
    adversary.candidate = 0;

    /*
     * The adversary wins every quicksort round until the depth budget
     * (2 log2 n rounds) runs out, and heapsort (2 n log2 n) finishes: about
     * 4 n log2 n in all, against some 10^8 without the fallback.
     */
    comparisons = 0;
    libc_qsort(items, N, sizeof(int), compare_adversary);
    size_t bound = 6 * (size_t)N * (log2_ceil(N) + 1);
    CHECKF(comparisons <= bound, "adversary: %zu comparisons, bound %zu", comparisons, bound);

    bool sorted = true;
    for (int i = 1; i < N; i++)
        sorted = sorted && val[items[i - 1]] <= val[items[i]];
    CHECK(sorted);
}

/* A 20-byte record sorted by key, value carried along. */
struct record {
    uint32_t key;
    char tag[12];
    uint32_t check;
};

static int compare_record(const void *a, const void *b)
{
    const struct record *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static void check_records(void)
{
    enum { N = 3001 };
    static struct record r[N];

    srand(5);
    for (size_t i = 0; i < N; i++) {
        r[i].key = (uint32_t)i * 2654435761u; /* a permutation of distinct keys */
        memset(r[i].tag, (int)(i % 251), sizeof(r[i].tag));
        r[i].check = r[i].key ^ 0x5a5a5a5au;
    }
    libc_qsort(r, N, sizeof(r[0]), compare_record);

    bool ok = true;
    for (size_t i = 0; i < N; i++) {
        ok = ok && r[i].check == (r[i].key ^ 0x5a5a5a5au);
        ok = ok && (i == 0 || r[i - 1].key < r[i].key);
    }
    CHECK(ok);
}

static void check_bsearch(void)
{
    enum { N = 1000 };
    static int a[N];

    for (int i = 0; i < N; i++)
        a[i] = 2 * i; /* even numbers only */
    for (int key = -3; key <= 2 * N + 3; key++) {
        int *hit = libc_bsearch(&key, a, N, sizeof(int), compare_int);
        if (key >= 0 && key < 2 * N && key % 2 == 0)
            CHECKF(hit == &a[key / 2], "bsearch(%d) = %p", key, (void *)hit);
        else
            CHECKF(hit == NULL, "bsearch(%d) found an absent key", key);
    }
    for (size_t n = 0; n < 5; n++) {
        int key = 2 * (int)n - 2;
        int *hit = libc_bsearch(&key, a, n, sizeof(int), compare_int);
        CHECKF(n == 0 ? hit == NULL : hit == &a[n - 1], "bsearch of the last of %zu", n);
    }
}

int main(void)
{
    check_shapes();
    check_adversary();
    check_records();
    check_bsearch();
    return check_finish("libc_qsort_test");
}
