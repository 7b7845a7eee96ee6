/*
 * An empty <unistd.h> for libsodium's sources only (see errno.h beside
 * this file). sodium/utils.c includes it for sysconf(_SC_PAGESIZE), which
 * it calls only when it has page-aligned allocation (mmap or
 * posix_memalign); Parley's build claims neither, so sodium_malloc uses
 * plain malloc and nothing from here is needed.
 */
#ifndef PARLEY_SODIUM_UNISTD_H
#define PARLEY_SODIUM_UNISTD_H
#endif
