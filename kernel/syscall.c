/*
 * System calls: one table from number to handler, and the handlers.
 *
 * Each handler takes the saved user registers; arguments are in rdi, rsi,
 * rdx, r10, r8 and r9 (see parley/syscall.h) and every one of them is
 * untrusted: pointers go through the checked user copies, lengths are
 * bounded before anything is allocated, and pids are looked up, never
 * dereferenced. docs/syscalls.md documents each call.
 */
#include <parley/errors.h>
#include <parley/syscall.h>

#include "arch/tsc.h"
#include "ipc/endpoint.h"
#include "ipc/fastpath.h"
#include "ipc/hwcap.h"
#include "ipc/ipc_syscall.h"
#include "common/string.h"
#include "log.h"
#include "mm/aspace.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "proc/proccap.h"
#include "proc/process.h"
#include "proc/rgroup.h"
#include "proc/usercopy.h"
#include "sched/sched.h"
#include "random.h"
#include "trap.h"

#define ARG0(f) ((f)->rdi)
#define ARG1(f) ((f)->rsi)
#define ARG2(f) ((f)->rdx)

typedef long (*syscall_handler)(struct trap_frame *frame);

static long sys_null(struct trap_frame *f)
{
    (void)f;
    return 0;
}

/*
 * Every line a program logs carries its "pid:name: " prefix, so nothing
 * it writes can pass for the kernel's own lines: the text is cut at
 * newlines into one log line each (trailing ones dropped), and any other
 * control byte (carriage return, escape, ...) becomes '?'. A NUL ends it.
 */
static long sys_log(struct trap_frame *f)
{
    char text[LOG_MAX_LENGTH + 1];
    size_t length = ARG1(f);
    if (length > LOG_MAX_LENGTH)
        return -E_RANGE;
    if (copy_from_user(text, ARG0(f), length) < 0)
        return -E_FAULT;
    text[length] = '\0';
    length = strlen(text);
    while (length > 0 && text[length - 1] == '\n')
        length--;
    text[length] = '\0';
    struct process *p = process_current();
    char *line = text;
    for (size_t i = 0; i <= length; i++) {
        if (text[i] == '\n' || text[i] == '\0') {
            text[i] = '\0';
            log_info("%u:%s: %s", p->pid, p->name, line);
            line = &text[i + 1];
        } else if ((unsigned char)text[i] < 0x20 || text[i] == 0x7F) {
            text[i] = text[i] == '\t' ? ' ' : '?';
        }
    }
    return 0;
}

static long sys_exit(struct trap_frame *f)
{
    process_exit(process_current(), (int)(ARG0(f) & 0xFF));
    return 0; /* not reached */
}

static long sys_yield(struct trap_frame *f)
{
    (void)f;
    sched_yield();
    return 0;
}

static long sys_sleep(struct trap_frame *f)
{
    uint64_t now = tsc_nanos_since_boot();
    uint64_t ns = ARG0(f);
    sched_sleep_until(ns > UINT64_MAX - now ? UINT64_MAX : now + ns);
    return 0;
}

static long sys_getpid(struct trap_frame *f)
{
    (void)f;
    return process_current()->pid;
}

/*
 * Copies a NULL-terminated array of at most SPAWN_MAX_ARGS user strings,
 * starting at entry *index, into a NUL-separated kernel block of `room`
 * bytes; leaves *index just past the NULL.
 */
static long copy_strings(uint64_t user_array, size_t *index, char *block, size_t room,
                         size_t *length)
{
    size_t used = 0;
    for (int count = 0;; count++, (*index)++) {
        uint64_t arg;
        if (copy_from_user(&arg, user_array + 8ull * *index, 8) < 0)
            return -E_FAULT;
        if (arg == 0)
            break;
        if (count == SPAWN_MAX_ARGS)
            return -E_2BIG; /* a string beyond the last allowed */
        long n = copy_string_from_user(block + used, arg, room - used);
        if (n == -E_RANGE)
            return -E_2BIG;
        if (n < 0)
            return n;
        used += (size_t)n + 1;
    }
    (*index)++;
    *length = used;
    return 0;
}

static long sys_spawn(struct trap_frame *f)
{
    uint64_t image = ARG0(f), size = ARG1(f);
    if (size == 0 || size > SPAWN_MAX_IMAGE || !user_range_ok(image, size))
        return size == 0 || size > SPAWN_MAX_IMAGE ? -E_RANGE : -E_FAULT;
    uint32_t handles[SPAWN_MAX_HANDLES];
    if (f->r8 > SPAWN_MAX_HANDLES || (f->r8 != 0 && f->r10 == 0))
        return -E_INVAL;
    uint32_t handle_count = (uint32_t)f->r8;
    uint64_t flags = f->r9 & 0xFFFFFFFFull;
    if (flags & ~(uint64_t)(SPAWN_DRIVER_PRIORITY | SPAWN_ENV | SPAWN_UID | SPAWN_GROUP))
        return -E_INVAL;
    if ((flags & SPAWN_UID) && process_current()->uid != 0)
        return -E_PERM; /* only root starts programs as another user */
    /*
     * Driver priority is handed down, never taken: only init (which starts
     * the drivers) and threads already at driver priority may grant it.
     */
    if ((flags & SPAWN_DRIVER_PRIORITY) && process_current()->pid != 1 &&
        sched_current()->priority != PRIORITY_DRIVER)
        return -E_PERM;
    if (handle_count != 0 && copy_from_user(handles, f->r10, handle_count * 4) < 0)
        return -E_FAULT;
    for (uint32_t i = 0; i < handle_count; i++) {
        long err;
        if (handle_get(&process_current()->handles, handles[i], 0, RIGHT_TRANSFER, &err) == NULL)
            return err;
        for (uint32_t j = 0; j < i; j++)
            if (handles[j] == handles[i])
                return -E_INVAL;
    }
    char *args = kmalloc(2 * SPAWN_MAX_ARG_BYTES);
    if (args == NULL)
        return -E_NOMEM;
    char *env = args + SPAWN_MAX_ARG_BYTES;
    size_t args_length, env_length = 0, index = 0;
    long result = copy_strings(ARG2(f), &index, args, SPAWN_MAX_ARG_BYTES, &args_length);
    if (result == 0 && args_length == 0)
        result = -E_INVAL; /* argv[0], the program name, is required */
    if (result == 0 && (flags & SPAWN_ENV))
        result = copy_strings(ARG2(f), &index, env, SPAWN_MAX_ARG_BYTES, &env_length);
    if (result == 0) {
        struct image_source source = {.user_address = image, .size = size};
        result = process_spawn(&source, args, args_length, env, env_length, process_current(),
                               (flags & SPAWN_GROUP) != 0);
    }
    if (result > 0) {
        struct process *child = process_find((uint32_t)result);
        process_give_handles(process_current(), child, handles, handle_count);
        if (flags & SPAWN_DRIVER_PRIORITY)
            process_set_priority(child, PRIORITY_DRIVER);
        if (flags & SPAWN_UID) /* before it ever runs: never a moment as root */
            process_set_uid(process_current(), child->pid, (uint32_t)(f->r9 >> 32));
    }
    kfree(args);
    return result;
}

static long sys_wait(struct trap_frame *f)
{
    int status = 0;
    long pid = process_wait(process_current(), (long)ARG0(f), &status);
    if (pid > 0 && ARG1(f) != 0 && copy_to_user(ARG1(f), &status, sizeof(status)) < 0)
        return -E_FAULT;
    return pid;
}

static long sys_kill(struct trap_frame *f)
{
    return process_kill(process_current(), (long)ARG0(f));
}

static long sys_vm_reserve(struct trap_frame *f)
{
    uint32_t prot = (uint32_t)ARG1(f);
    if (prot & ~(uint32_t)(VM_READ | VM_WRITE))
        return -E_INVAL;
    uint32_t flags = AREA_READ | ((prot & VM_WRITE) ? AREA_WRITE : 0);
    return aspace_reserve(process_current()->aspace, ARG0(f), flags);
}

static long sys_vm_release(struct trap_frame *f)
{
    uint64_t start = ARG0(f), length = ARG1(f);
    if (!user_range_ok(start, length))
        return -E_INVAL;
    length = (length + 4095) & ~4095ull;
    return aspace_release(process_current()->aspace, start, start + length);
}

/* At most VM_COMMIT_MAX bytes a call, so no one call holds the CPU for long. */
static long sys_vm_commit(struct trap_frame *f)
{
    uint64_t start = ARG0(f), length = ARG1(f);
    if (length == 0 || !user_range_ok(start, length))
        return -E_INVAL;
    if (length > VM_COMMIT_MAX)
        return -E_RANGE;
    return aspace_commit(process_current()->aspace, start, start + length);
}

/*
 * The entry and the stack must lie in the user half proper, from USER_MIN
 * up: below it nothing is ever mapped, so a thread started there (entry
 * 0, say) could only fault, and its fault would kill the whole process.
 * user_range_ok() alone lets the first 64 KiB through (fuzz found it).
 */
static long sys_thread_create(struct trap_frame *f)
{
    struct process *p = process_current();
    uint64_t entry = ARG0(f), stack = ARG1(f);
    if (entry < USER_MIN || !user_range_ok(entry, 1) || stack - 1 < USER_MIN ||
        !user_range_ok(stack - 1, 1) || stack % 16 != 0)
        return -E_INVAL;
    if (!rgroup_charge_thread(p->group))
        return -E_QUOTA;
    struct thread *t = thread_create_user(p, entry, stack - 8, ARG2(f));
    if (t == NULL) {
        rgroup_uncharge_threads(p->group, 1);
        return -E_NOMEM;
    }
    t->priority = sched_current()->priority; /* a driver's threads are drivers too */
    list_push_back(&p->threads, &t->process_link);
    sched_add(t);
    return t->tid;
}

static long sys_thread_exit(struct trap_frame *f)
{
    (void)f;
    struct thread *t = sched_current();
    struct process *p = t->process;
    list_remove(&t->process_link);
    ipc_thread_exit(t);
    if (list_empty(&p->threads)) {
        list_push_back(&p->threads, &t->process_link);
        process_exit(p, 0); /* uncharges this last thread with the others; never returns */
    } else {
        rgroup_uncharge_threads(p->group, 1);
    }
    sched_exit_current();
}

static long sys_proc_handle(struct trap_frame *f)
{
    return proc_handle_make(ARG0(f));
}

static long sys_proc_end(struct trap_frame *f)
{
    return proc_end(ARG0(f), ARG1(f));
}

/* The limit of `kind` for the groups the caller makes with SPAWN_GROUP; 0: the default. */
static long sys_group_limit(struct trap_frame *f)
{
    uint64_t kind = ARG0(f), max = ARG1(f);
    if (kind >= GROUP_KINDS)
        return -E_INVAL;
    process_current()->group_limits[kind] = max;
    return 0;
}

static long sys_sysinfo(struct trap_frame *f)
{
    struct heap_stats heap;
    heap_get_stats(&heap);
    struct sysinfo info = {
        .frames_total = frame_total_count(),
        .frames_free = frame_free_count(),
        .uptime_ns = tsc_nanos_since_boot(),
        .processes = process_count(),
        .tsc_hz = tsc_hz(),
        .idle_tsc = sched_idle_tsc(),
        .threads = thread_count(),
        .kernel_allocations = heap.allocations,
        .kernel_bytes = heap.bytes_in_use,
        .ipc_fast = fastpath_count(),
    };
    return copy_to_user(ARG0(f), &info, sizeof(info));
}

static long sys_ipc_send(struct trap_frame *f)
{
    return sys_ipc(f, IPC_OP_SEND);
}

static long sys_ipc_receive(struct trap_frame *f)
{
    return sys_ipc(f, IPC_OP_RECEIVE);
}

static long sys_ipc_call(struct trap_frame *f)
{
    return sys_ipc(f, IPC_OP_CALL);
}

static long sys_ipc_reply(struct trap_frame *f)
{
    return sys_ipc(f, IPC_OP_REPLY);
}

static long sys_ipc_reply_receive(struct trap_frame *f)
{
    return sys_ipc(f, IPC_OP_REPLY_RECEIVE);
}

static long sys_random(struct trap_frame *f)
{
    uint8_t bytes[256];
    if (ARG1(f) > sizeof(bytes))
        return -E_RANGE;
    random_fill(bytes, ARG1(f));
    long err = copy_to_user(ARG0(f), bytes, ARG1(f));
    memset(bytes, 0, sizeof(bytes));
    return err;
}

static long sys_set_uid(struct trap_frame *f)
{
    if (ARG1(f) > UINT32_MAX)
        return -E_INVAL;
    return process_set_uid(process_current(), (long)ARG0(f), (uint32_t)ARG1(f));
}

static long sys_proc_info(struct trap_frame *f)
{
    struct proc_info info;
    long err = process_info(ARG0(f), &info);
    if (err < 0)
        return err;
    return copy_to_user(ARG1(f), &info, sizeof(info));
}

static const syscall_handler syscall_table[SYS_COUNT] = {
    [SYS_NULL] = sys_null,
    [SYS_LOG] = sys_log,
    [SYS_EXIT] = sys_exit,
    [SYS_YIELD] = sys_yield,
    [SYS_SLEEP] = sys_sleep,
    [SYS_GETPID] = sys_getpid,
    [SYS_SPAWN] = sys_spawn,
    [SYS_WAIT] = sys_wait,
    [SYS_KILL] = sys_kill,
    [SYS_VM_RESERVE] = sys_vm_reserve,
    [SYS_VM_RELEASE] = sys_vm_release,
    [SYS_THREAD_CREATE] = sys_thread_create,
    [SYS_THREAD_EXIT] = sys_thread_exit,
    [SYS_SYSINFO] = sys_sysinfo,
    [SYS_IPC_SEND] = sys_ipc_send,
    [SYS_IPC_RECEIVE] = sys_ipc_receive,
    [SYS_IPC_CALL] = sys_ipc_call,
    [SYS_IPC_REPLY] = sys_ipc_reply,
    [SYS_IPC_REPLY_RECEIVE] = sys_ipc_reply_receive,
    [SYS_ENDPOINT_CREATE] = sys_endpoint_create,
    [SYS_HANDLE_DUP] = sys_handle_dup,
    [SYS_HANDLE_CLOSE] = sys_handle_close,
    [SYS_HANDLE_INFO] = sys_handle_info,
    [SYS_TRACE_SET] = sys_trace_set,
    [SYS_CAP_DERIVE] = sys_cap_derive,
    [SYS_IOPORT_ENABLE] = sys_ioport_enable,
    [SYS_IRQ_BIND] = sys_irq_bind,
    [SYS_IRQ_ACK] = sys_irq_ack,
    [SYS_PHYS_MAP] = sys_phys_map,
    [SYS_DMA_ALLOC] = sys_dma_alloc,
    [SYS_HANDLE_MINT] = sys_handle_mint,
    [SYS_REPLY_SAVE] = sys_reply_save,
    [SYS_RANDOM] = sys_random,
    [SYS_SET_UID] = sys_set_uid,
    [SYS_PROC_INFO] = sys_proc_info,
    [SYS_PROC_HANDLE] = sys_proc_handle,
    [SYS_PROC_END] = sys_proc_end,
    [SYS_VM_COMMIT] = sys_vm_commit,
    [SYS_GROUP_LIMIT] = sys_group_limit,
};

/*
 * sysret reloads RFLAGS from the frame (IOPL and NT included), so the
 * flags are cleaned on the way out whatever happened to the frame.
 */
void syscall_dispatch(struct trap_frame *frame)
{
    uint64_t number = frame->rax;
    if (number >= SYS_COUNT || syscall_table[number] == NULL)
        frame->rax = (uint64_t)-E_NOSYS;
    else
        frame->rax = (uint64_t)syscall_table[number](frame);
    frame->rflags = rflags_for_user(frame->rflags);
}
