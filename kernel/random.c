/*
 * Entropy for user space.
 *
 * The pool is 256 bits of state stirred with the low bits of the TSC at
 * every timer tick and system call into SYS_RANDOM (their timing depends
 * on interrupts, the host and the emulator), plus RDRAND output when
 * CPUID says the instruction exists. Output is produced by a keyed
 * mixing function (SipHash-style ARX rounds) over the pool and a counter,
 * so the raw pool is never shown. It is a seed source: user space runs
 * its own CSPRNG (libsodium's) seeded from here.
 */
#include "random.h"

#include <stdbool.h>

#include "arch/cpu.h"
#include "common/string.h"
#include "log.h"

static uint64_t pool[4];
static uint64_t counter;
static bool have_rdrand;

static uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* Four SipHash rounds over the state. */
static void mix(uint64_t v[4])
{
    for (int i = 0; i < 4; i++) {
        v[0] += v[1];
        v[1] = rotl(v[1], 13) ^ v[0];
        v[0] = rotl(v[0], 32);
        v[2] += v[3];
        v[3] = rotl(v[3], 16) ^ v[2];
        v[0] += v[3];
        v[3] = rotl(v[3], 21) ^ v[0];
        v[2] += v[1];
        v[1] = rotl(v[1], 17) ^ v[2];
        v[2] = rotl(v[2], 32);
    }
}

static bool rdrand(uint64_t *out)
{
    for (int tries = 0; tries < 10; tries++) {
        uint8_t ok;
        __asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok));
        if (ok)
            return true;
    }
    return false;
}

void random_stir(uint64_t value)
{
    pool[counter++ & 3] ^= value;
    mix(pool);
}

void random_init(void)
{
    uint32_t eax = 1, ebx, ecx, edx;
    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
    have_rdrand = (ecx >> 30) & 1;
    pool[0] = 0x736f6d6570736575ull ^ rdtsc();
    pool[1] = 0x646f72616e646f6dull;
    pool[2] = 0x6c7967656e657261ull;
    pool[3] = 0x7465646279746573ull;
    for (int i = 0; i < 16; i++)
        random_stir(rdtsc());
    log_info("random: %s, mixed with timer jitter",
             have_rdrand ? "RDRAND available" : "no RDRAND; timer jitter only");
}

void random_fill(void *buf, size_t length)
{
    uint8_t *out = buf;
    random_stir(rdtsc());
    while (length > 0) {
        uint64_t extra = 0;
        if (have_rdrand)
            rdrand(&extra);
        uint64_t v[4] = {pool[0] ^ extra, pool[1] ^ counter++, pool[2], pool[3] ^ rdtsc()};
        mix(v);
        uint64_t word = v[0] ^ v[1] ^ v[2] ^ v[3];
        size_t n = length < 8 ? length : 8;
        memcpy(out, &word, n);
        out += n;
        length -= n;
        random_stir(word ^ rdtsc()); /* forward secrecy: the pool moves on */
    }
}
