/*
 * gcc's own <limits.h> defines every standard limit (INT_MAX, LONG_MAX,
 * CHAR_BIT, ...) and then includes the "next" limits.h on the search path
 * for a C library to add its own. With -nostdinc this is the next one; it
 * has nothing to add, but without it that include fails. Programs include
 * <limits.h> as usual and get gcc's file first.
 */
#ifndef PARLEY_LIBC_LIMITS_H
#define PARLEY_LIBC_LIMITS_H
#endif
