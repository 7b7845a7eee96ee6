/*
 * A lock for the auth server's shared state: its worker threads
 * (workers.c) share the table of clients, the decoy hash and the right
 * to rewrite /etc/shadow. It is the C library's own kind of lock (a
 * test-and-set word; lib/libc/libc.h): a waiter yields rather than
 * spins, since on Parley's one CPU the holder cannot run while the
 * waiter does.
 */
#ifndef AUTH_LOCK_H
#define AUTH_LOCK_H

#include <parley/sys.h>

struct lock {
    int held;
};

static inline void lock_take(struct lock *lock)
{
    while (__atomic_exchange_n(&lock->held, 1, __ATOMIC_ACQUIRE) != 0)
        sys_yield();
}

static inline void lock_give(struct lock *lock)
{
    __atomic_store_n(&lock->held, 0, __ATOMIC_RELEASE);
}

#endif
