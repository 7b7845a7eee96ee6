/*
 * Small kernel defects a user could reach, one check each
 * (docs/security.md):
 *   leak     a receive writes every byte of ipc_extra's receive half
 *            from the message: no old kernel stack in unused slots;
 *   reuse    released address space is reserved again (200 x 1 TiB);
 *   bound    reservations never reach past USER_BOOT_IMAGE;
 *   bss      an ELF asking for 15 GiB of bss loads at once, and only the
 *            page it touches costs a frame;
 *   argv     spawn takes SPAWN_MAX_ARGS strings and refuses one more;
 *   move     spawn moves the handles it gives: the parent loses them;
 *   poll     a call with IPC_POLL gives up on its reply at the next tick;
 *   freed    a caller woken because its endpoint was freed returns
 *            -E_CLOSED (the kernel must not touch the freed endpoint);
 *   log      SYS_LOG text with newlines and escapes becomes prefixed lines.
 * Prints "kdefects: N checks, F failed".
 */
#include <parley/errors.h>
#include <parley/ipc.h>
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <parley/syscall.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIB (1ull << 40)
#define GIB (1ull << 30)
#define RESERVE_BASE 0x100000000000ull /* USER_RESERVE_BASE */
#define BOOT_IMAGE 0x500000000000ull   /* USER_BOOT_IMAGE */

static int checks, failures;

static void check(const char *what, int ok)
{
    checks++;
    if (!ok) {
        printf("kdefects: FAIL %s\n", what);
        failures++;
    }
}

static char stacks[2][16 * 1024] __attribute__((aligned(16)));

static void thread_start(int slot, void (*entry)(void *), void *arg)
{
    sys_thread_create(entry, stacks[slot] + sizeof(stacks[slot]), arg);
}

/* leak: a sender thread sends one handle; the receive half must be exact. */
static void send_one_handle(void *arg)
{
    long endpoint = (long)arg;
    long given = handle_dup((uint32_t)endpoint, RIGHT_SEND | RIGHT_TRANSFER);
    struct ipc_msg msg = {.tag = 7};
    struct ipc_extra extra;
    memset(&extra, 0, sizeof(extra));
    extra.send_handles[0] = (uint32_t)given;
    extra.send_count = 1;
    ipc_send((uint32_t)endpoint, &msg, 2000000000ull, &extra);
    sys_thread_exit();
}

static void check_leak(void)
{
    long endpoint = endpoint_create();
    thread_start(0, send_one_handle, (void *)endpoint);
    struct ipc_extra extra;
    memset(&extra, 0xAA, sizeof(extra));
    extra.send_count = 0;
    extra.recv_mem_max = 0;
    struct ipc_msg msg;
    long err = ipc_receive((uint32_t)endpoint, &msg, 2000000000ull, &extra, NULL);
    check("leak: receive with a handle", err == 0 && extra.recv_count == 1);
    check("leak: unused handle slots are zero",
          extra.recv_handles[1] == 0 && extra.recv_handles[2] == 0 && extra.recv_handles[3] == 0);
    check("leak: the reserved word is zero", extra.reserved == 0);
    check("leak: no region", extra.recv_mem == 0 && extra.recv_mem_length == 0);
    handle_close(extra.recv_handles[0]);
    handle_close((uint32_t)endpoint);
    sys_sleep(10000000);
}

static void check_reuse(void)
{
    long first = 0;
    int reused = 1, ok = 1;
    for (int i = 0; i < 200 && ok; i++) {
        long at = sys_vm_reserve(TIB, VM_READ | VM_WRITE);
        ok = at > 0;
        if (!ok)
            break;
        *(volatile char *)(at + TIB - 1) = 1;
        if (first == 0)
            first = at;
        reused &= at == first;
        ok = sys_vm_release((void *)at, TIB) == 0;
    }
    check("reuse: 200 reservations of 1 TiB, each released", ok);
    check("reuse: each lands where the last one was", reused);
}

static void check_bound(void)
{
    enum { MAX = 200 };
    long at[MAX];
    uint64_t length[MAX];
    int n = 0, below = 1;
    /* Fill the reservation space with 1 TiB blocks, then ever halving ones, down to a page. */
    for (uint64_t size = TIB; n < MAX;) {
        long a = sys_vm_reserve(size, VM_READ);
        if (a < 0) {
            if (size == 4096)
                break;
            size /= 2;
            continue;
        }
        at[n] = a;
        length[n++] = size;
        below &= (uint64_t)a >= RESERVE_BASE && (uint64_t)a + size <= BOOT_IMAGE;
    }
    check("bound: the reservation space fills up", n < MAX && n > 10);
    check("bound: no reservation reaches past USER_BOOT_IMAGE", below);
    for (int i = 0; i < n; i++)
        sys_vm_release((void *)at[i], length[i]);
}

/* A tiny ELF: code at 0x400000 that touches the last page of 15 bss segments of 1 GiB, exits 7. */
static size_t make_bss_elf(uint8_t *out)
{
    enum { SEGMENTS = 16, HEADERS = 64 + 56 * SEGMENTS };
    const uint64_t base = 0x400000, last_page = 15 * GIB + GIB - 4096;
    uint8_t code[] = {
        0x48, 0xB8,     0,    0, 0, 0, 0, 0, 0, 0, /* movabs rax, last_page */
        0xC6, 0x00,     0x01,                      /* mov byte [rax], 1 */
        0xB8, SYS_EXIT, 0,    0, 0,                /* mov eax, SYS_EXIT */
        0xBF, 7,        0,    0, 0,                /* mov edi, 7 */
        0x0F, 0x05,                                /* syscall */
    };
    memcpy(&code[2], &last_page, 8);
    size_t size = HEADERS + sizeof(code);
    memset(out, 0, size);
    static const uint8_t ident[16] = {0x7F, 'E', 'L', 'F', 2, 1, 1};
    memcpy(out, ident, 16);
    uint16_t half[] = {2, 62};
    memcpy(out + 16, half, 4);
    uint32_t version = 1;
    memcpy(out + 20, &version, 4);
    uint64_t entry = base + HEADERS, phoff = 64;
    memcpy(out + 24, &entry, 8);
    memcpy(out + 32, &phoff, 8);
    uint16_t sizes[] = {64, 56, SEGMENTS, 64, 0, 0};
    memcpy(out + 52, sizes, sizeof(sizes));
    for (int i = 0; i < SEGMENTS; i++) {
        uint8_t *ph = out + 64 + 56 * i;
        uint32_t type = 1, flags = i == 0 ? 5 : 6; /* R+X code, then R+W bss */
        uint64_t offset = 0, vaddr = i == 0 ? base : (uint64_t)i * GIB;
        uint64_t filesz = i == 0 ? size : 0, memsz = i == 0 ? size : GIB, align = 4096;
        memcpy(ph, &type, 4);
        memcpy(ph + 4, &flags, 4);
        memcpy(ph + 8, &offset, 8);
        memcpy(ph + 16, &vaddr, 8);
        memcpy(ph + 24, &vaddr, 8);
        memcpy(ph + 32, &filesz, 8);
        memcpy(ph + 40, &memsz, 8);
        memcpy(ph + 48, &align, 8);
    }
    memcpy(out + HEADERS, code, sizeof(code));
    return size;
}

static uint8_t elf[4096];
static size_t elf_size;

static void check_bss(void)
{
    elf_size = make_bss_elf(elf);
    struct sysinfo before, after;
    sys_sysinfo(&before);
    const char *argv[] = {"bss15g", NULL};
    uint64_t start = time_now_ns();
    long pid = sys_spawn(elf, elf_size, argv);
    int status = -1;
    if (pid > 0)
        sys_wait(pid, &status);
    uint64_t took = time_now_ns() - start;
    sys_sysinfo(&after);
    check("bss: a 15 GiB bss program runs and exits 7", pid > 0 && status == 7);
    check("bss: it loads and runs in under a second", took < 1000000000ull);
    check("bss: its frames come back", after.frames_free + 8 >= before.frames_free);
}

static void check_argv(void)
{
    const char *argv[SPAWN_MAX_ARGS + 2];
    for (int i = 0; i < SPAWN_MAX_ARGS + 1; i++)
        argv[i] = "x";
    argv[SPAWN_MAX_ARGS + 1] = NULL;
    check("argv: one string over SPAWN_MAX_ARGS is refused",
          sys_spawn(elf, elf_size, argv) == -E_2BIG);
    argv[SPAWN_MAX_ARGS] = NULL;
    long pid = sys_spawn(elf, elf_size, argv);
    int status = -1;
    if (pid > 0)
        sys_wait(pid, &status);
    check("argv: SPAWN_MAX_ARGS strings are taken", pid > 0 && status == 7);
}

static void check_move(void)
{
    long endpoint = endpoint_create();
    const char *argv[] = {"bss15g", NULL};
    uint32_t given = (uint32_t)endpoint;
    long pid = sys_spawn_handles(elf, elf_size, argv, &given, 1);
    int status = -1;
    if (pid > 0)
        sys_wait(pid, &status);
    check("move: spawn with a handle", pid > 0 && status == 7);
    check("move: the parent no longer holds it", handle_info(given) == -E_BADHANDLE);
}

static volatile int server_ready;

/* poll: receives one call and answers it only after 300 ms. */
static void slow_server(void *arg)
{
    long endpoint = (long)arg;
    struct ipc_msg msg;
    server_ready = 1;
    if (ipc_receive((uint32_t)endpoint, &msg, 3000000000ull, NULL, NULL) == 0) {
        sys_sleep(300000000ull);
        struct ipc_msg reply = {.tag = 0};
        ipc_reply(&reply, NULL);
    }
    server_ready = 2;
    sys_thread_exit();
}

static void check_poll(void)
{
    long endpoint = endpoint_create();
    thread_start(0, slow_server, (void *)endpoint);
    while (server_ready == 0)
        sys_yield();
    struct ipc_msg msg = {.tag = 1}, reply;
    long err;
    uint64_t start;
    do {
        sys_sleep(5000000);
        start = time_now_ns();
        err = ipc_call((uint32_t)endpoint, &msg, &reply, IPC_POLL, NULL);
    } while (err == -E_AGAIN);
    uint64_t took = time_now_ns() - start;
    check("poll: an IPC_POLL call whose reply is late times out", err == -E_TIMEOUT);
    check("poll: it gives up within 100 ms", took < 100000000ull);
    while (server_ready != 2)
        sys_sleep(10000000);
    handle_close((uint32_t)endpoint);
}

static volatile long caller_result = 1;

static void blocked_caller(void *arg)
{
    struct ipc_msg msg = {.tag = 1}, reply;
    caller_result = ipc_call((uint32_t)(long)arg, &msg, &reply, 3000000000ull, NULL);
    sys_thread_exit();
}

static void check_freed(void)
{
    for (int round = 0; round < 20; round++) {
        long endpoint = endpoint_create();
        long send_only = handle_dup((uint32_t)endpoint, RIGHT_SEND);
        caller_result = 1;
        thread_start(1, blocked_caller, (void *)send_only);
        sys_sleep(2000000);                /* it waits in the send queue */
        handle_close((uint32_t)endpoint);  /* no receiver: the caller wakes with -E_CLOSED */
        handle_close((uint32_t)send_only); /* ...and the endpoint is freed before it runs */
        while (caller_result == 1)
            sys_yield();
        if (caller_result != -E_CLOSED) {
            check("freed: a caller of a freed endpoint gets -E_CLOSED", 0);
            return;
        }
    }
    check("freed: a caller of a freed endpoint gets -E_CLOSED", 1);
}

static void check_log(void)
{
    static const char text[] = "kdefects: log line one\n"
                               "[    0.000000] info  kernel: forged line\r\x1b[2J\n\n";
    check("log: SYS_LOG takes the text", sys_log(text, sizeof(text) - 1) == 0);
}

int main(void)
{
    check_leak();
    check_reuse();
    check_bound();
    check_bss();
    check_argv();
    check_move();
    check_poll();
    check_freed();
    check_log();
    printf("kdefects: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
