/*
 * Test programs that each do one forbidden thing and must be killed by
 * the kernel with a "fault pid=... name=..." line, while the system goes
 * on. One source, built once per behaviour: FAULT_KIND selects it.
 */
#include <parley/sys.h>
#include <stdint.h>
#include <stdio.h>

/* Recursion with no end; the volatile depth hides that from the compiler. */
static volatile int limit = 1 << 30;

static __attribute__((unused)) int recurse(int depth)
{
    volatile char pad[256];
    pad[0] = (char)depth;
    if (depth >= limit)
        return 0;
    return recurse(depth + 1) + pad[0];
}

int main(void);

static void do_fault(void)
{
#if FAULT_KIND == 1 /* NULL dereference */
    *(volatile int *)0 = 1;
#elif FAULT_KIND == 2 /* write to our own text */
    *(volatile uint8_t *)(uintptr_t)main = 0xC3;
#elif FAULT_KIND == 3 /* privileged instruction */
    __asm__ volatile("cli");
#elif FAULT_KIND == 4
    __asm__ volatile("hlt");
#elif FAULT_KIND == 5 /* read the kernel */
    (void)*(volatile uint64_t *)0xFFFFFFFF80100000ull;
#elif FAULT_KIND == 6 /* run into the stack guard page */
    recurse(0);
#elif FAULT_KIND == 7 /* divide error */
    /* In assembly: the compiler turns 1 / x into a comparison without dividing. */
    __asm__ volatile("xor %%ecx, %%ecx\n\tmov $1, %%eax\n\tcltd\n\tidivl %%ecx" ::
                         : "eax", "ecx", "edx");
#elif FAULT_KIND == 8 /* invalid opcode */
    __asm__ volatile("ud2");
#endif
}

int main(void)
{
    printf("fault: about to fault (kind %d)\n", FAULT_KIND);
    do_fault();
    printf("fault: still alive, which is wrong\n");
    return 0;
}
