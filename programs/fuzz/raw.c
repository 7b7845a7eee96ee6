/*
 * Entering the kernel the way a hostile program would: any register
 * contents, RFLAGS set with popfq right before `syscall`, and sometimes a
 * wild stack pointer (the kernel must never touch the user stack).
 *
 * The kernel keeps user flags it returns with (rflags_for_user in
 * kernel/trap.h), so the flags this thread had before are saved on its own
 * stack and put back by the last popfq: the C code around us must see DF
 * clear again. The red zone below rsp may hold the caller's locals, so
 * the stack pointer first steps 128 bytes past it.
 */
#include "fuzz.h"

#define FLAG_CF (1ull << 0)
#define FLAG_PF (1ull << 2)
#define FLAG_AF (1ull << 4)
#define FLAG_ZF (1ull << 6)
#define FLAG_SF (1ull << 7)
#define FLAG_IF (1ull << 9)
#define FLAG_DF (1ull << 10)
#define FLAG_OF (1ull << 11)
#define FLAG_IOPL (3ull << 12)
#define FLAG_NT (1ull << 14)
#define FLAG_RF (1ull << 16)
#define FLAG_AC (1ull << 18)
#define FLAG_ID (1ull << 21)

/*
 * Everything popfq lets ring 3 set except TF, which would single-step
 * into a #DB at the next instruction and kill the fuzzer. IF and IOPL are
 * included although popfq ignores them at CPL 3 with IOPL 0: trying costs
 * nothing. AC is harmless here: the only memory access between popfq and
 * the restoring popfq is that aligned popfq itself.
 */
uint64_t fuzz_rflags(struct rng *r)
{
    const uint64_t safe = FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_IF | FLAG_DF |
                          FLAG_OF | FLAG_IOPL | FLAG_NT | FLAG_RF | FLAG_AC | FLAG_ID;
    switch (rng_below(r, 4)) {
    case 0:
        return 0;
    case 1:
        return safe; /* every bit at once */
    default:
        return rng_next(r) & safe;
    }
}

long fuzz_syscall(struct fuzz_call *c)
{
    register uint64_t r10 __asm__("r10") = c->arg[3];
    register uint64_t r8 __asm__("r8") = c->arg[4];
    register uint64_t r9 __asm__("r9") = c->arg[5];
    register uint64_t r12 __asm__("r12") = c->timeout;
    register uint64_t r13 __asm__("r13") = c->extra;
    uint64_t rax = c->number, rdi = c->arg[0], rsi = c->arg[1], rdx = c->arg[2];
    uint64_t flags = c->rflags, wild = c->rsp;

    __asm__ volatile("sub $128, %%rsp\n\t"       /* past the red zone */
                     "pushfq\n\t"                /* our own flags, for afterwards */
                     "mov %%rsp, %%rbx\n\t"      /* the real stack, kept in rbx */
                     "test %[wild], %[wild]\n\t" /* no wild rsp asked: use the real one */
                     "cmovz %%rsp, %[wild]\n\t"
                     "push %[flags]\n\t"
                     "popfq\n\t"              /* the random flags, from here on */
                     "mov %[wild], %%rsp\n\t" /* mov leaves the flags alone */
                     "syscall\n\t"            /* rcx and r11 are lost */
                     "mov %%rbx, %%rsp\n\t"
                     "popfq\n\t" /* our flags back: DF clear, no NT, no AC */
                     "add $128, %%rsp"
                     : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r10), "+r"(r8), "+r"(r9),
                       "+r"(r12), "+r"(r13), [wild] "+r"(wild)
                     : [flags] "r"(flags)
                     : "rbx", "rcx", "r11", "memory", "cc");
    c->arg[0] = rdi;
    c->arg[1] = rsi;
    c->arg[2] = rdx;
    c->arg[3] = r10;
    c->arg[4] = r8;
    c->arg[5] = r9;
    return (long)rax;
}
