/*
 * Hands the kernel bad pointers, lengths and numbers; every call must
 * fail with the right error code, never crash the kernel or this
 * process. Exits 0 when every check passed.
 */
#include <parley/errors.h>
#include <parley/sys.h>
#include <parley/syscall.h>
#include <stdio.h>
#include <string.h>

static int failures;
static int checks;

static void expect(const char *what, long got, long want)
{
    checks++;
    if (got != want) {
        failures++;
        printf("sysbad: FAIL %s: got %ld, want %ld\n", what, got, want);
    }
}

int main(void)
{
    const char *kernel = (const char *)0xFFFFFFFF80100000ull;
    char buffer[16] = "hello";
    struct sysinfo info;

    expect("log from a kernel pointer", sys_log(kernel, 10), -E_FAULT);
    expect("log with a huge length", sys_log(buffer, (size_t)1 << 40), -E_RANGE);
    expect("log from an unmapped page", sys_log((const char *)0x1000, 4), -E_FAULT);
    expect("sysinfo into the kernel", sys_sysinfo((struct sysinfo *)kernel), -E_FAULT);
    expect("sysinfo into read-only text", sys_sysinfo((struct sysinfo *)(void *)main), -E_FAULT);
    expect("sysinfo into our stack", sys_sysinfo(&info), 0);
    expect("spawn from a kernel pointer", sys_spawn(kernel, 4096, NULL), -E_FAULT);
    expect("spawn of a huge image", sys_spawn(buffer, (size_t)1 << 40, NULL), -E_RANGE);
    const char *argv[] = {"x", NULL};
    expect("spawn of garbage", sys_spawn(buffer, sizeof(buffer), argv), -E_NOEXEC);
    expect("spawn with argv in the kernel",
           sys_spawn(buffer, sizeof(buffer), (const char *const *)kernel), -E_FAULT);
    expect("wait with no children", sys_wait(-1, (int *)kernel), -E_CHILD);
    expect("kill of no such process", sys_kill(99999), -E_SRCH);
    expect("kill of init", sys_kill(1), -E_PERM);
    expect("unknown system call", sys_call6(999, 0, 0, 0, 0, 0, 0), -E_NOSYS);
    /* Handles are 32-bit: high bits must not reach the kernel's table index. */
    expect("handle info with high bits set",
           sys_call6(SYS_HANDLE_INFO, (1L << 32) | 1, 0, 0, 0, 0, 0), -E_BADHANDLE);
    expect("derive with high bits set", sys_call6(SYS_CAP_DERIVE, (1L << 40) | 1, 0, 1, 0, 0, 0),
           -E_BADHANDLE);
    /* Below USER_MIN nothing is mapped: a thread there would only kill us with its fault. */
    expect("thread at address 0",
           sys_call6(SYS_THREAD_CREATE, 0, (long)(buffer + 16) & ~15L, 0, 0, 0, 0), -E_INVAL);
    expect("thread just below the user half",
           sys_call6(SYS_THREAD_CREATE, 0xFFFF, (long)(buffer + 16) & ~15L, 0, 0, 0, 0), -E_INVAL);
    expect("thread with its stack in the first page",
           sys_call6(SYS_THREAD_CREATE, (long)main, 0x1000, 0, 0, 0, 0), -E_INVAL);
    expect("reserve nothing", sys_vm_reserve(0, VM_READ | VM_WRITE), -E_INVAL);
    expect("release what was never reserved", sys_vm_release((void *)0x123000, 4096), -E_INVAL);

    unsigned char a[32] = {0}, b[32] = {0};
    expect("random bytes", sys_random(a, sizeof(a)), 0);
    expect("more random bytes", sys_random(b, sizeof(b)), 0);
    expect("two draws differ", memcmp(a, b, sizeof(a)) != 0, 1);
    expect("random into the kernel", sys_random((void *)kernel, 8), -E_FAULT);
    expect("random too long", sys_random(a, 257), -E_RANGE);
    printf("sysbad: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
