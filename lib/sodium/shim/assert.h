/*
 * assert() for libsodium's sources only (see errno.h beside this file).
 *
 * libsodium asserts internal invariants; a failure means a bug, so it is
 * logged and the process aborts, as the standard assert does. Always on:
 * the checks are cheap and the code is security code.
 */
#ifndef PARLEY_SODIUM_ASSERT_H
#define PARLEY_SODIUM_ASSERT_H

_Noreturn void sodium_assert_failed(const char *expr, const char *file, int line);

#define assert(e) ((e) ? (void)0 : sodium_assert_failed(#e, __FILE__, __LINE__))

#endif
