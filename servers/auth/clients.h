/*
 * Fair shares of the auth server among its callers (docs/passwords.md).
 * A caller is a badge, uid + 1 (proto/auth.h), so every process of one
 * user shares one share however many threads or processes it runs.
 *
 * A badge holds two kinds of places:
 *
 *   turns  requests that are being checked, or whose failure is waiting
 *          out AUTH_FAIL_DELAY_NS before it is answered. A user has one
 *          (CLIENT_TURNS): while one of their requests is in progress,
 *          another gets no password check at all. Root's badge is every
 *          console's login at once, so it has CLIENT_TURNS_ROOT.
 *   waits  requests that came while the badge had no turn free; each is
 *          answered -E_AGAIN after the same delay. A badge has
 *          CLIENT_WAITS of them; past that the answer comes at once.
 *
 * So a user flooding auth from many threads keeps at most one worker
 * thread busy, and only for one check at a time. This file is only the
 * bookkeeping, with no system calls and no locking (workers.c holds its
 * lock around every call), so tests/unit/auth_clients_test.c checks it
 * on the host.
 */
#ifndef AUTH_CLIENTS_H
#define AUTH_CLIENTS_H

#include <stdbool.h>
#include <stdint.h>

#define CLIENT_TURNS 1      /* requests of one user in progress at once */
#define CLIENT_TURNS_ROOT 8 /* root's: login on every console, and more */
#define CLIENT_WAITS 8      /* refused requests of one badge waiting out the delay */
#define CLIENTS_MAX 40      /* badges with a turn or a wait at once */

struct client {
    uint32_t badge; /* 0: a free entry */
    uint16_t turns;
    uint16_t waits;
};

struct clients {
    struct client entry[CLIENTS_MAX];
};

/* Takes a turn for badge (not 0); false if it has none free or the table is full. */
bool clients_take_turn(struct clients *c, uint32_t badge);

/* Gives back a turn that clients_take_turn gave. */
void clients_end_turn(struct clients *c, uint32_t badge);

/* Takes a wait for badge (not 0); false if it has none free or the table is full. */
bool clients_take_wait(struct clients *c, uint32_t badge);

/* Gives back a wait that clients_take_wait gave. */
void clients_end_wait(struct clients *c, uint32_t badge);

#endif
