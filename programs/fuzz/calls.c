/*
 * One random system call: which one (by weight), with what arguments, and
 * what the lane keeps from the answer.
 *
 * Every call in <parley/syscall.h> is made except those that would end
 * the fuzzer legitimately or block it for good: SYS_EXIT (only victims
 * and the child's last act use it), SYS_KILL of itself or of processes
 * not its own, IPC_FOREVER (every wait has a timeout, and SYS_WAIT waits
 * only for victims, which end by themselves). Numbers past the table are
 * tried too. A call's arguments come
 * from args.c; the lane's RFLAGS and now and then its stack pointer are
 * random (raw.c).
 */
#include <string.h>

#include <parley/proto/base.h>
#include <parley/syscall.h>

#include "fuzz.h"

/* Fills in the parts every call shares, makes the call, returns rax. */
static long make(struct lane *l, struct fuzz_call *c)
{
    c->rflags = fuzz_rflags(&l->rng);
    /* A wild rsp: the kernel must neither read nor write the user stack. */
    if (rng_chance(&l->rng, 3))
        c->rsp = rng_chance(&l->rng, 50) ? rng_next(&l->rng) : gen_pointer(l, 8, true);
    return fuzz_syscall(c);
}

static void call_args(struct lane *l, uint64_t number, int count)
{
    struct fuzz_call c = {.number = number};
    for (int i = 0; i < count; i++)
        c.arg[i] = gen_word(l);
    make(l, &c);
}

static void call_log(struct lane *l)
{
    struct fuzz_call c = {.number = SYS_LOG};
    c.arg[0] = gen_pointer(l, 64, false);
    /* Short texts mostly: each is a line on the serial port. */
    c.arg[1] = rng_chance(&l->rng, 60) ? gen_length(l) : rng_below(&l->rng, 24);
    if (c.arg[0] == (uint64_t)l->scratch && rng_chance(&l->rng, 50))
        memcpy(l->scratch, "fuzz\n\r\x1b[2J\tline\0", 16); /* control bytes, a NUL */
    make(l, &c);
}

static void call_sleep(struct lane *l)
{
    struct fuzz_call c = {.number = SYS_SLEEP};
    c.arg[0] = rng_chance(&l->rng, 80) ? rng_below(&l->rng, 1000) : rng_below(&l->rng, 3000000);
    make(l, &c);
}

/* argv (and environment) in the lane's scratch: "fuzz-victim --victim SEED". */
static uint64_t victim_argv(struct lane *l, bool env)
{
    uint64_t *vector = (uint64_t *)l->scratch;
    char *text = (char *)l->scratch + 128;
    strcpy(text, "fuzz-victim");
    strcpy(text + 16, "--victim");
    uint64_t seed = rng_next(&l->rng) & 0xFFFFFFF;
    char *digits = text + 32;
    int n = 0;
    do {
        digits[n++] = (char)('0' + seed % 10);
        seed /= 10;
    } while (seed != 0);
    digits[n] = '\0';
    for (int i = 0; i < n / 2; i++) {
        char t = digits[i];
        digits[i] = digits[n - 1 - i];
        digits[n - 1 - i] = t;
    }
    strcpy(text + 64, "FUZZ=1");
    vector[0] = (uint64_t)text;
    vector[1] = (uint64_t)(text + 16);
    vector[2] = (uint64_t)digits;
    vector[3] = 0;
    vector[4] = env ? (uint64_t)(text + 64) : 0;
    vector[5] = 0;
    return (uint64_t)vector;
}

static uint64_t spawn_flags(struct lane *l)
{
    switch (rng_below(&l->rng, 8)) {
    case 0:
        return SPAWN_GROUP;
    case 1:
        return SPAWN_DRIVER_PRIORITY; /* refused: we are not init */
    case 2:
        return SPAWN_AS_UID(rng_next(&l->rng)); /* refused unless we run as root */
    case 3:
        return rng_next(&l->rng);
    default:
        return 0;
    }
}

/*
 * Spawns: a wholly random one, a victim (our own image, some of our
 * handles moved to it), or our image with a few header bytes damaged,
 * which the ELF loader must refuse or load safely. A damaged one that
 * loads could run anything, so it is killed at once.
 */
static void call_spawn(struct lane *l)
{
    struct rng *g = &l->rng;
    struct fuzz_call c = {.number = SYS_SPAWN};
    unsigned kind = (unsigned)rng_below(g, 10);
    uint32_t *handles = (uint32_t *)(l->scratch + 512);
    uint32_t count = (uint32_t)rng_below(g, 3);
    for (uint32_t i = 0; i < 4; i++)
        handles[i] = (uint32_t)gen_handle_to_give(l);
    if (kind < 4) {
        c.arg[0] = gen_pointer(l, 4096, false);
        c.arg[1] = gen_length(l);
        c.arg[2] = rng_chance(g, 50) ? victim_argv(l, false) : gen_pointer(l, 64, false);
        c.arg[3] = rng_chance(g, 50) ? (uint64_t)handles : gen_pointer(l, 16, false);
        c.arg[4] = rng_chance(g, 80) ? count : gen_length(l);
        c.arg[5] = spawn_flags(l);
        lane_keep_child(l, make(l, &c));
        return;
    }
    uint64_t flags = spawn_flags(l) | (rng_chance(g, 30) ? SPAWN_ENV : 0);
    c.arg[2] = victim_argv(l, (flags & SPAWN_ENV) != 0);
    c.arg[3] = (uint64_t)handles;
    c.arg[4] = count;
    c.arg[5] = flags;
    c.arg[0] = (uint64_t)fuzz_world.image;
    c.arg[1] = fuzz_world.image_size;
    if (kind < 8 || l->mutant == NULL) {
        lane_keep_child(l, make(l, &c));
        return;
    }
    /* Damage: bytes of the ELF and program headers, or a shorter image. */
    uint8_t saved[8];
    uint32_t where[8];
    unsigned damaged = 1 + (unsigned)rng_below(g, 8);
    for (unsigned i = 0; i < damaged; i++) {
        where[i] = (uint32_t)rng_below(g, 64 + 56 * 4);
        saved[i] = l->mutant[where[i]];
        l->mutant[where[i]] = (uint8_t)rng_next(g);
    }
    c.arg[0] = (uint64_t)l->mutant;
    if (rng_chance(g, 20))
        c.arg[1] = rng_below(g, fuzz_world.image_size);
    long pid = make(l, &c);
    for (unsigned i = damaged; i-- > 0;)
        l->mutant[where[i]] = saved[i];
    if (pid > 0) {
        int status;
        struct fuzz_call kill = {.number = SYS_KILL, .arg = {(uint64_t)pid}};
        struct fuzz_call wait = {.number = SYS_WAIT, .arg = {(uint64_t)pid, (uint64_t)&status}};
        fuzz_syscall(&kill);
        fuzz_syscall(&wait);
    }
}

static void call_wait_kill(struct lane *l, uint64_t number)
{
    struct fuzz_call c = {.number = number};
    c.arg[0] = gen_pid(l);
    c.arg[1] = number == SYS_WAIT ? gen_pointer(l, 4, true) : gen_word(l);
    long result = make(l, &c);
    if (number == SYS_WAIT && result > 0)
        for (int i = 0; i < LANE_CHILDREN; i++)
            if (l->children[i] == (uint64_t)result)
                l->children[i] = 0;
}

static void call_reserve(struct lane *l)
{
    struct fuzz_call c = {.number = SYS_VM_RESERVE};
    uint64_t length = gen_length(l);
    /* Regions of every size: a page up to 64 TiB, mostly as asked. */
    if (rng_chance(&l->rng, 50))
        length = 4096ull << rng_below(&l->rng, 34);
    c.arg[0] = length;
    c.arg[1] = rng_chance(&l->rng, 85) ? rng_below(&l->rng, 4) : rng_next(&l->rng);
    long address = make(l, &c);
    if (address > 0)
        lane_keep_region(l, (uint64_t)address, (length + 4095) & ~4095ull);
}

/* Releases one of the lane's regions, exactly or not, or anything else. */
static void call_release(struct lane *l)
{
    struct fuzz_call c = {.number = SYS_VM_RELEASE};
    struct region *r = &l->regions[rng_below(&l->rng, LANE_REGIONS)];
    bool exact = r->length != 0 && rng_chance(&l->rng, 70);
    if (exact) {
        c.arg[0] = r->start;
        c.arg[1] = rng_chance(&l->rng, 90) ? r->length : r->length - 1; /* rounded up: the same */
    } else {
        c.arg[0] = r->length != 0 ? r->start + 4096 * rng_below(&l->rng, 3) : gen_word(l);
        c.arg[1] = gen_length(l);
        if (c.arg[0] == (uint64_t)l->stack || c.arg[0] == (uint64_t)fuzz_world.image)
            c.arg[0] += 8; /* memory the fuzzer lives on is never released on purpose */
    }
    if (make(l, &c) == 0) {
        l->released = c.arg[0];
        if (exact)
            r->length = 0;
    }
}

/* Makes pages of one of the lane's regions present, or of anything else. */
static void call_commit(struct lane *l)
{
    struct fuzz_call c = {.number = SYS_VM_COMMIT};
    struct region *r = &l->regions[rng_below(&l->rng, LANE_REGIONS)];
    if (r->length != 0 && rng_chance(&l->rng, 80)) {
        uint64_t pages = r->length / 4096;
        uint64_t first = rng_below(&l->rng, pages);
        c.arg[0] =
            r->start + 4096 * first + (rng_chance(&l->rng, 20) ? rng_below(&l->rng, 4096) : 0);
        c.arg[1] = rng_chance(&l->rng, 90) ? 4096 * (1 + rng_below(&l->rng, 64)) : gen_length(l);
    } else {
        c.arg[0] = rng_chance(&l->rng, 50) ? (uint64_t)l->stack - 4096 : gen_word(l);
        c.arg[1] = gen_length(l);
    }
    make(l, &c);
}

/*
 * Process handles: made for the lane's children or for pids that are
 * not its own, and ending whatever a handle number names (a child, a
 * child's group, or an object that is no process at all); and the
 * limits of the groups the lane's victims start.
 */
static void call_proc(struct lane *l)
{
    struct fuzz_call c;
    if (rng_chance(&l->rng, 25)) { /* limits for the groups its victims may start */
        c = (struct fuzz_call){.number = SYS_GROUP_LIMIT, .arg = {rng_below(&l->rng, 6)}};
        c.arg[1] = rng_chance(&l->rng, 70) ? rng_below(&l->rng, 300) : gen_word(l);
        make(l, &c);
        return;
    }
    if (rng_chance(&l->rng, 50)) {
        c = (struct fuzz_call){.number = SYS_PROC_HANDLE, .arg = {gen_pid(l)}};
        lane_keep_handle(l, make(l, &c));
        return;
    }
    c = (struct fuzz_call){.number = SYS_PROC_END, .arg = {gen_handle(l)}};
    c.arg[1] = rng_chance(&l->rng, 80) ? rng_below(&l->rng, 2) * PROC_END_GROUP : rng_next(&l->rng);
    make(l, &c);
}

static void call_thread_create(struct lane *l)
{
    if (rng_chance(&l->rng, 15) && fuzz_start_blocker(l))
        return;
    struct fuzz_call c = {.number = SYS_THREAD_CREATE};
    /* The stub never touches its stack, so any stack is safe to give it. */
    c.arg[0] = rng_chance(&l->rng, 70) ? (uint64_t)fuzz_exit_stub : gen_pointer(l, 1, true);
    if (c.arg[0] != (uint64_t)fuzz_exit_stub && c.arg[0] >= 0x10000 && c.arg[0] < 0x800000000000ull)
        c.arg[0] = 0x800000000000ull; /* a random user address would be run */
    c.arg[1] = rng_chance(&l->rng, 50) ? gen_pointer(l, 8, true) & ~15ull : gen_word(l);
    c.arg[2] = gen_word(l);
    make(l, &c);
}

/* What the parent's handles speak (main.c): console, console, namespace, auth. */
static uint64_t protocol_of(uint64_t handle)
{
    static const uint8_t protocols[] = {PROTO_FS, PROTO_CONSOLE, PROTO_CONSOLE, PROTO_NS,
                                        PROTO_AUTH};
    uint32_t h = (uint32_t)handle;
    return h < sizeof(protocols) ? protocols[h] : PROTO_FS;
}

/* w0 = a length near the text's, w1..w3 = a path or a name, as requests carry them inline. */
static void inline_text(struct lane *l, struct fuzz_call *c)
{
    static const char *const texts[] = {"/bin/fuzz", "/",           "..",
                                        "/tmp",      "/etc/passwd", "/bin=/bin:ro",
                                        "alice",     "/home/alice", "/../../etc/shadow",
                                        "a//b/./c",  "/tmp/fuzz",   "/nowhere/at/all/really"};
    const char *text = texts[rng_below(&l->rng, sizeof(texts) / sizeof(texts[0]))];
    uint64_t words[3] = {0, 0, 0};
    size_t length = strlen(text);
    memcpy(words, text, length < sizeof(words) ? length : sizeof(words));
    c->arg[2] = length + rng_below(&l->rng, 3) - 1 + (rng_chance(&l->rng, 10) ? 1000 : 0);
    c->arg[3] = words[0];
    c->arg[4] = words[1];
    c->arg[5] = words[2];
}

static void call_ipc(struct lane *l, uint64_t number)
{
    struct rng *g = &l->rng;
    struct fuzz_call c = {.number = number};
    /* Services (handles 1..inherited) and the lane's own endpoints, mostly. */
    if (number == SYS_IPC_REPLY && rng_chance(g, 50))
        c.arg[0] = 0;
    else if (rng_chance(g, 35) && fuzz_world.inherited > 0)
        c.arg[0] = 1 + rng_below(g, fuzz_world.inherited);
    else
        c.arg[0] = gen_handle(l);
    switch (rng_below(g, 8)) {
    case 0:
        c.arg[1] = rng_next(g);
        break;
    case 1:
        c.arg[1] = IPC_TAG_KERNEL + rng_below(g, 4); /* the kernel's own tags, forged */
        break;
    case 2:
    case 3: /* any protocol's message number, or one just past */
        c.arg[1] = (1 + rng_below(g, 9)) << 8 | rng_below(g, 16);
        break;
    default: /* the protocol that handle speaks, or the files it hands out */
        c.arg[1] = protocol_of(c.arg[0]) << 8 | (1 + rng_below(g, 13));
    }
    for (int i = 2; i < 6; i++)
        c.arg[i] = gen_word(l);
    if (rng_chance(g, 40)) /* a request's usual shape: w0 a length, w1..w3 text */
        inline_text(l, &c);
    c.timeout = gen_timeout(l);
    if (rng_chance(g, 70)) {
        gen_extra(l, &l->extra);
        c.extra = (uint64_t)&l->extra;
    } else {
        c.extra = rng_chance(g, 30) ? 0 : gen_pointer(l, sizeof(struct ipc_extra), true);
    }
    long result = make(l, &c);
    if (result == 0 && c.extra == (uint64_t)&l->extra && number != SYS_IPC_SEND &&
        number != SYS_IPC_REPLY)
        lane_take_received(l, &l->extra);
}

static void call_handle(struct lane *l, uint64_t number)
{
    struct fuzz_call c = {.number = number};
    c.arg[0] = number == SYS_HANDLE_CLOSE ? gen_handle_to_give(l) : gen_handle(l);
    c.arg[1] = gen_rights(l);
    c.arg[2] = rng_chance(&l->rng, 70) ? 1 + rng_below(&l->rng, 1000) : rng_next(&l->rng);
    long result = make(l, &c);
    if (number == SYS_HANDLE_DUP || number == SYS_HANDLE_MINT || number == SYS_ENDPOINT_CREATE ||
        number == SYS_REPLY_SAVE || number == SYS_CAP_DERIVE)
        lane_keep_handle(l, result);
    if (number == SYS_HANDLE_CLOSE && result == 0)
        for (int i = 0; i < LANE_HANDLES; i++)
            if (l->handles[i] == (uint32_t)c.arg[0])
                l->handles[i] = 0;
}

/* Calls that take a pointer the kernel writes: sysinfo, random, proc_info, dma_alloc. */
static void call_out(struct lane *l, uint64_t number)
{
    struct fuzz_call c = {.number = number};
    switch (number) {
    case SYS_SYSINFO:
        c.arg[0] = gen_pointer(l, sizeof(struct sysinfo), true);
        break;
    case SYS_RANDOM:
        c.arg[1] = rng_chance(&l->rng, 70) ? rng_below(&l->rng, 300) : gen_length(l);
        c.arg[0] = gen_pointer(l, c.arg[1] < 4096 ? c.arg[1] : 4096, true);
        break;
    case SYS_PROC_INFO:
        c.arg[0] = rng_chance(&l->rng, 70) ? rng_below(&l->rng, 40) : gen_word(l);
        c.arg[1] = gen_pointer(l, sizeof(struct proc_info), true);
        break;
    default: /* SYS_DMA_ALLOC */
        c.arg[0] = gen_handle(l);
        c.arg[1] = gen_length(l);
        c.arg[2] = gen_pointer(l, 8, true);
    }
    make(l, &c);
}

enum pick {
    PICK_QUIET, /* null, yield, getpid */
    PICK_LOG,
    PICK_SLEEP,
    PICK_SPAWN,
    PICK_WAIT,
    PICK_KILL,
    PICK_RESERVE,
    PICK_RELEASE,
    PICK_THREAD,
    PICK_THREAD_EXIT,
    PICK_OUT,
    PICK_SEND,
    PICK_RECEIVE,
    PICK_CALL,
    PICK_REPLY,
    PICK_REPLY_RECEIVE,
    PICK_HANDLE,
    PICK_HARDWARE,
    PICK_UID,
    PICK_NOSYS,
    PICK_COMMIT,
    PICK_PROC,
    PICKS
};

/* Out of 1000. IPC and handles weigh most: that is where the kernel keeps state. */
static const uint16_t weights[PICKS] = {
    [PICK_QUIET] = 30,   [PICK_LOG] = 8,         [PICK_SLEEP] = 15,   [PICK_SPAWN] = 12,
    [PICK_WAIT] = 15,    [PICK_KILL] = 15,       [PICK_RESERVE] = 60, [PICK_RELEASE] = 50,
    [PICK_THREAD] = 30,  [PICK_THREAD_EXIT] = 5, [PICK_OUT] = 60,     [PICK_SEND] = 90,
    [PICK_RECEIVE] = 80, [PICK_CALL] = 120,      [PICK_REPLY] = 60,   [PICK_REPLY_RECEIVE] = 60,
    [PICK_HANDLE] = 230, [PICK_HARDWARE] = 40,   [PICK_UID] = 10,     [PICK_NOSYS] = 10,
    [PICK_COMMIT] = 30,  [PICK_PROC] = 20,
};

static enum pick choose(struct rng *g)
{
    unsigned total = 0;
    for (int i = 0; i < PICKS; i++)
        total += weights[i];
    unsigned at = (unsigned)rng_below(g, total);
    for (int i = 0; i < PICKS; i++) {
        if (at < weights[i])
            return (enum pick)i;
        at -= weights[i];
    }
    return PICK_QUIET;
}

void fuzz_one(struct lane *l)
{
    static const uint64_t quiet[] = {SYS_NULL, SYS_YIELD, SYS_GETPID};
    static const uint64_t handle_calls[] = {
        SYS_ENDPOINT_CREATE, SYS_ENDPOINT_CREATE, SYS_HANDLE_DUP,   SYS_HANDLE_DUP,
        SYS_HANDLE_MINT,     SYS_HANDLE_MINT,     SYS_HANDLE_CLOSE, SYS_HANDLE_CLOSE,
        SYS_HANDLE_INFO,     SYS_REPLY_SAVE};
    static const uint64_t hardware[] = {SYS_TRACE_SET, SYS_CAP_DERIVE, SYS_IOPORT_ENABLE,
                                        SYS_IRQ_BIND,  SYS_IRQ_ACK,    SYS_PHYS_MAP};
    static const uint64_t out[] = {SYS_SYSINFO, SYS_RANDOM, SYS_PROC_INFO, SYS_DMA_ALLOC};
    struct rng *g = &l->rng;
    switch (choose(g)) {
    case PICK_QUIET:
        call_args(l, quiet[rng_below(g, 3)], 6);
        break;
    case PICK_LOG:
        call_log(l);
        break;
    case PICK_SLEEP:
        call_sleep(l);
        break;
    case PICK_SPAWN:
        call_spawn(l);
        break;
    case PICK_WAIT:
        call_wait_kill(l, SYS_WAIT);
        break;
    case PICK_KILL:
        call_wait_kill(l, SYS_KILL);
        break;
    case PICK_RESERVE:
        call_reserve(l);
        break;
    case PICK_RELEASE:
        call_release(l);
        break;
    case PICK_THREAD:
        call_thread_create(l);
        break;
    case PICK_THREAD_EXIT:
        lane_exit(l);
    case PICK_OUT:
        call_out(l, out[rng_below(g, 4)]);
        break;
    case PICK_SEND:
        call_ipc(l, SYS_IPC_SEND);
        break;
    case PICK_RECEIVE:
        call_ipc(l, SYS_IPC_RECEIVE);
        break;
    case PICK_CALL:
        call_ipc(l, SYS_IPC_CALL);
        break;
    case PICK_REPLY:
        call_ipc(l, SYS_IPC_REPLY);
        break;
    case PICK_REPLY_RECEIVE:
        call_ipc(l, SYS_IPC_REPLY_RECEIVE);
        break;
    case PICK_HANDLE:
        call_handle(l, handle_calls[rng_below(g, 10)]);
        break;
    case PICK_HARDWARE:
        call_handle(l, hardware[rng_below(g, 6)]);
        break;
    case PICK_UID: {
        struct fuzz_call c = {.number = SYS_SET_UID, .arg = {gen_pid(l), gen_word(l)}};
        make(l, &c);
        break;
    }
    case PICK_COMMIT:
        call_commit(l);
        break;
    case PICK_PROC:
        call_proc(l);
        break;
    case PICK_NOSYS:
        call_args(l, SYS_COUNT + (rng_chance(g, 50) ? rng_below(g, 64) : rng_next(g) >> 1), 6);
        break;
    default:
        break;
    }
}
