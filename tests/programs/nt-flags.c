/*
 * RFLAGS set by a user must never reach ring 0 (docs/security.md).
 *
 * The main thread sets NT, AC and DF with popfq and makes system calls
 * (yields, which switch to the spinning second thread and back through
 * iretq; sleeps; thread creation) while a second thread spins. With NT
 * left set in ring 0 the next iretq is a #GP in kernel mode: a panic.
 * It also tries to raise IOPL and clear IF, which ring 3 cannot do, and
 * checks that its own flags come back unchanged after each call.
 * Prints one line: "nt-flags: N calls with NT, AC and DF set: ok".
 */
#include <parley/sys.h>
#include <parley/syscall.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FLAG_IF (1ull << 9)
#define FLAG_DF (1ull << 10)
#define FLAG_IOPL (3ull << 12)
#define FLAG_NT (1ull << 14)
#define FLAG_AC (1ull << 18)

static volatile int stop;
static volatile long spins;

static void spinner(void *arg)
{
    (void)arg;
    while (!stop)
        spins++;
    sys_thread_exit();
}

/*
 * Sets `set` in RFLAGS (and clears `clear`), makes system call `number`
 * with argument `arg`, and returns RFLAGS as it was just after the call;
 * the caller's flags are restored before C runs again. The 128 bytes
 * skip any red zone below rsp.
 */
static uint64_t call_with_flags(long number, long arg, uint64_t set, uint64_t clear)
{
    uint64_t after;
    long ret = number;
    __asm__ volatile("sub $128, %%rsp\n\t"
                     "pushfq\n\t"
                     "pushfq\n\t"
                     "orq %[set], (%%rsp)\n\t"
                     "andq %[keep], (%%rsp)\n\t"
                     "popfq\n\t"
                     "syscall\n\t"
                     "pushfq\n\t"
                     "popq %[after]\n\t"
                     "popfq\n\t"
                     "add $128, %%rsp"
                     : "+a"(ret), [after] "=&r"(after), "+D"(arg)
                     : [set] "r"(set), [keep] "r"(~clear)
                     : "rcx", "r11", "memory", "cc");
    return after;
}

static void idle(void *arg)
{
    (void)arg;
    sys_thread_exit();
}

int main(void)
{
    enum { STACK = 16 * 1024, ROUNDS = 400 };
    const uint64_t flags = FLAG_NT | FLAG_AC | FLAG_DF;
    char *stack = malloc(STACK);
    if (stack == NULL || sys_thread_create(spinner, stack + STACK, NULL) < 0) {
        printf("nt-flags: cannot start the spinning thread\n");
        return 1;
    }
    long calls = 0, wrong = 0;
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t after = call_with_flags(SYS_YIELD, 0, flags | FLAG_IOPL, FLAG_IF);
        calls++;
        if ((after & flags) != flags || (after & FLAG_IOPL) != 0 || !(after & FLAG_IF))
            wrong++;
        if (i % 50 == 0) {
            call_with_flags(SYS_SLEEP, 1000000, flags, 0); /* 1 ms: the timer switches threads */
            calls++;
        }
    }
    /* A thread created while NT is set starts through iretq too. */
    char *stack2 = malloc(STACK);
    if (stack2 != NULL) {
        __asm__ volatile("pushfq\n\torq %0, (%%rsp)\n\tpopfq" : : "r"(FLAG_NT) : "cc", "memory");
        long tid = sys_thread_create(idle, stack2 + STACK, NULL);
        __asm__ volatile("pushfq\n\tandq %0, (%%rsp)\n\tpopfq" : : "r"(~FLAG_NT) : "cc", "memory");
        calls++;
        if (tid < 0)
            wrong++;
        sys_sleep(10000000);
    }
    stop = 1;
    sys_sleep(10000000);
    printf("nt-flags: %ld calls with NT, AC and DF set: %s\n", calls,
           wrong == 0 && spins > 0 ? "ok" : "WRONG");
    return wrong == 0 ? 0 : 1;
}
