/*
 * Pipe sessions (session.h): a small table of counts, one entry per
 * login. Sessions are numbered by entry (1..SESSIONS_MAX), badges by a
 * counter that never goes back, so an entry reused by a later session
 * never answers to an earlier one's badge.
 */
#include "session.h"

#include <stddef.h>

#include <parley/errors.h>
#include <parley/proto/pipe.h>

/* Badge bits 0-8 are an end's slot + 1 (main.c): a session's are 0, and bit 31 stays clear. */
#define SESSION_BADGE_SHIFT 9
#define SESSION_IDS_MAX (1u << (31 - SESSION_BADGE_SHIFT))

static struct pipe_session sessions[SESSIONS_MAX];
static uint32_t next_id = 1;

long session_new(void)
{
    if (next_id >= SESSION_IDS_MAX)
        return -E_NOSPC;
    for (uint32_t i = 0; i < SESSIONS_MAX; i++) {
        if (!sessions[i].used) {
            sessions[i] =
                (struct pipe_session){.used = true, .badge = next_id++ << SESSION_BADGE_SHIFT};
            return (long)i + 1;
        }
    }
    return -E_NOSPC;
}

uint32_t session_badge(uint32_t session)
{
    return sessions[session - 1].badge;
}

uint32_t session_of_badge(uint32_t badge)
{
    if (badge == 0)
        return 0;
    for (uint32_t i = 0; i < SESSIONS_MAX; i++)
        if (sessions[i].used && !sessions[i].closed && sessions[i].badge == badge)
            return i + 1;
    return 0;
}

long session_charge(uint32_t session, uint32_t pipes, uint32_t ends)
{
    if (session == 0)
        return 0;
    struct pipe_session *s = &sessions[session - 1];
    if (s->pipes + pipes > PIPE_SESSION_PIPES || s->ends + ends > PIPE_SESSION_ENDS)
        return -E_QUOTA;
    s->pipes += pipes;
    s->ends += ends;
    return 0;
}

static void session_release_if_done(struct pipe_session *s)
{
    if (s->closed && s->pipes == 0 && s->ends == 0)
        *s = (struct pipe_session){0};
}

void session_refund(uint32_t session, uint32_t pipes, uint32_t ends)
{
    if (session == 0)
        return;
    struct pipe_session *s = &sessions[session - 1];
    s->pipes -= pipes;
    s->ends -= ends;
    session_release_if_done(s);
}

void session_close(uint32_t session)
{
    struct pipe_session *s = &sessions[session - 1];
    s->closed = true;
    session_release_if_done(s);
}

const struct pipe_session *session_get(uint32_t session)
{
    return session == 0 || session > SESSIONS_MAX ? NULL : &sessions[session - 1];
}
