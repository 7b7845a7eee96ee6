/*
 * Arguments for random system calls, and what a lane holds.
 *
 * Each generator mixes values that must be refused (kernel and
 * non-canonical addresses, the edges of the user half, huge lengths,
 * handles that do not exist) with semi-valid ones the kernel has to get
 * right: pointers into the lane's own memory and its regions, across their
 * ends into guard pages, handles the lane really holds. A pointer the
 * kernel may write through never points at live memory (the stack, the
 * lane bookkeeping, the program): only the lane's scratch and regions,
 * read-only pages (which must give -E_FAULT) and unmapped space.
 */
#include <parley/syscall.h>

#include "fuzz.h"

static const uint64_t bad_addresses[] = {
    0x1,
    0xFFF,
    0xFFFF,                /* just below the user half */
    0x7FFFFFFFF000ull,     /* the user half's last page */
    0x7FFFFFFFFFF8ull,     /* 8 bytes before its end */
    0x7FFFFFFFFFFFull,     /* its last byte */
    0x800000000000ull,     /* the first non-canonical address */
    0x0000FFFFFFFFFFFFull, /* non-canonical */
    0x8000000000000000ull, /* non-canonical */
    0xFFFF800000000000ull, /* the kernel half's first byte */
    0xFFFFFFFF80000000ull, /* kernel text */
    0xFFFFFFFFFFFFF000ull, /* the last page */
    0xFFFFFFFFFFFFFFFFull,
    TIME_PAGE_ADDRESS,     /* read-only */
    TIME_PAGE_ADDRESS - 8, /* straddles into it */
    0x100000000000ull,     /* the start of the reservation window */
    0x4FFFFFFFF000ull,     /* its last page */
};

#define BAD_COUNT (sizeof(bad_addresses) / sizeof(bad_addresses[0]))

static uint64_t region_pointer(struct lane *l, size_t bytes)
{
    struct region *r = &l->regions[rng_below(&l->rng, LANE_REGIONS)];
    if (r->length == 0)
        return l->released != 0 ? l->released : (uint64_t)l->scratch;
    switch (rng_below(&l->rng, 5)) {
    case 0:
        return r->start;
    case 1:
        return r->start - 8; /* from the guard page below */
    case 2:
        return r->start + r->length - (bytes > 1 ? bytes / 2 : 1); /* into the guard above */
    case 3:
        return r->start + r->length;
    default: /* somewhere inside, on the first few pages so touching stays cheap */
        return r->start + rng_below(&l->rng, r->length < 65536 ? r->length : 65536);
    }
}

uint64_t gen_pointer(struct lane *l, size_t bytes, bool writes)
{
    struct rng *g = &l->rng;
    size_t room = bytes < LANE_SCRATCH ? LANE_SCRATCH - bytes : 0;
    switch (rng_below(g, writes ? 10 : 12)) {
    case 0:
        return 0;
    case 1:
    case 2:
    case 3:
        return (uint64_t)l->scratch + rng_below(g, room + 1);
    case 4:
    case 5:
        return region_pointer(l, bytes);
    case 6:
        return bad_addresses[rng_below(g, BAD_COUNT)];
    case 7:
        return ((uint64_t)fuzz_one & ~4095ull) + rng_below(g, 8192); /* code: read-only */
    case 8:
        return rng_next(g); /* anything, almost always non-canonical */
    case 9:
        return rng_next(g) &
               0x7FFFFFFFFFFFull; /* anything in the user half, almost always unmapped */
    case 10:
        return (uint64_t)&l; /* the stack: read only */
    default:
        return (uint64_t)&fuzz_world; /* the program's data: read only */
    }
}

uint64_t gen_length(struct lane *l)
{
    struct rng *g = &l->rng;
    switch (rng_below(g, 12)) {
    case 0:
        return 0;
    case 1:
        return 1;
    case 2:
        return rng_below(g, 64);
    case 3:
        return rng_below(g, 4097);
    case 4:
        return 4095 + rng_below(g, 3);
    case 5:
        return rng_below(g, 1u << 20);
    case 6:
        return 1ull << (32 + rng_below(g, 32)); /* 4 GiB to 2^63 */
    case 7:
        return UINT64_MAX - rng_below(g, 8192); /* wraps any start */
    case 8:
        return 0x7FFFFFFFFFFFull - rng_below(g, 4096);
    case 9:
        return (1ull << 46) + rng_below(g, 3) - 1; /* around the 64 TiB limit */
    default:
        return rng_next(g);
    }
}

bool fuzz_protected(uint64_t handle)
{
    uint32_t low = (uint32_t)handle; /* however the kernel reads it */
    return low >= 1 && low <= fuzz_world.inherited;
}

uint64_t gen_handle(struct lane *l)
{
    struct rng *g = &l->rng;
    switch (rng_below(g, 10)) {
    case 0:
        return 0;
    case 1:
    case 2:
        return 1 + rng_below(g, 6); /* what the parent gave, and the numbers after */
    case 3:
    case 4:
    case 5:
    case 6:
        return l->handles[rng_below(g, LANE_HANDLES)];
    case 7:
        return rng_below(g, 1024);
    case 8:
        return rng_next(g) & 0xFFFFFFFFull;
    default:
        return rng_next(g); /* high bits set */
    }
}

/* A handle for a call that closes or moves it: never one the fuzzer needs to keep. */
uint64_t gen_handle_to_give(struct lane *l)
{
    uint64_t h = gen_handle(l);
    return fuzz_protected(h) ? l->handles[rng_below(&l->rng, LANE_HANDLES)] : h;
}

uint64_t gen_rights(struct lane *l)
{
    struct rng *g = &l->rng;
    switch (rng_below(g, 4)) {
    case 0:
        return RIGHTS_ALL;
    case 1:
        return rng_next(g);
    default:
        return rng_below(g, 0x40);
    }
}

/*
 * Mostly IPC_POLL: a wait that times out lasts until the next tick (10 ms),
 * so long waits are kept for the blocker threads. Never IPC_FOREVER.
 */
uint64_t gen_timeout(struct lane *l)
{
    struct rng *g = &l->rng;
    unsigned pick = (unsigned)rng_below(g, 100);
    if (pick < 75)
        return IPC_POLL;
    if (pick < 97)
        return 1 + rng_below(g, 1000000);
    return 1 + rng_below(g, 30000000);
}

/* A message word or argument: small numbers, lengths, pointers or noise. */
uint64_t gen_word(struct lane *l)
{
    switch (rng_below(&l->rng, 4)) {
    case 0:
        return rng_below(&l->rng, 256);
    case 1:
        return gen_length(l);
    case 2:
        return gen_pointer(l, 64, false);
    default:
        return rng_next(&l->rng);
    }
}

/*
 * A pid for SYS_KILL, SYS_WAIT and SYS_SET_UID: one of the lane's own
 * children, the impossible values, or ones so large no process has them.
 * Never a small random pid: as root (or as the same user) that would kill
 * the shell, a server or another user's program, which is allowed.
 */
uint64_t gen_pid(struct lane *l)
{
    struct rng *g = &l->rng;
    switch (rng_below(g, 6)) {
    case 0:
        return 0;
    case 1:
        return (uint64_t)-1 - rng_below(g, 2); /* -1 (any child) and -2 */
    case 2:
        return 0x80000000ull + rng_below(g, 0x7FFFFFFF);
    case 3:
        return (1ull << 32) + rng_below(g, 1024); /* truncates to a small pid */
    default:
        return l->children[rng_below(g, LANE_CHILDREN)];
    }
}

/*
 * The IPC calls' struct ipc_extra: random counts and flags, the lane's
 * handles (an inherited handle only ever as a copy), a region of its own,
 * and random limits on what it takes.
 */
void gen_extra(struct lane *l, struct ipc_extra *e)
{
    struct rng *g = &l->rng;
    unsigned count = (unsigned)rng_below(g, IPC_MAX_HANDLES + 1);
    e->send_count = rng_chance(g, 5) ? (uint32_t)rng_next(g) : count;
    e->send_flags = (uint32_t)rng_below(g, 32);
    for (int i = 0; i < IPC_MAX_HANDLES; i++) {
        e->send_handles[i] = (uint32_t)gen_handle(l);
        if (fuzz_protected(e->send_handles[i]))
            e->send_flags |= IPC_COPY_HANDLE(i);
    }
    e->send_mem = 0;
    e->send_mem_length = 0;
    if (rng_chance(g, 20)) {
        struct region *r = &l->regions[rng_below(g, LANE_REGIONS)];
        e->send_mem = rng_chance(g, 90) ? r->start : gen_pointer(l, 1, false);
        e->send_mem_length = rng_chance(g, 85) ? r->length : gen_length(l);
    }
    switch (rng_below(g, 4)) {
    case 0:
        e->recv_mem_max = 0;
        break;
    case 1:
        e->recv_mem_max = rng_next(g);
        break;
    default:
        e->recv_mem_max = rng_below(g, 1u << 20);
    }
    e->recv_count = (uint32_t)rng_next(g); /* the kernel must overwrite these */
    e->reserved = (uint32_t)rng_next(g);
    e->recv_mem = rng_next(g);
}

/* Closing a handle to make room is bookkeeping, not one of the counted calls. */
static long plain_syscall1(uint64_t number, uint64_t a0, uint64_t a1)
{
    struct fuzz_call c = {.number = number, .arg = {a0, a1}};
    return fuzz_syscall(&c);
}

void lane_keep_handle(struct lane *l, long handle)
{
    if (handle <= 0 || fuzz_protected((uint64_t)handle))
        return;
    uint32_t *slot = &l->handles[rng_below(&l->rng, LANE_HANDLES)];
    for (int i = 0; i < LANE_HANDLES; i++)
        if (l->handles[i] == 0 || l->handles[i] == (uint32_t)handle) {
            slot = &l->handles[i];
            break;
        }
    if (*slot != 0 && *slot != (uint32_t)handle && !fuzz_protected(*slot))
        plain_syscall1(SYS_HANDLE_CLOSE, *slot, 0); /* full: the one it replaces goes */
    *slot = (uint32_t)handle;
}

void lane_keep_region(struct lane *l, uint64_t start, uint64_t length)
{
    if (start == 0 || length == 0)
        return;
    struct region *slot = &l->regions[rng_below(&l->rng, LANE_REGIONS)];
    for (int i = 0; i < LANE_REGIONS; i++)
        if (l->regions[i].length == 0) {
            slot = &l->regions[i];
            break;
        }
    if (slot->length != 0) {
        plain_syscall1(SYS_VM_RELEASE, slot->start, slot->length);
        l->released = slot->start;
    }
    slot->start = start;
    slot->length = length;
}

/* Kills and collects a child so it cannot outlive its slot. */
static void lane_end_child(uint32_t pid)
{
    int status;
    plain_syscall1(SYS_KILL, pid, 0);
    plain_syscall1(SYS_WAIT, pid, (uint64_t)&status);
}

void lane_keep_child(struct lane *l, long pid)
{
    if (pid <= 0)
        return;
    uint32_t *slot = &l->children[rng_below(&l->rng, LANE_CHILDREN)];
    for (int i = 0; i < LANE_CHILDREN; i++)
        if (l->children[i] == 0) {
            slot = &l->children[i];
            break;
        }
    if (*slot != 0)
        lane_end_child(*slot);
    *slot = (uint32_t)pid;
}

/* What a successful receive brought, when it used the lane's own struct ipc_extra. */
void lane_take_received(struct lane *l, const struct ipc_extra *e)
{
    uint32_t count = e->recv_count < IPC_MAX_HANDLES ? e->recv_count : IPC_MAX_HANDLES;
    for (uint32_t i = 0; i < count; i++)
        lane_keep_handle(l, e->recv_handles[i]);
    if (e->recv_mem != 0)
        lane_keep_region(l, e->recv_mem, e->recv_mem_length);
}
