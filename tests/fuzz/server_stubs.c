/*
 * The host stand-ins of server_stubs.h: the raw IPC calls, handle_mint,
 * handle_close, reply_save and the region calls, keeping the books a
 * kernel would (which handles and regions the server holds, whether a
 * call waits for its reply) and checking every reply against the reply
 * convention of <parley/ipc_lib.h>.
 */
#include "server_stubs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/ipc.h>
#include <parley/sys.h>

#define HANDLE_ENDPOINT 1

static uint64_t stub_counter; /* sys_random's bytes and time_now_ns's clock */
#define REGIONS_MAX 256

struct stub_handle {
    enum stub_kind kind;
    uint32_t badge; /* minted: the badge it carries */
    bool dead;      /* reply: its caller is gone */
};

struct region {
    uint8_t *data; /* NULL: a free entry */
    uint64_t length;
};

static struct stub_handle handles[STUB_HANDLES_MAX];
static struct region regions[REGIONS_MAX];
static uint32_t badges[STUB_BADGES_MAX];
static size_t badge_count;
static bool call_waiting; /* the last message received is a call not yet answered */
static stub_next_fn script;
static void *script_arg;
static uint32_t own_count = 2, own_mint = 2; /* stub_own */
static stub_peer_fn peer;
static void *peer_arg;

/*
 * What the last message the server sent moved away (handle numbers and a
 * region now free), until the next message arrives. When
 * ipc_reply_receive fails, ipc_serve cannot tell whether the reply went
 * and gives up its items again; the kernel answers with -E_BADHANDLE and
 * -E_INVAL, harmless while nothing new has arrived to take the numbers.
 */
static uint32_t moved[IPC_MAX_HANDLES];
static uint32_t moved_count;
static uint64_t moved_mem;

void stub_require(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "server fuzz: %s\n", what);
        abort();
    }
}

/* --- bookkeeping --- */

static struct stub_handle *handle_get(uint32_t h)
{
    if (h <= own_count || h > own_count + STUB_HANDLES_MAX)
        return NULL;
    struct stub_handle *entry = &handles[h - own_count - 1];
    return entry->kind == STUB_FREE ? NULL : entry;
}

/* One of the handles init gave the server (1..own_count). */
static bool handle_own(uint32_t h)
{
    return h >= HANDLE_ENDPOINT && h <= own_count;
}

/* A new handle of `kind` (the lowest free number, as a kernel hands them out), or -E_NOSPC. */
static long handle_new(enum stub_kind kind, uint32_t badge)
{
    for (uint32_t i = 0; i < STUB_HANDLES_MAX; i++) {
        if (handles[i].kind == STUB_FREE) {
            handles[i] = (struct stub_handle){.kind = kind, .badge = badge};
            return own_count + 1 + i;
        }
    }
    return -E_NOSPC;
}

static struct region *region_find(uint64_t addr)
{
    for (size_t i = 0; i < REGIONS_MAX; i++)
        if (regions[i].data != NULL && (uint64_t)regions[i].data == addr)
            return &regions[i];
    return NULL;
}

/* A zeroed, page-aligned region of exactly `length` bytes; 0 if the table is full. */
static uint64_t region_new(uint64_t length)
{
    for (size_t i = 0; i < REGIONS_MAX; i++) {
        if (regions[i].data == NULL) {
            regions[i].data = aligned_alloc(STUB_PAGE, length);
            stub_require(regions[i].data != NULL, "host out of memory");
            memset(regions[i].data, 0, length);
            regions[i].length = length;
            return (uint64_t)regions[i].data;
        }
    }
    return 0;
}

static void region_free(struct region *r)
{
    free(r->data);
    *r = (struct region){0};
}

size_t stub_held(enum stub_kind kind)
{
    size_t n = 0;
    if (kind == STUB_REGION) {
        for (size_t i = 0; i < REGIONS_MAX; i++)
            n += regions[i].data != NULL;
        return n;
    }
    for (size_t i = 0; i < STUB_HANDLES_MAX; i++)
        n += handles[i].kind == kind;
    return n;
}

enum stub_kind stub_handle_kind(uint32_t handle)
{
    struct stub_handle *h = handle_get(handle);
    return h != NULL ? h->kind : STUB_FREE;
}

const uint32_t *stub_badges(size_t *count)
{
    *count = badge_count;
    return badges;
}

void stub_kill_waiter(size_t index)
{
    size_t count = stub_held(STUB_REPLY);
    if (count == 0)
        return;
    index %= count;
    for (size_t i = 0; i < STUB_HANDLES_MAX; i++)
        if (handles[i].kind == STUB_REPLY && index-- == 0)
            handles[i].dead = true;
}

void stub_end(void)
{
    for (size_t i = 0; i < REGIONS_MAX; i++)
        if (regions[i].data != NULL)
            region_free(&regions[i]);
    memset(handles, 0, sizeof(handles));
    badge_count = 0;
    moved_count = 0;
    moved_mem = 0;
    call_waiting = false;
    script = NULL;
}

void stub_begin(stub_next_fn next, void *arg)
{
    stub_end();
    stub_counter = 0;
    script = next;
    script_arg = arg;
    stub_own(2, 2);
    stub_peer(NULL, NULL);
}

void stub_own(uint32_t count, uint32_t mint)
{
    stub_require(stub_held(STUB_FREE) == STUB_HANDLES_MAX, "stub_own while handles are held");
    own_count = count;
    own_mint = mint;
}

void stub_peer(stub_peer_fn fn, void *arg)
{
    peer = fn;
    peer_arg = arg;
}

/* --- replies --- */

static bool known_error(long status)
{
    switch (-status) {
#define STUB_ERROR_CASE(name, num, text)                                                           \
    case num:                                                                                      \
        return num != 0;
        PARLEY_ERRORS(STUB_ERROR_CASE)
#undef STUB_ERROR_CASE
    }
    return false;
}

/*
 * Checks what a message the server sends names to go with it: handles it
 * holds (never a saved reply right) and a region it holds, whole.
 * Returns that region, or NULL if none goes.
 */
static struct region *outgoing_check(const struct ipc_extra *extra)
{
    uint32_t count = extra != NULL ? extra->send_count : 0;
    uint64_t mem = extra != NULL ? extra->send_mem : 0;
    stub_require(count <= IPC_MAX_HANDLES, "a message names more than IPC_MAX_HANDLES handles");
    for (uint32_t i = 0; i < count; i++) {
        struct stub_handle *h = handle_get(extra->send_handles[i]);
        stub_require(h != NULL, "a message moves a handle the server does not hold");
        stub_require(h->kind != STUB_REPLY, "a message moves a saved reply right");
    }
    if (mem == 0) {
        stub_require(extra == NULL || extra->send_mem_length == 0,
                     "a message gives a region length without a region");
        return NULL;
    }
    struct region *r = region_find(mem);
    stub_require(r != NULL, "a message moves a region the server does not hold");
    stub_require(extra->send_mem_length == r->length, "a message moves part of a region");
    return r;
}

/* The message got there: what it moved leaves the server's books. */
static void outgoing_move(const struct ipc_extra *extra, struct region *r)
{
    uint32_t count = extra != NULL ? extra->send_count : 0;
    moved_count = 0;
    for (uint32_t i = 0; i < count; i++) {
        if ((extra->send_flags & IPC_COPY_HANDLE(i)) == 0) {
            *handle_get(extra->send_handles[i]) = (struct stub_handle){0};
            moved[moved_count++] = extra->send_handles[i];
        }
    }
    moved_mem = r != NULL ? (uint64_t)r->data : 0;
    if (r != NULL)
        region_free(r);
}

/* Whether handle number h left with the last message the server sent. */
static bool just_moved(uint32_t h)
{
    for (uint32_t i = 0; i < moved_count; i++)
        if (moved[i] == h)
            return true;
    return false;
}

/*
 * Checks a reply and, unless its caller is dead, moves what it carries to
 * the caller: moved handles and the region leave the server's books.
 * Returns what the kernel would: 0, or -E_CLOSED for a dead caller.
 */
static long deliver(const struct ipc_msg *reply, const struct ipc_extra *extra, bool dead)
{
    long status = (long)reply->tag;
    stub_require(status == 0 || known_error(status), "a reply's status is not 0 or an error code");
    if (status < 0) {
        stub_require(reply->w[0] == 0 && reply->w[1] == 0 && reply->w[2] == 0 && reply->w[3] == 0,
                     "an error reply carries words");
        stub_require(extra == NULL || (extra->send_count == 0 && extra->send_mem == 0),
                     "an error reply carries handles or a region");
    }
    struct region *r = outgoing_check(extra);
    if (dead)
        return -E_CLOSED; /* nothing moves */
    outgoing_move(extra, r);
    return 0;
}

/*
 * Whether message m can arrive in extra, and if not the sender's error:
 * the kernel refuses handles or a region with no ipc_extra to take them,
 * a region longer than recv_mem_max, and what the server's tables have no
 * room for.
 */
static long incoming_check(const struct stub_message *m, const struct ipc_extra *extra)
{
    stub_require(m->handles <= IPC_MAX_HANDLES, "the script sends too many handles");
    stub_require(m->region_length % STUB_PAGE == 0, "the script sends part of a page");
    bool extras = m->handles != 0 || m->region_length != 0;
    if (extras && extra == NULL)
        return -E_NOSPC;
    if (extra != NULL && extra->recv_mem_max != 0 && m->region_length > extra->recv_mem_max)
        return -E_RANGE;
    if ((m->region_length != 0 && stub_held(STUB_REGION) == REGIONS_MAX) ||
        stub_held(STUB_FREE) < m->handles)
        return -E_NOSPC;
    return 0;
}

/* Fills extra's receive half with m's fresh handles and region, as the kernel does. */
static void incoming_take(const struct stub_message *m, struct ipc_extra *extra)
{
    if (extra == NULL)
        return;
    extra->recv_count = m->handles;
    extra->reserved = 0;
    for (uint32_t i = 0; i < m->handles; i++)
        extra->recv_handles[i] = (uint32_t)handle_new(STUB_RECEIVED, 0);
    extra->recv_mem = m->region_length != 0 ? region_new(m->region_length) : 0;
    if (extra->recv_mem != 0 && m->region_data != NULL)
        memcpy((void *)extra->recv_mem, m->region_data,
               m->region_data_length < m->region_length ? m->region_data_length : m->region_length);
    extra->recv_mem_length = m->region_length;
}

/* --- the raw calls a server makes --- */

long ipc_receive(uint32_t handle, struct ipc_msg *out, uint64_t timeout_ns, struct ipc_extra *extra,
                 uint64_t *sender)
{
    (void)timeout_ns;
    stub_require(handle == HANDLE_ENDPOINT, "a receive on a handle other than the endpoint");
    stub_require(!call_waiting, "a call was left without a reply");
    struct stub_message m;
    do {
        if (script == NULL || !script(script_arg, &m))
            return -E_CLOSED;
    } while (incoming_check(&m, extra) < 0); /* the sender gets the error; the next one comes */
    moved_count = 0;
    moved_mem = 0;
    incoming_take(&m, extra);
    *out = m.msg;
    if (sender != NULL)
        *sender = m.sender;
    call_waiting = m.call;
    return 0;
}

/* With no call to answer the kernel says -E_INVAL (ipc_serve's slow path relies on it). */
long ipc_reply(const struct ipc_msg *reply, struct ipc_extra *extra)
{
    if (!call_waiting)
        return -E_INVAL;
    call_waiting = false;
    return deliver(reply, extra, false);
}

/*
 * The kernel would just receive if no call waits, but ipc_serve replies
 * only after a handler that did not keep its caller waiting: a handler
 * that saved the reply right and still returned a status is a bug.
 */
long ipc_reply_receive(uint32_t handle, const struct ipc_msg *reply, struct ipc_msg *next,
                       uint64_t timeout_ns, struct ipc_extra *extra, uint64_t *sender)
{
    stub_require(call_waiting, "a handler saved its reply right and also returned a status");
    long err = ipc_reply(reply, extra);
    if (err < 0)
        return err;
    return ipc_receive(handle, next, timeout_ns, extra, sender);
}

long reply_save(void)
{
    stub_require(call_waiting, "reply_save with no call waiting");
    long h = handle_new(STUB_REPLY, 0);
    if (h >= 0)
        call_waiting = false;
    return h;
}

long ipc_reply_to(uint32_t reply_handle, const struct ipc_msg *reply, struct ipc_extra *extra)
{
    struct stub_handle *h = handle_get(reply_handle);
    stub_require(h != NULL && h->kind == STUB_REPLY, "ipc_reply_to through no saved reply");
    long err = deliver(reply, extra, h->dead);
    *h = (struct stub_handle){0}; /* used once, whether the caller was there or not */
    return err;
}

long handle_mint(uint32_t handle, uint32_t rights, uint32_t badge)
{
    (void)rights;
    struct stub_handle *from = handle_get(handle);
    stub_require(handle == own_mint || (from != NULL && from->kind == STUB_RECEIVED),
                 "handle_mint from a handle that cannot mint");
    long h = handle_new(STUB_MINTED, badge);
    if (h >= 0 && badge_count < STUB_BADGES_MAX)
        badges[badge_count++] = badge;
    return h;
}

long handle_close(uint32_t handle)
{
    stub_require(!handle_own(handle), "the server closed one of its own handles");
    struct stub_handle *h = handle_get(handle);
    if (h == NULL && just_moved(handle))
        return -E_BADHANDLE;
    stub_require(h != NULL, "handle_close of a handle the server does not hold");
    *h = (struct stub_handle){0}; /* a saved reply closed unanswered: its caller gets -E_CLOSED */
    return 0;
}

long sys_vm_reserve(size_t len, int prot)
{
    (void)prot;
    stub_require(len != 0 && len % STUB_PAGE == 0, "sys_vm_reserve of no whole pages");
    uint64_t addr = region_new(len);
    return addr != 0 ? (long)addr : -E_NOMEM;
}

/* The C library's reserve-and-commit (lib/libc/sys.c): on the host, a region like any other. */
long vm_region_new(size_t len)
{
    stub_require(len != 0, "vm_region_new of no bytes");
    uint64_t addr = region_new((len + STUB_PAGE - 1) / STUB_PAGE * STUB_PAGE);
    return addr != 0 ? (long)addr : -E_NOMEM;
}

/*
 * The server's own handles are endpoint handles with every right; a saved
 * reply right whose caller is gone says -E_CLOSED, as the kernel's does;
 * anything else it holds is a client's endpoint.
 */
long handle_info(uint32_t handle)
{
    if (handle_own(handle))
        return (long)((uint64_t)OBJECT_ENDPOINT << 32 | RIGHTS_ALL);
    struct stub_handle *h = handle_get(handle);
    if (h == NULL)
        return -E_BADHANDLE;
    if (h->kind == STUB_REPLY)
        return h->dead ? -E_CLOSED : (long)((uint64_t)OBJECT_REPLY << 32 | RIGHT_SEND);
    return (long)((uint64_t)OBJECT_ENDPOINT << 32 | RIGHT_SEND);
}

/*
 * A call or send to another server: through a handle the server may send
 * on (its own, but not its endpoint or the one it mints from, which lead
 * back to itself, or one it was given), carrying what it holds. The
 * target's stub_peer answers; if the message got there what it moved
 * leaves the server's books, and a call's reply arrives as a script's
 * message does. A reply the caller has no room for is refused by the
 * kernel; the callee's serve loop then answers with the bare error.
 */
static long peer_message(uint32_t handle, const struct ipc_msg *msg, struct ipc_msg *reply,
                         struct ipc_extra *extra, bool call)
{
    struct stub_handle *h = handle_get(handle);
    stub_require((handle_own(handle) && handle != HANDLE_ENDPOINT && handle != own_mint) ||
                     (h != NULL && h->kind != STUB_REPLY),
                 "a call or send on a handle that leads nowhere or back to the server");
    stub_require(peer != NULL, "the server called another server, and the target plays none");
    struct region *r = outgoing_check(extra);
    struct stub_sent sent = {
        .handle = handle,
        .call = call,
        .msg = msg,
        .region = r != NULL ? r->data : NULL,
        .region_length = r != NULL ? r->length : 0,
        .handles = extra != NULL ? extra->send_count : 0,
    };
    struct stub_message answer = {0};
    long err = peer(peer_arg, &sent, &answer);
    if (err < 0)
        return err; /* nobody took it: nothing moves */
    outgoing_move(extra, r);
    if (!call)
        return 0;
    long refused = incoming_check(&answer, extra);
    if (refused < 0)
        answer = (struct stub_message){.msg.tag = (uint64_t)refused};
    incoming_take(&answer, extra);
    *reply = answer.msg;
    return 0;
}

long ipc_call(uint32_t handle, const struct ipc_msg *req, struct ipc_msg *reply,
              uint64_t timeout_ns, struct ipc_extra *extra)
{
    (void)timeout_ns;
    return peer_message(handle, req, reply, extra, true);
}

long ipc_send(uint32_t handle, const struct ipc_msg *msg, uint64_t timeout_ns,
              struct ipc_extra *extra)
{
    (void)timeout_ns;
    return peer_message(handle, msg, NULL, extra, false);
}

/* The client's call of lib/libc/ipc.c, as it is there (that file makes real system calls). */
long ipc_request(uint32_t handle, const struct ipc_msg *req, struct ipc_msg *reply,
                 uint64_t timeout_ns, struct ipc_extra *extra)
{
    long err = ipc_call(handle, req, reply, timeout_ns, extra);
    return err < 0 ? err : ipc_status(reply);
}

/* Repeatable "random" bytes and a clock that moves, so an input means the same every run. */
long sys_random(void *buf, size_t len)
{
    uint8_t *out = buf;
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)(++stub_counter * 0x9E3779B97F4A7C15ull >> 56);
    return 0;
}

uint64_t time_now_ns(void)
{
    return 1000000 * ++stub_counter;
}

/* A machine with 16 MiB free: the ramdisk takes half of it for files. */
long sys_sysinfo(struct sysinfo *info)
{
    *info = (struct sysinfo){.frames_total = 8192, .frames_free = 4096};
    return 0;
}

long sys_vm_release(void *addr, size_t len)
{
    struct region *r = region_find((uint64_t)addr);
    if (r == NULL && addr != NULL && (uint64_t)addr == moved_mem)
        return -E_INVAL;
    stub_require(r != NULL, "sys_vm_release of a region the server does not hold");
    stub_require(len == r->length, "sys_vm_release of part of a region");
    region_free(r);
    return 0;
}

uint64_t stub_take(struct stub_script *s, size_t bytes)
{
    uint64_t v = 0;
    for (size_t i = 0; i < bytes; i++)
        v |= (uint64_t)(s->at < s->size ? s->data[s->at++] : 0) << (8 * i);
    return v;
}

uint32_t stub_take_minted(struct stub_script *s)
{
    uint8_t pick = (uint8_t)stub_take(s, 1);
    return badge_count == 0 ? 0 : badges[pick % badge_count];
}

bool stub_next_close(struct stub_script *s, struct stub_message *m)
{
    if (s->closing >= badge_count)
        return false;
    *m = (struct stub_message){.msg.tag = IPC_TAG_CLOSED,
                               .sender = (uint64_t)badges[s->closing++] << 32};
    return true;
}

void stub_quiet(void)
{
    stub_require(freopen("/dev/null", "w", stdout) != NULL, "cannot silence stdout");
}
