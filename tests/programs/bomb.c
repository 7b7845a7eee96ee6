/*
 * bomb KIND: what a user's program might do to take the machine for
 * itself (test_limits.py, docs/security.md "Resource groups"):
 *
 *   bomb threads   threads that sleep, created until the kernel refuses
 *   bomb spawn     copies of `bomb sleep` started until refused
 *   bomb reserve   address-space reservations until refused
 *   bomb memory    touches page after page: killed by the kernel
 *   bomb tables    one touched page per GiB of address space, so every
 *                  page needs page tables of its own: killed by the
 *                  kernel too, for the tables count against the group
 *   bomb linger    leaves a child behind that keeps the console for a
 *                  minute, and exits at once (logout must end it)
 *   bomb sparse    rounds of: reserve 16 TiB, touch one page in each of
 *                  64 GiBs no round touched before, release. A round
 *                  makes 128 page tables; a kernel that kept emptied
 *                  tables would reach the group's limit by round 64
 *                  and kill it. Prints the free frames before and after
 *
 * Each but memory prints "bomb: KIND: N, then ERROR" and keeps what it
 * got for HOLD seconds, so another user can try the machine meanwhile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/file.h>
#include <parley/sys.h>
#include <parley/syscall.h>

#define HOLD_NS 8000000000ull
#define LINGER_NS 60000000000ull
#define STACK_SIZE 4096
#define ROOM_SIZE (256 * 1024) /* a big block: free gives its pages back to the group */
#define STACK_ROOM (32 * 1024)
#define MAX_TRIES 100000
#define SPARSE_REGION (16ull << 40)
#define SPARSE_TOUCHES 64 /* GiBs touched per round */
#define SPARSE_ROUNDS 256 /* 256 * 64 GiB: the whole region, each GiB once */

static void sleeper(void *arg)
{
    (void)arg;
    for (;;)
        sys_sleep(HOLD_NS);
}

/* One round of bomb sparse: round r touches GiBs [64r, 64r + 64) of the region. */
static long sparse_round(long round)
{
    char *block = (char *)sys_vm_reserve(SPARSE_REGION, VM_READ | VM_WRITE);
    if ((long)block < 0)
        return (long)block;
    for (long i = 0; i < SPARSE_TOUCHES; i++)
        block[(uint64_t)(round * SPARSE_TOUCHES + i) << 30] = 1;
    return sys_vm_release(block, SPARSE_REGION);
}

static int sparse(void)
{
    struct sysinfo before, after;
    long err = sparse_round(0); /* the first round grows the kernel heap's slabs */
    sys_sysinfo(&before);
    long round = 1;
    for (; err >= 0 && round < SPARSE_ROUNDS; round++)
        err = sparse_round(round);
    sys_sysinfo(&after);
    if (err < 0) {
        printf("bomb: sparse: round %ld: %s\n", round - 1, strerror((int)err));
        return 1;
    }
    printf("bomb: sparse: %ld rounds, frames free before/after %lu/%lu\n", round,
           (unsigned long)before.frames_free, (unsigned long)after.frames_free);
    return 0;
}

/* Makes STACK_ROOM bytes of the main thread's stack present. */
static __attribute__((noinline)) void touch_stack(void)
{
    volatile char below[STACK_ROOM];
    for (size_t i = 0; i < sizeof(below); i += 4096)
        below[i] = 0;
}

static long one(const char *kind)
{
    if (strcmp(kind, "threads") == 0) {
        char *stack = malloc(STACK_SIZE);
        if (stack == NULL)
            return -E_NOMEM;
        return sys_thread_create(sleeper, stack + STACK_SIZE, NULL);
    }
    if (strcmp(kind, "spawn") == 0) {
        const char *argv[] = {"bomb", "sleep", NULL};
        return spawn_path("/bin/bomb", argv, NULL, NULL, 0);
    }
    if (strcmp(kind, "reserve") == 0)
        return sys_vm_reserve(1ull << 30, VM_READ | VM_WRITE);
    return -E_INVAL;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bomb threads|spawn|reserve|memory|tables|sparse|linger\n");
        return 2;
    }
    if (strcmp(argv[1], "sleep") == 0 || strcmp(argv[1], "lingering") == 0) {
        sys_sleep(argv[1][0] == 's' ? HOLD_NS : LINGER_NS);
        return 0;
    }
    if (strcmp(argv[1], "linger") == 0) {
        const char *child[] = {"bomb", "lingering", NULL};
        long pid = spawn_path("/bin/bomb", child, NULL, NULL, 0);
        printf("bomb: linger: left pid %ld behind\n", pid);
        return pid > 0 ? 0 : 1;
    }
    if (strcmp(argv[1], "sparse") == 0)
        return sparse();
    if (strcmp(argv[1], "tables") == 0) {
        for (long n = 0;; n++) {
            char *block = (char *)sys_vm_reserve(1ull << 30, VM_READ | VM_WRITE);
            if ((long)block < 0) {
                printf("bomb: tables: %ld GiB, then %s\n", n, strerror((int)(long)block));
                return 1;
            }
            block[0] = 1;
        }
    }
    if (strcmp(argv[1], "memory") == 0) {
        size_t step = 1 << 20;
        for (size_t total = 0;; total += step) {
            char *block = (char *)sys_vm_reserve(step, VM_READ | VM_WRITE);
            if ((long)block < 0) {
                printf("bomb: memory: %zu MiB, then %s\n", total >> 20, strerror((int)(long)block));
                return 1;
            }
            for (size_t i = 0; i < step; i += 4096)
                block[i] = 1;
        }
    }
    /* Committed now and given back before the report (the report's stack is touched now too),
     * so the report is printed even when the group's pages ran out first. */
    void *room = malloc(ROOM_SIZE);
    touch_stack();
    long count = 0, err = 0, last = 0;
    while (count < MAX_TRIES && (err = one(argv[1])) >= 0) {
        last = err;
        count++;
    }
    if (strcmp(argv[1], "reserve") == 0 && count > 0)
        sys_vm_release((void *)last, 1ull << 30); /* room for stdio's own reservation */
    free(room);
    printf("bomb: %s: %ld, then %s\n", argv[1], count, err < 0 ? strerror((int)err) : "no limit");
    sys_sleep(HOLD_NS);
    return 0;
}
