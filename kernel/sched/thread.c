/*
 * Thread creation.
 *
 * A new user thread's kernel stack is laid out so that the first switch
 * to it "returns" into thread_start_user (switch.asm), which leaves
 * through the ordinary interrupt-return path with a trap frame that
 * drops to ring 3 at the thread's entry point:
 *
 *   stack top ->  struct trap_frame  (rip, cs=user, rflags=IF, rsp, ss=user)
 *                 return address = thread_start_user
 *   saved_rsp ->  six zeroed callee-saved registers (rbp rbx r12..r15)
 */
#include "sched/thread.h"

#include "arch/gdt.h"
#include "common/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/vm.h"
#include "trap.h"

extern void thread_start_user(void);

static uint8_t clean_fpu_state[512] __attribute__((aligned(16)));
static uint32_t next_tid = 1;

void thread_fpu_init(void)
{
    uint64_t cr0, cr4;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = (cr0 & ~(1ull << 2)) | (1ull << 1); /* EM off (no emulation), MP on */
    cr0 &= ~(1ull << 3);                      /* TS off: no lazy-switch traps */
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    cr4 |= (1ull << 9) | (1ull << 10); /* OSFXSR, OSXMMEXCPT: SSE on */
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
    uint32_t mxcsr = 0x1F80; /* all SSE exceptions masked, round to nearest */
    __asm__ volatile("fninit\n\tldmxcsr %1\n\tfxsave64 %0" : "=m"(clean_fpu_state) : "m"(mxcsr));
}

static uint64_t live_threads; /* user threads created and not yet freed */

struct thread *thread_create_user(struct process *process, uint64_t rip, uint64_t rsp, uint64_t arg)
{
    struct thread *t = kzalloc(sizeof(*t));
    if (t == NULL)
        return NULL;
    t->stack_phys = frame_alloc_contig(KERNEL_STACK_PAGES, UINT64_MAX);
    if (t->stack_phys == 0) {
        kfree(t);
        return NULL;
    }
    t->process = process;
    t->tid = next_tid++;
    t->priority = PRIORITY_NORMAL;
    t->state = THREAD_BLOCKED;
    list_init(&t->sched_link);
    list_init(&t->process_link);
    list_init(&t->sleep_link);
    memcpy(t->fpu_state, clean_fpu_state, sizeof(t->fpu_state));

    t->stack_top = (uint64_t)phys_to_virt(t->stack_phys) + KERNEL_STACK_PAGES * PAGE_SIZE;
    uint64_t top = t->stack_top;
    struct trap_frame *frame = (struct trap_frame *)(top - sizeof(struct trap_frame));
    memset(frame, 0, sizeof(*frame));
    frame->rip = rip;
    frame->cs = GDT_USER_CODE;
    frame->rflags = rflags_for_user(0); /* no user flags yet */
    frame->rsp = rsp;
    frame->ss = GDT_USER_DATA;
    frame->rdi = arg;

    uint64_t *stack = (uint64_t *)frame;
    *--stack = (uint64_t)thread_start_user;
    for (int i = 0; i < 6; i++)
        *--stack = 0;
    t->saved_rsp = (uint64_t)stack;
    live_threads++;
    return t;
}

void thread_free(struct thread *t)
{
    frame_free_contig(t->stack_phys, KERNEL_STACK_PAGES);
    kfree(t);
    live_threads--;
}

uint64_t thread_count(void)
{
    return live_threads;
}
