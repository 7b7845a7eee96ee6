/*
 * authflood: what a user can do to the auth server. Every program a
 * user's shell starts gets the user's own auth handle as handle 4
 * (badge uid + 1, see programs/sh/exec.c), and auth answers AUTH_LOGIN
 * for any badge, so this is the flood any user can make: several
 * threads calling AUTH_LOGIN with a wrong password, as fast as auth
 * answers, for a while.
 *
 *   authflood [-t THREADS] [-s SECONDS] [NAME]
 *
 * NAME (default: $USER) is the account whose password is guessed. The
 * last line counts the answers: "authflood: T threads, N calls in S s:
 * R refused, B busy, O other"; refused is -E_PERM (a wrong password),
 * busy is -E_AGAIN (another of this user's requests was in progress),
 * other is anything else and should be 0. tests/qemu/test_auth_flood.py
 * runs it on one console and logs in on another meanwhile.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/sys.h>

#include "../../programs/login/auth_client.h"

#define HANDLE_AUTH 4
#define THREADS_MAX 32
#define STACK (64 * 1024)

static const char *name;
static uint64_t deadline;
static long calls, refused, busy, other;
static int running;

static void flood(void *arg)
{
    (void)arg;
    struct auth_user user;
    while (time_now_ns() < deadline) {
        long err = auth_login(HANDLE_AUTH, name, "not-the-password", &user);
        __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
        long *count = err == -E_PERM ? &refused : err == -E_AGAIN ? &busy : &other;
        __atomic_add_fetch(count, 1, __ATOMIC_RELAXED);
        if (err != -E_PERM && err != -E_AGAIN && err != 0) {
            printf("authflood: auth said %s\n", error_string((int)err));
            if (err == -E_CLOSED || err == -E_BADHANDLE)
                break; /* no auth to flood */
        }
    }
    __atomic_sub_fetch(&running, 1, __ATOMIC_RELEASE);
    sys_thread_exit();
}

int main(int argc, char **argv)
{
    long threads = 8, seconds = 20;
    name = getenv("USER");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
            threads = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
            seconds = strtol(argv[++i], NULL, 10);
        else if (argv[i][0] != '-')
            name = argv[i];
        else
            name = NULL;
    }
    if (name == NULL || threads < 1 || threads > THREADS_MAX || seconds < 1) {
        printf("usage: authflood [-t THREADS(1-%d)] [-s SECONDS] [NAME]\n", THREADS_MAX);
        return 2;
    }
    uint64_t start = time_now_ns();
    deadline = start + (uint64_t)seconds * 1000000000ull;
    printf("authflood: %ld threads guessing %s's password for %ld s\n", threads, name, seconds);
    for (long i = 0; i < threads; i++) {
        char *stack = malloc(STACK);
        __atomic_add_fetch(&running, 1, __ATOMIC_ACQUIRE);
        long tid = stack == NULL ? -E_NOMEM : sys_thread_create(flood, stack + STACK, NULL);
        if (tid < 0) {
            __atomic_sub_fetch(&running, 1, __ATOMIC_RELEASE);
            printf("authflood: cannot start thread %ld: %s\n", i, error_string((int)tid));
            threads = i;
            break;
        }
    }
    while (__atomic_load_n(&running, __ATOMIC_ACQUIRE) > 0)
        sys_sleep(50000000ull); /* the threads end by the deadline, or when one call is done */
    printf("authflood: %ld threads, %ld calls in %lu s: %ld refused, %ld busy, %ld other\n",
           threads, calls, (unsigned long)((time_now_ns() - start) / 1000000000ull), refused, busy,
           other);
    return other == 0 ? 0 : 1;
}
