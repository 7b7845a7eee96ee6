/*
 * Parley's replacement for libsodium's sodium/core.c: sodium_init(), the
 * misuse handler, and the errno and assert() hooks of this directory's
 * shim headers.
 *
 * libsodium's own core.c cannot be used as it is: its sodium_init() picks
 * the fastest implementation of every primitive in the library, so it
 * would drag in ChaCha20, Poly1305, Curve25519 and the rest, none of which
 * Parley builds. Here only what password hashing needs is set up: the
 * random generator is seeded and sodium_malloc's canary is chosen.
 * Argon2 and BLAKE2b keep their portable implementations, which are what
 * their function pointers start out as.
 *
 * Calling sodium_init() first is good practice, as libsodium says, but
 * not required: the generator seeds itself on first use.
 */
#include <assert.h> /* shim/assert.h: declares sodium_assert_failed */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <parley/sys.h>
#include <sodium/core.h>
#include <sodium/randombytes.h>
#include <sodium/utils.h>

/* Set by libsodium calls that fail; see shim/errno.h. */
int sodium_errno;

static int init_lock;
static bool initialized;
static void (*misuse_handler)(void);

/* Returns 0 the first time, 1 when already initialized, as libsodium's does. */
int sodium_init(void)
{
    int status = 1;

    while (__atomic_exchange_n(&init_lock, 1, __ATOMIC_ACQUIRE) != 0)
        sys_yield();
    if (!initialized) {
        randombytes_stir();
        _sodium_alloc_init();
        initialized = true;
        status = 0;
    }
    __atomic_store_n(&init_lock, 0, __ATOMIC_RELEASE);
    return status;
}

int sodium_set_misuse_handler(void (*handler)(void))
{
    __atomic_store_n(&misuse_handler, handler, __ATOMIC_RELEASE);
    return 0;
}

/*
 * A caller broke one of libsodium's preconditions (an absurd length, say)
 * or the generator could not be seeded. Carrying on could hand out weak
 * keys or hashes, so after the optional handler the process ends.
 */
void sodium_misuse(void)
{
    void (*handler)(void) = __atomic_load_n(&misuse_handler, __ATOMIC_ACQUIRE);

    if (handler != NULL)
        handler();
    printf("libsodium: misuse detected, aborting\n");
    abort();
}

_Noreturn void sodium_assert_failed(const char *expr, const char *file, int line)
{
    printf("libsodium: assertion failed: %s (%s:%d)\n", expr, file, line);
    abort();
}
