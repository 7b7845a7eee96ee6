/*
 * <sys/types.h> for libsodium's sources only (see ../errno.h).
 * randombytes.h and the Argon2 code include it out of habit; the types
 * they use come from <stddef.h> and <stdint.h>, so it is empty.
 */
#ifndef PARLEY_SODIUM_SYS_TYPES_H
#define PARLEY_SODIUM_SYS_TYPES_H
#endif
