/*
 * An empty <signal.h> for libsodium's sources only (see errno.h beside
 * this file). sodium/utils.c includes it for raise(), which it calls only
 * in its guard-page code for page-aligned allocation; Parley's build
 * leaves that out (see unistd.h), so nothing from here is needed.
 */
#ifndef PARLEY_SODIUM_SIGNAL_H
#define PARLEY_SODIUM_SIGNAL_H
#endif
