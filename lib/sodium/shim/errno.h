/*
 * errno for libsodium's sources only (lib/sodium/CMakeLists.txt puts this
 * directory on their include path and nobody else's).
 *
 * Parley's C library has no errno: its calls return negative error codes.
 * libsodium sets errno to say why a call returned -1 (EINVAL for a bad
 * parameter or a password that does not match, EFBIG for an oversized
 * one), so it gets one plain variable, defined in lib/sodium/core.c. It is
 * shared by all threads of a process; callers here only ever need the -1.
 * The values are Linux's, for familiarity; nothing else reads them.
 */
#ifndef PARLEY_SODIUM_ERRNO_H
#define PARLEY_SODIUM_ERRNO_H

#define EPERM 1
#define ENOMEM 12
#define EINVAL 22
#define EFBIG 27
#define ERANGE 34
#define ENOSYS 38

extern int sodium_errno;
#define errno sodium_errno

#endif
