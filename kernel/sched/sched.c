/*
 * Scheduler core.
 *
 * Runnable threads wait in one FIFO per priority level; the running
 * thread is not on any queue. A blocked thread sits on the queue of what
 * it waits for (if any) and, when it has a deadline, also on the sleep
 * list, kept sorted by wake time, which the timer tick checks. When
 * nothing is runnable the idle thread — the boot context — halts the CPU
 * until the next interrupt.
 *
 * A dead thread's stack cannot be freed while we still run on it, so it
 * is parked in `dead` and freed by the next thread in
 * sched_finish_switch().
 */
#include "sched/sched.h"

#include <stddef.h>

#include <parley/errors.h>

#include "arch/cpu.h"
#include "arch/gdt.h"
#include "arch/percpu.h"
#include "arch/tsc.h"
#include "mm/aspace.h"
#include "proc/process.h"

extern void context_switch(uint64_t *save_rsp, uint64_t load_rsp);

static struct list_node run_queue[PRIORITY_LEVELS];
static struct list_node sleepers;
static struct thread idle_thread;
static uint64_t idle_tsc;   /* TSC ticks the idle thread has run (halted, mostly) */
static uint64_t idle_since; /* when it last started */
struct thread *sched_running;
#define current sched_running
static struct thread *dead;

void sched_init(void)
{
    for (int i = 0; i < PRIORITY_LEVELS; i++)
        list_init(&run_queue[i]);
    list_init(&sleepers);
    list_init(&idle_thread.sched_link);
    list_init(&idle_thread.sleep_link);
    idle_thread.state = THREAD_RUNNABLE;
    idle_thread.priority = PRIORITY_LEVELS;
    current = &idle_thread;
}

void sched_add(struct thread *t)
{
    t->state = THREAD_RUNNABLE;
    list_push_back(&run_queue[t->priority], &t->sched_link);
}

static struct thread *pick_next(void)
{
    for (int i = 0; i < PRIORITY_LEVELS; i++)
        if (!list_empty(&run_queue[i]))
            return container_of(list_pop_front(&run_queue[i]), struct thread, sched_link);
    return &idle_thread;
}

uint64_t sched_idle_tsc(void)
{
    return current == &idle_thread ? idle_tsc + (rdtsc() - idle_since) : idle_tsc;
}

void sched_finish_switch(void)
{
    if (dead != NULL && dead != current) {
        thread_free(dead);
        dead = NULL;
    }
}

/*
 * Everything of a switch from `current` to `next` but the change of
 * stacks: FPU state, the running thread, the kernel stack the CPU enters
 * on, the address space and the I/O bitmap.
 */
static void switch_state(struct thread *prev, struct thread *next)
{
    if (prev->process != NULL)
        __asm__ volatile("fxsave64 %0" : "=m"(prev->fpu_state));
    current = next;
    if (prev == &idle_thread)
        idle_tsc += rdtsc() - idle_since;
    else if (next == &idle_thread)
        idle_since = rdtsc();
    if (next != &idle_thread) {
        percpu.kernel_rsp = next->stack_top;
        gdt_set_kernel_stack(next->stack_top);
    }
    if (next->process != NULL) {
        aspace_switch(next->process->aspace);
        gdt_switch_io_bitmap(next->process->io_bitmap);
        __asm__ volatile("fxrstor64 %0" : : "m"(next->fpu_state));
    }
}

/* Switches to `next`; the caller has queued or parked `current`. */
static void switch_to(struct thread *next)
{
    struct thread *prev = current;
    if (next == prev)
        return;
    switch_state(prev, next);
    context_switch(&prev->saved_rsp, next->saved_rsp);
    sched_finish_switch();
}

/* Switches to the best runnable thread. */
static void schedule(void)
{
    switch_to(pick_next());
}

void sched_yield(void)
{
    if (current != &idle_thread)
        sched_add(current);
    schedule();
}

static void sleep_insert(struct thread *t)
{
    struct list_node *node;
    list_for_each(node, &sleepers)
    {
        struct thread *other = container_of(node, struct thread, sleep_link);
        if (other->wake_ns > t->wake_ns)
            break;
    }
    /* Insert before `node` (the first later sleeper, or the head). */
    list_insert_between(&t->sleep_link, node->prev, node);
}

/* Wait queues are FIFO within a priority; higher priorities (lower numbers) go first. */
static void wait_queue_insert(struct list_node *queue, struct thread *t)
{
    struct list_node *node;
    list_for_each(node, queue)
    {
        if (container_of(node, struct thread, sched_link)->priority > t->priority)
            break;
    }
    list_insert_between(&t->sched_link, node->prev, node);
}

static void block_current(struct list_node *queue, uint64_t deadline_ns)
{
    struct thread *t = current;
    t->wait_result = 0;
    t->wake_ns = deadline_ns;
    t->state = THREAD_BLOCKED;
    if (queue != NULL)
        wait_queue_insert(queue, t);
    if (deadline_ns != 0)
        sleep_insert(t);
}

long sched_block(struct list_node *queue, uint64_t deadline_ns)
{
    block_current(queue, deadline_ns);
    schedule();
    return current->wait_result;
}

bool sched_handoff_allowed(const struct thread *next)
{
    if (next->state != THREAD_BLOCKED)
        return false;
    for (int i = 0; i < next->priority && i < PRIORITY_LEVELS; i++)
        if (!list_empty(&run_queue[i]))
            return false;
    return true;
}

/* Makes blocked `next` runnable as the thread to run now, and blocks current. */
static struct thread *handoff_prepare(struct list_node *queue, uint64_t deadline_ns,
                                      struct thread *next, long next_result)
{
    list_remove(&next->sched_link);
    list_remove(&next->sleep_link);
    next->wait_result = next_result;
    next->state = THREAD_RUNNABLE;
    struct thread *t = current;
    block_current(queue, deadline_ns);
    return t;
}

long sched_block_handoff(struct list_node *queue, uint64_t deadline_ns, struct thread *next,
                         long next_result)
{
    if (!sched_handoff_allowed(next)) {
        sched_wake(next, next_result);
        return sched_block(queue, deadline_ns);
    }
    struct thread *t = handoff_prepare(queue, deadline_ns, next, next_result);
    switch_to(next);
    return t->wait_result;
}

bool sched_handoff_direct(struct list_node *queue, struct thread *next)
{
    if (!sched_handoff_allowed(next))
        return false;
    struct thread *prev = handoff_prepare(queue, 0, next, 0);
    switch_state(prev, next);
    sched_finish_switch();
    return true;
}

void sched_wake(struct thread *t, long result)
{
    if (t->state != THREAD_BLOCKED)
        return;
    list_remove(&t->sched_link);
    list_remove(&t->sleep_link);
    t->wait_result = result;
    sched_add(t);
}

void sched_wake_all(struct list_node *queue, long result)
{
    while (!list_empty(queue))
        sched_wake(container_of(list_first(queue), struct thread, sched_link), result);
}

void sched_sleep_until(uint64_t ns)
{
    if (ns <= tsc_nanos_since_boot())
        return;
    sched_block(NULL, ns);
}

void sched_remove(struct thread *t)
{
    list_remove(&t->sched_link);
    list_remove(&t->sleep_link);
    t->state = THREAD_DEAD;
}

void sched_exit_current(void)
{
    struct thread *t = current;
    t->state = THREAD_DEAD;
    if (dead != NULL)
        thread_free(dead); /* a previous corpse on another stack: safe to free now */
    dead = t;
    schedule();
    __builtin_unreachable();
}

void sched_preempt(void)
{
    int above = current == &idle_thread ? PRIORITY_LEVELS : current->priority;
    for (int i = 0; i < above; i++)
        if (!list_empty(&run_queue[i])) {
            sched_yield();
            return;
        }
}

void sched_tick(void)
{
    uint64_t now = tsc_nanos_since_boot();
    while (!list_empty(&sleepers)) {
        struct thread *t = container_of(list_first(&sleepers), struct thread, sleep_link);
        if (t->wake_ns > now)
            break;
        sched_wake(t, -E_TIMEOUT);
    }
    /* Round robin: the running thread goes to the back of its level. */
    if (current != &idle_thread)
        sched_yield();
    else if (!list_empty(&run_queue[0]) || !list_empty(&run_queue[1]))
        schedule();
}
