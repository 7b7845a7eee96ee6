/*
 * Pipe sessions: the pipe server's per-login share of its tables. Pure
 * code with no system calls, so tests/unit/pipe_session_test.c runs it
 * on the build machine.
 *
 * login asks the server for a session (PIPE_SESSION) for each user's
 * shell; the handle it gets back carries the session's badge, and every
 * pipe made through it, and every end of such a pipe, counts against
 * that session: at most PIPE_SESSION_PIPES pipes and PIPE_SESSION_ENDS
 * ends (session_charge says -E_QUOTA beyond). A session's badge has
 * end-slot bits 0, like PIPE_BADGE_MAKER, so it never names an end, and
 * bit 31 clear, unlike it; badges are never reused. A session whose last
 * handle is gone (session_close) keeps its entry while its pipes live,
 * so closing it never frees its share early.
 */
#ifndef SERVERS_PIPE_SESSION_H
#define SERVERS_PIPE_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#define SESSIONS_MAX 16 /* sessions at once: four consoles' logins, and room to spare */

struct pipe_session {
    bool used;
    bool closed; /* its last handle is gone; the entry goes with its last end */
    uint32_t badge;
    uint32_t pipes, ends; /* what counts against it now */
};

/* A new session's number (1..SESSIONS_MAX); -E_NOSPC when the table or the badges are spent. */
long session_new(void);

uint32_t session_badge(uint32_t session);

/* The open session a badge names (its number), or 0. */
uint32_t session_of_badge(uint32_t badge);

/*
 * Counts `pipes` more pipes and `ends` more ends against a session
 * (0: none, nothing is counted); -E_QUOTA if that would pass its share.
 */
long session_charge(uint32_t session, uint32_t pipes, uint32_t ends);

/* Gives back what session_charge counted; a closed session goes with its last end. */
void session_refund(uint32_t session, uint32_t pipes, uint32_t ends);

/* The session's last handle is gone: no more pipes through it. */
void session_close(uint32_t session);

/* For tests and messages. */
const struct pipe_session *session_get(uint32_t session);

#endif
