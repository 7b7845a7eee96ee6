/*
 * An empty <unistd.h> for libsodium's sources only (see errno.h beside
 * this file). sodium/utils.c includes it for sysconf(_SC_PAGESIZE), which
 * it uses only with page protection, left out of Parley's build; without
 * _SC_PAGESIZE it falls back to a fixed page size.
 */
#ifndef PARLEY_SODIUM_UNISTD_H
#define PARLEY_SODIUM_UNISTD_H
#endif
