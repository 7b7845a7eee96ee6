/*
 * The fuzzing process (`fuzz --child`): lanes, their threads, and the
 * threads that block.
 *
 * The main thread loads the program image (for victims), sets up the
 * lanes and then only supervises: whenever a lane has calls left and no
 * thread (it never had one, or its thread ended itself with
 * SYS_THREAD_EXIT), it starts one on the lane's stack. The lanes never
 * call malloc or printf, which are not thread-safe.
 *
 * Blockers are threads started by a lane's SYS_THREAD_CREATE that make
 * one long call (a receive, a call nobody answers, a console read, a
 * sleep, a wait) and are usually still inside it when the process ends:
 * the kernel has to end threads that are mid-call. When all lanes are
 * done the main thread kills and collects the lanes' victims and ends the
 * process with SYS_EXIT, blockers and all.
 */
#include <stdio.h>
#include <string.h>

#include <parley/file.h>
#include <parley/ipc_lib.h>
#include <parley/proto/console.h>
#include <parley/sys.h>

#include "fuzz.h"

#define MAX_LANES 8
#define BLOCKERS 8
#define BLOCKER_STACK (16u * 1024)

struct fuzz_world fuzz_world;

static struct lane lanes[MAX_LANES];

struct blocker {
    struct fuzz_call call;
    uint8_t *stack;
    volatile uint32_t busy;
};

static struct blocker blockers[BLOCKERS];

/* The thread entry for calls that must not start a real thread: it ends at once. */
__asm__(".text\n"
        ".global fuzz_exit_stub\n"
        "fuzz_exit_stub:\n\t"
        "mov $12, %eax\n\t" /* SYS_THREAD_EXIT */
        "syscall\n\t"
        "ud2\n");

/*
 * Marks the lane free and ends this thread. Between the store and the
 * `syscall` nothing touches the stack, so the supervisor may already
 * start the lane's next thread on it.
 */
_Noreturn void lane_exit(struct lane *l)
{
    uint64_t flags = fuzz_rflags(&l->rng);
    __asm__ volatile("push %[flags]\n\t"
                     "popfq\n\t"
                     "movl $0, %[running]\n\t"
                     "syscall"
                     : [running] "=m"(l->running)
                     : "a"((uint64_t)SYS_THREAD_EXIT), [flags] "r"(flags)
                     : "rcx", "r11", "memory");
    __builtin_unreachable();
}

static void lane_main(void *arg)
{
    struct lane *l = arg;
    while (l->left > 0) {
        l->left--;
        fuzz_one(l);
    }
    lane_exit(l);
}

static void blocker_main(void *arg)
{
    struct blocker *b = arg;
    fuzz_syscall(&b->call);
    __asm__ volatile("movl $0, %[busy]\n\t"
                     "syscall"
                     : [busy] "=m"(b->busy)
                     : "a"((uint64_t)SYS_THREAD_EXIT)
                     : "rcx", "r11", "memory");
    __builtin_unreachable();
}

/* One long call, mostly longer than the rest of the run. */
static void blocker_call(struct lane *l, struct fuzz_call *c)
{
    struct rng *g = &l->rng;
    uint64_t wait = 500000000ull + rng_below(g, 9500000000ull);
    memset(c, 0, sizeof(*c));
    c->timeout = wait;
    c->rflags = fuzz_rflags(g);
    switch (rng_below(g, 6)) {
    case 0: /* receive on one of the lane's endpoints */
        c->number = SYS_IPC_RECEIVE;
        c->arg[0] = l->handles[rng_below(g, LANE_HANDLES)];
        break;
    case 1: /* call one of them: another lane may answer, or end without answering */
        c->number = SYS_IPC_CALL;
        c->arg[0] = l->handles[rng_below(g, LANE_HANDLES)];
        c->arg[1] = rng_next(g) & 0xFFFF;
        break;
    case 2: /* a console read nobody will type for */
        c->number = SYS_IPC_CALL;
        c->arg[0] = 1;
        c->arg[1] = rng_chance(g, 50) ? CONSOLE_READ_KEY : CONSOLE_READ_LINE;
        c->arg[2] = rng_below(g, 4);
        break;
    case 3: /* a service, any message */
        c->number = SYS_IPC_CALL;
        c->arg[0] = 1 + rng_below(g, fuzz_world.inherited > 0 ? fuzz_world.inherited : 1);
        c->arg[1] = (1 + rng_below(g, 9)) << 8 | rng_below(g, 16);
        c->arg[2] = rng_below(g, 4096);
        break;
    case 4:
        c->number = SYS_SLEEP;
        c->arg[0] = wait;
        break;
    default: /* any child of ours: victims end within a second */
        c->number = SYS_WAIT;
        c->arg[0] = (uint64_t)-1;
    }
}

bool fuzz_start_blocker(struct lane *l)
{
    struct blocker *b = &blockers[rng_below(&l->rng, BLOCKERS)];
    if (b->stack == NULL || __atomic_exchange_n(&b->busy, 1, __ATOMIC_ACQUIRE) != 0)
        return false;
    blocker_call(l, &b->call);
    struct fuzz_call c = {
        .number = SYS_THREAD_CREATE,
        .arg = {(uint64_t)blocker_main, (uint64_t)b->stack + BLOCKER_STACK, (uint64_t)b},
        .rflags = fuzz_rflags(&l->rng)};
    if (fuzz_syscall(&c) < 0)
        b->busy = 0;
    return true;
}

/* The program image, read whole into a fresh region (victims are started from it). */
static long load_image(const char *path)
{
    long file = ns_open(path, FS_RIGHT_READ);
    if (file < 0)
        return file;
    struct fs_stat st;
    long err = fs_stat((uint32_t)file, &st);
    long image = err < 0 ? err : sys_vm_reserve(st.size, VM_READ | VM_WRITE);
    long got = image < 0 ? image : fs_read((uint32_t)file, 0, (void *)image, st.size);
    fs_close((uint32_t)file);
    if (got < 0)
        return got;
    fuzz_world.image = (const uint8_t *)image;
    fuzz_world.image_size = (size_t)got;
    return 0;
}

/* The handles 1..n the parent gave: services to talk to, and never to lose. */
static uint32_t count_inherited(void)
{
    uint32_t n = 0;
    while (n < 8 && handle_info(n + 1) >= 0)
        n++;
    return n;
}

static long reserve(size_t bytes)
{
    return sys_vm_reserve(bytes, VM_READ | VM_WRITE);
}

static long setup(uint64_t calls, uint64_t seed, uint32_t count)
{
    long err = load_image("/bin/fuzz");
    if (err < 0)
        return err;
    fuzz_world.inherited = count_inherited();
    for (uint32_t i = 0; i < count; i++) {
        struct lane *l = &lanes[i];
        l->index = i;
        l->rng.state = seed ^ (0xD1B54A32D192ED03ull * (i + 1));
        l->left = calls / count + (i < calls % count ? 1 : 0);
        long stack = reserve(LANE_STACK);
        long mutant = reserve(fuzz_world.image_size);
        if (stack < 0 || mutant < 0)
            return stack < 0 ? stack : mutant;
        l->stack = (uint8_t *)stack;
        l->mutant = (uint8_t *)mutant;
        memcpy(l->mutant, fuzz_world.image, fuzz_world.image_size);
    }
    for (int i = 0; i < BLOCKERS; i++) {
        long stack = reserve(BLOCKER_STACK);
        if (stack < 0)
            return stack;
        blockers[i].stack = (uint8_t *)stack;
    }
    return 0;
}

/* Starts a thread for every lane that has calls left and none; false once all are done. */
static bool supervise(uint32_t count)
{
    bool busy = false;
    for (uint32_t i = 0; i < count; i++) {
        struct lane *l = &lanes[i];
        if (l->running) {
            busy = true;
            continue;
        }
        if (l->left == 0)
            continue;
        busy = true;
        l->running = 1;
        if (sys_thread_create(lane_main, l->stack + LANE_STACK, l) < 0)
            l->running = 0; /* the group's thread limit, for now: next round */
    }
    return busy;
}

int fuzz_child_main(uint64_t calls, uint64_t seed, uint32_t count)
{
    if (count == 0 || count > MAX_LANES)
        count = MAX_LANES;
    long err = setup(calls, seed, count);
    if (err < 0) {
        printf("fuzz: cannot start: %s\n", error_string(err));
        return 1;
    }
    while (supervise(count))
        sys_sleep(1000000);
    for (uint32_t i = 0; i < count; i++)
        for (int j = 0; j < LANE_CHILDREN; j++)
            if (lanes[i].children[j] != 0) {
                int status;
                sys_kill(lanes[i].children[j]);
                sys_wait(lanes[i].children[j], &status);
            }
    sys_exit(0); /* the blockers end mid-call */
}
