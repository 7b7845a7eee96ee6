/*
 * fuzz: random system calls against the kernel, from an ordinary user's
 * shell (docs/reliability.md explains the design and the leak rule).
 *
 * `fuzz -n N -s SEED` measures the kernel's counts, runs the fuzzing in a
 * child process (main.c), waits for it, and compares. The child
 * (`fuzz --child`, run.c) splits the N calls over a few lanes: each lane
 * is a stream of calls drawn from its own generator and run by one thread
 * at a time; a lane's thread may end itself (SYS_THREAD_EXIT) and the
 * child's main thread starts a new one where it stopped. calls.c picks a
 * call and its arguments (args.c: pointers, lengths, handles); raw.c
 * enters the kernel with random RFLAGS. Processes the fuzzer starts run
 * `fuzz --victim` (victim.c) and end, or are killed, while mid-call.
 *
 * Lanes share nothing but the process: each keeps its own handles,
 * regions and children, so the calls a lane makes depend only on the seed
 * and on what the kernel answered it.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <parley/ipc.h>

/* splitmix64: small, fast, and every seed (0 included) gives a full-period stream. */
struct rng {
    uint64_t state;
};

static inline uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A number in [0, n); 0 when n is 0. */
static inline uint64_t rng_below(struct rng *r, uint64_t n)
{
    return n == 0 ? 0 : rng_next(r) % n;
}

/* True percent times in a hundred. */
static inline bool rng_chance(struct rng *r, unsigned percent)
{
    return rng_below(r, 100) < percent;
}

/* One system call as the CPU sees it: the registers it reads, and RFLAGS. */
struct fuzz_call {
    uint64_t number;  /* rax */
    uint64_t arg[6];  /* rdi, rsi, rdx, r10, r8, r9; IPC calls write the message back here */
    uint64_t timeout; /* r12 (IPC) */
    uint64_t extra;   /* r13 (IPC): struct ipc_extra * */
    uint64_t rflags;  /* loaded with popfq just before `syscall` */
    uint64_t rsp;     /* 0: the thread's own stack; otherwise rsp during the call */
};

/* Enters the kernel with c's registers and flags; returns rax. */
long fuzz_syscall(struct fuzz_call *c);

/* The RFLAGS bits ring 3 may set (and IF, IOPL, which popfq silently ignores there). */
uint64_t fuzz_rflags(struct rng *r);

#define LANE_HANDLES 16
#define LANE_REGIONS 8
#define LANE_CHILDREN 4
#define LANE_SCRATCH 8192
#define LANE_STACK (64u * 1024)

struct region {
    uint64_t start, length; /* length 0: a free slot */
};

/* One stream of calls; see the top of this file. */
struct lane {
    _Alignas(4096) uint8_t scratch[LANE_SCRATCH]; /* memory the kernel may read and write */
    struct ipc_extra extra;                       /* the IPC calls' usual r13 */
    struct rng rng;
    uint64_t left;                       /* calls still to make */
    uint32_t handles[LANE_HANDLES];      /* handles it made or received; 0: free */
    struct region regions[LANE_REGIONS]; /* regions it reserved or received */
    uint64_t released;                   /* start of the region it released last */
    uint32_t children[LANE_CHILDREN];    /* pids of the victims it started; 0: free */
    uint8_t *stack;                      /* its thread's stack */
    uint8_t *mutant;                     /* a copy of the program image to damage */
    volatile uint32_t running;           /* a thread runs it; cleared by the exiting thread */
    uint32_t index;
};

/* What every lane sees: the program image (to start victims) and the protected handles. */
struct fuzz_world {
    const uint8_t *image;
    size_t image_size;
    uint32_t inherited; /* handles 1..inherited came from the parent: kept, never moved */
};

extern struct fuzz_world fuzz_world;

/* Makes one random call for the lane (calls.c). */
void fuzz_one(struct lane *l);

/* Argument generators (args.c). `writes`: the kernel may write there, so no live memory. */
uint64_t gen_pointer(struct lane *l, size_t bytes, bool writes);
uint64_t gen_length(struct lane *l);
uint64_t gen_handle(struct lane *l);
uint64_t gen_handle_to_give(struct lane *l); /* never one of the inherited handles */
uint64_t gen_rights(struct lane *l);
uint64_t gen_timeout(struct lane *l);
uint64_t gen_word(struct lane *l);
uint64_t gen_pid(struct lane *l);
void gen_extra(struct lane *l, struct ipc_extra *e);

/* Bookkeeping of what a lane holds (args.c). */
void lane_keep_handle(struct lane *l, long handle);
void lane_keep_region(struct lane *l, uint64_t start, uint64_t length);
void lane_keep_child(struct lane *l, long pid);
void lane_take_received(struct lane *l, const struct ipc_extra *e);
bool fuzz_protected(uint64_t handle);

/* Threads that block in a call until the process ends (run.c). */
bool fuzz_start_blocker(struct lane *l);

/* Ends the lane's thread with SYS_THREAD_EXIT, leaving the lane to a new one (run.c). */
_Noreturn void lane_exit(struct lane *l);

/* A thread entry that ends at once and never touches its stack (run.c). */
void fuzz_exit_stub(void);

/* `fuzz --child` and `fuzz --victim` (run.c, victim.c). */
int fuzz_child_main(uint64_t calls, uint64_t seed, uint32_t lanes);
int fuzz_victim_main(uint64_t seed);

#endif
