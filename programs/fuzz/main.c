/*
 * fuzz [-n ITERATIONS] [-s SEED] [-t LANES]: random system calls, and a
 * check that the kernel gave back everything they took.
 *
 * The fuzzing itself runs in a child process (run.c) so that it can be
 * measured from outside: this process reads the kernel's counts
 * (SYS_SYSINFO), starts the child, waits for it to end and reads them
 * again. A first child that makes no calls warms up everything a run
 * leaves behind legitimately (this program's heap, the servers' caches)
 * before the "before" figures are taken. After the run the counts settle
 * for a moment (servers free a dead client's state when the kernel tells
 * them, IPC_TAG_CLOSED), so "after" is read until it is back or a few
 * seconds have passed. The rule, also in docs/reliability.md: threads,
 * processes exactly as before, kernel heap objects at most OBJECT_SLACK
 * above, free frames at most FRAME_SLACK below. The last line says what was seen:
 *
 *   fuzz: N calls, seed S, kernel objects before/after A/B, frames free before/after C/D
 *
 * The exit status is 0 when the rule held, 1 when something leaked, 2
 * when the fuzzing process did not end by itself (a fault in it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/file.h>
#include <parley/ipc_lib.h>
#include <parley/proto/console.h>
#include <parley/sys.h>

#include "fuzz.h"

/*
 * Frames a run may leave in use without counting as a leak: page tables
 * the servers keep for address space a client's regions passed through,
 * and slab pages holding a single live object after the run scattered
 * the heap.
 */
#define FRAME_SLACK 64
/*
 * Kernel objects come back exactly, but for one: a console keeps the
 * saved reply of a reader that died mid-read until the next key or read
 * on that console (servers/console/input.c), and the fuzzer reads its
 * console (handle 1).
 */
#define OBJECT_SLACK 1
#define SETTLE_NS 2000000000ull
#define DEFAULT_CALLS 10000
#define DEFAULT_LANES 4

static void usage(void)
{
    printf("usage: fuzz [-n ITERATIONS] [-s SEED] [-t LANES]\n");
    exit(64);
}

/*
 * A read-only copy of this namespace: the whole tree if "/" is a mount
 * (root's), else /bin, /tmp and the home directory (a user's "/" is only
 * the directory above their mounts). /bin/fuzz must be in it.
 */
static long read_only_namespace(void)
{
    static const char *const whole[] = {"/=/:ro"};
    long ns = ns_derive(whole, 1);
    if (ns >= 0)
        return ns;
    static char home[300];
    const char *dir = getenv("HOME");
    snprintf(home, sizeof(home), "%s=%s:ro", dir != NULL ? dir : "/tmp",
             dir != NULL ? dir : "/tmp");
    const char *const parts[] = {"/bin=/bin:ro", "/tmp=/tmp:ro", home};
    ns = ns_derive(parts, 3);
    if (ns >= 0)
        return ns;
    return ns_derive(parts, 1);
}

/*
 * Starts `fuzz --child` with copies of handles 1, 2 and 4 (console or
 * streams, auth) and, as handle 3, a read-only view of the namespace, so
 * random requests can read every file but change none. Returns its exit
 * status, or a negative error.
 */
static long run_child(uint64_t calls, uint64_t seed, uint32_t lanes)
{
    char n[24], s[24], t[24];
    snprintf(n, sizeof(n), "%llu", (unsigned long long)calls);
    snprintf(s, sizeof(s), "%llu", (unsigned long long)seed);
    snprintf(t, sizeof(t), "%u", lanes);
    const char *argv[] = {"fuzz", "--child", n, s, t, NULL};
    uint32_t handles[4];
    uint32_t count = 0;
    for (uint32_t h = 1; h <= 4; h++) {
        long info = handle_info(h);
        long copy = h == NS_HANDLE ? read_only_namespace()
                    : info < 0     ? info
                                   : handle_dup(h, (uint32_t)info & RIGHTS_ALL);
        if (copy < 0)
            break;
        handles[count++] = (uint32_t)copy;
    }
    long pid = spawn_path("/bin/fuzz", argv, NULL, handles, count);
    if (pid < 0) {
        for (uint32_t i = 0; i < count; i++)
            handle_close(handles[i]);
        return pid;
    }
    int status = 0;
    long err = sys_wait(pid, &status);
    return err < 0 ? err : status;
}

/*
 * The fuzzing process may have made one of its endpoints the console's
 * Ctrl-C target (CONSOLE_SET_INTERRUPT, any program may take Ctrl-C for
 * itself); the console holds it, and its badge count, until the shell
 * next arms or disarms. Disarming now gives them back before the counts
 * are read; the shell arms again for its next program. On a pipe or a
 * file the request is simply refused.
 */
static void disarm_interrupt(void)
{
    struct ipc_msg request = {.tag = CONSOLE_SET_INTERRUPT}, reply;
    ipc_request(1, &request, &reply, 100000000ull, NULL);
}

/* Back to `before`, allowing `objects` kernel objects and FRAME_SLACK frames more in use. */
static bool settled(const struct sysinfo *before, const struct sysinfo *now, uint64_t objects)
{
    return now->kernel_allocations <= before->kernel_allocations + objects &&
           now->threads == before->threads && now->processes == before->processes &&
           now->frames_free + FRAME_SLACK >= before->frames_free;
}

/*
 * The counts once they are exactly back to `before`, or as they are
 * after SETTLE_NS (then judged with OBJECT_SLACK).
 */
static void settle(const struct sysinfo *before, struct sysinfo *now)
{
    uint64_t end = time_now_ns() + SETTLE_NS;
    for (;;) {
        sys_sysinfo(now);
        if (settled(before, now, 0) || time_now_ns() > end)
            return;
        sys_sleep(20000000);
    }
}

/* The counts once they have stopped moving (the warm-up's end has been dealt with). */
static void steady(struct sysinfo *now)
{
    struct sysinfo last;
    sys_sysinfo(&last);
    uint64_t end = time_now_ns() + SETTLE_NS;
    for (int same = 0; same < 3 && time_now_ns() < end;) {
        sys_sleep(20000000);
        sys_sysinfo(now);
        bool moved = now->kernel_allocations != last.kernel_allocations ||
                     now->threads != last.threads || now->processes != last.processes ||
                     now->frames_free != last.frames_free;
        same = moved ? 0 : same + 1;
        last = *now;
    }
    *now = last;
}

static uint64_t number(const char *text)
{
    char *end;
    unsigned long long value = strtoull(text, &end, 0);
    if (*text == '\0' || *end != '\0')
        usage();
    return value;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--child") == 0)
        return fuzz_child_main(number(argv[2]), number(argv[3]), (uint32_t)number(argv[4]));
    if (argc == 3 && strcmp(argv[1], "--victim") == 0)
        return fuzz_victim_main(number(argv[2]));
    uint64_t calls = DEFAULT_CALLS, seed = 1, lanes = DEFAULT_LANES;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "-n") == 0)
            calls = number(argv[++i]);
        else if (strcmp(argv[i], "-s") == 0)
            seed = number(argv[++i]);
        else if (strcmp(argv[i], "-t") == 0)
            lanes = number(argv[++i]);
        else
            usage();
    }
    if (lanes == 0 || lanes > 8)
        usage();

    struct sysinfo before = {0}, after;
    long status = run_child(0, seed, (uint32_t)lanes); /* the warm-up */
    if (status == 0) {
        steady(&before);
        status = run_child(calls, seed, (uint32_t)lanes);
    }
    if (status < 0) {
        printf("fuzz: cannot start the fuzzing process: %s\n", error_string((int)status));
        return 2;
    }
    if (status != 0 && before.frames_total == 0) {
        printf("fuzz: the fuzzing process could not start (status %ld)\n", status);
        return 2;
    }
    if (status != 0)
        printf("fuzz: the fuzzing process ended with status %ld\n", status);
    disarm_interrupt();
    settle(&before, &after);
    bool ok = settled(&before, &after, OBJECT_SLACK);
    if (!ok)
        printf("fuzz: leak: threads before/after %llu/%llu, processes before/after %llu/%llu\n",
               (unsigned long long)before.threads, (unsigned long long)after.threads,
               (unsigned long long)before.processes, (unsigned long long)after.processes);
    /* After a newline: the fuzzing may have left text of its own on the line. */
    printf("\nfuzz: %llu calls, seed %llu, kernel objects before/after %llu/%llu, frames free "
           "before/after %llu/%llu\n",
           (unsigned long long)calls, (unsigned long long)seed,
           (unsigned long long)before.kernel_allocations,
           (unsigned long long)after.kernel_allocations, (unsigned long long)before.frames_free,
           (unsigned long long)after.frames_free);
    return status != 0 ? 2 : ok ? 0 : 1;
}
