/*
 * libsodium's random numbers on Parley: the functions of
 * <sodium/randombytes.h>, in place of libsodium's randombytes/ directory.
 *
 * Password hashing needs random bytes for two things: the salt of every
 * new hash (crypto_pwhash_str) and the canary sodium_malloc puts beside
 * its blocks. libsodium's generators read /dev/urandom or getrandom(),
 * which Parley does not have, and its dispatcher links in ChaCha20 for
 * randombytes_buf_deterministic(); so this file replaces both and leaves
 * that one function out.
 *
 * The kernel's SYS_RANDOM gives seed material (RDRAND mixed with timer
 * jitter; kernel/random.c) and expects user space to run its own
 * generator. Ours is keyed BLAKE2b, which the library has anyway, in
 * counter mode with "fast key erasure": each request is answered from
 * BLAKE2b(key, counter) blocks and then the key is replaced by one more
 * such block, so someone who later reads the process's memory cannot
 * recompute what was handed out before. The key comes from the kernel on
 * first use and on randombytes_stir(), and is stirred again with fresh
 * kernel bytes after every RESEED_BYTES of output.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <parley/sys.h>
#include <sodium/core.h>
#include <sodium/crypto_generichash_blake2b.h>
#include <sodium/randombytes.h>
#include <sodium/utils.h>

#define KEY_BYTES 32
#define BLOCK_BYTES 64 /* BLAKE2b's longest output */
#define SEED_BYTES 64  /* kernel bytes mixed in at each (re)seed */
#define RESEED_BYTES ((uint64_t)1 << 20)

static struct {
    int lock;
    bool seeded;
    uint8_t key[KEY_BYTES];
    uint64_t counter;
    uint64_t since_seed; /* bytes handed out since the last seed */
} rng;

static void rng_lock(void)
{
    while (__atomic_exchange_n(&rng.lock, 1, __ATOMIC_ACQUIRE) != 0)
        sys_yield();
}

static void rng_unlock(void)
{
    __atomic_store_n(&rng.lock, 0, __ATOMIC_RELEASE);
}

/*
 * key = BLAKE2b(key: old key, message: fresh kernel bytes). Mixing rather
 * than replacing means a weak kernel answer cannot make the key weaker
 * than it was. Without kernel bytes there is nothing safe to hand out, so
 * a failure here is fatal.
 */
static void rng_seed(void)
{
    uint8_t fresh[SEED_BYTES], key[KEY_BYTES];

    if (sys_random(fresh, sizeof fresh) != 0)
        sodium_misuse();
    crypto_generichash_blake2b(key, KEY_BYTES, fresh, sizeof fresh, rng.seeded ? rng.key : NULL,
                               rng.seeded ? KEY_BYTES : 0);
    memcpy(rng.key, key, KEY_BYTES);
    sodium_memzero(fresh, sizeof fresh);
    sodium_memzero(key, sizeof key);
    rng.seeded = true;
    rng.since_seed = 0;
}

/* One block of output: BLAKE2b-512 of the counter under the current key. */
static void rng_block(uint8_t out[BLOCK_BYTES])
{
    uint8_t message[8];

    for (int i = 0; i < 8; i++)
        message[i] = (uint8_t)(rng.counter >> (8 * i));
    rng.counter++;
    crypto_generichash_blake2b(out, BLOCK_BYTES, message, sizeof message, rng.key, KEY_BYTES);
}

void randombytes_buf(void *const buf, const size_t size)
{
    uint8_t block[BLOCK_BYTES];
    uint8_t *out = buf;
    size_t left = size;

    rng_lock();
    if (!rng.seeded || rng.since_seed >= RESEED_BYTES)
        rng_seed();
    while (left > 0) {
        size_t n = left < BLOCK_BYTES ? left : BLOCK_BYTES;
        rng_block(block);
        memcpy(out, block, n);
        out += n;
        left -= n;
    }
    rng_block(block); /* the next key: the one just used is gone */
    memcpy(rng.key, block, KEY_BYTES);
    rng.since_seed += size;
    rng_unlock();
    sodium_memzero(block, sizeof block);
}

void randombytes_stir(void)
{
    rng_lock();
    rng_seed();
    rng_unlock();
}

uint32_t randombytes_random(void)
{
    uint32_t r;

    randombytes_buf(&r, sizeof r);
    return r;
}

/*
 * A uniform number below upper_bound: values below 2^32 mod upper_bound
 * are redrawn, so every remainder is equally likely.
 */
uint32_t randombytes_uniform(const uint32_t upper_bound)
{
    uint32_t min, r;

    if (upper_bound < 2)
        return 0;
    min = (uint32_t)(-upper_bound) % upper_bound;
    do {
        r = randombytes_random();
    } while (r < min);
    return r % upper_bound;
}

size_t randombytes_seedbytes(void)
{
    return randombytes_SEEDBYTES;
}

int randombytes_close(void)
{
    return 0;
}

const char *randombytes_implementation_name(void)
{
    return "parley-blake2b";
}

void randombytes(unsigned char *const buf, const unsigned long long buf_len)
{
    randombytes_buf(buf, (size_t)buf_len);
}
