/*
 * Checks the pipe server's session shares (servers/pipe/session.c): a
 * session gets at most PIPE_SESSION_PIPES pipes and PIPE_SESSION_ENDS
 * ends (-E_QUOTA beyond, nothing counted by the refused call), what is
 * given back can be taken again, a session's badge never names an end
 * nor the maker badge, a closed session answers to its badge no more but
 * keeps its entry until its last end is given back, and badges are never
 * reused when entries are.
 */
#include <stdint.h>

#include <parley/errors.h>
#include <parley/proto/pipe.h>

#include "../../servers/pipe/session.h"
#include "check.h"

static void test_shares(void)
{
    long a = session_new(), b = session_new();
    CHECK(a > 0 && b > 0 && a != b);
    uint32_t sa = (uint32_t)a, sb = (uint32_t)b;
    for (int i = 0; i < PIPE_SESSION_PIPES; i++)
        CHECK(session_charge(sa, 1, 2) == 0);
    CHECK(session_charge(sa, 1, 0) == -E_QUOTA);
    CHECK(session_get(sa)->pipes == PIPE_SESSION_PIPES);
    while (session_get(sa)->ends < PIPE_SESSION_ENDS)
        CHECK(session_charge(sa, 0, 1) == 0);
    CHECK(session_charge(sa, 0, 1) == -E_QUOTA);
    CHECK(session_get(sa)->ends == PIPE_SESSION_ENDS);
    /* The other session's share is untouched, and no session counts for 0. */
    CHECK(session_charge(sb, 1, 2) == 0);
    CHECK(session_charge(0, 1000, 1000) == 0);
    session_refund(sa, 1, 2);
    CHECK(session_charge(sa, 1, 2) == 0);
    session_refund(sb, 1, 2);
    session_close(sb);
    CHECK(session_get(sb)->used == false); /* nothing left: gone at once */
    session_close(sa);
    CHECK(session_of_badge(session_badge(sa)) == 0);
    CHECK(session_get(sa)->used); /* kept while its pipes live */
    session_refund(sa, PIPE_SESSION_PIPES, PIPE_SESSION_ENDS);
    CHECK(session_get(sa)->used == false);
}

static void test_badges(void)
{
    long s = session_new();
    CHECK(s > 0);
    uint32_t badge = session_badge((uint32_t)s);
    CHECK(badge != 0 && badge != PIPE_BADGE_MAKER);
    CHECK((badge & 0x1FF) == 0); /* end-slot bits 0: never an end's badge */
    CHECK(session_of_badge(badge) == (uint32_t)s);
    CHECK(session_of_badge(0) == 0 && session_of_badge(PIPE_BADGE_MAKER) == 0);
    session_close((uint32_t)s);
    long again = session_new();
    CHECK(again == s);                              /* the entry is reused ... */
    CHECK(session_badge((uint32_t)again) != badge); /* ... its badge is not */
    CHECK(session_of_badge(badge) == 0);
    session_close((uint32_t)again);
}

static void test_table_full(void)
{
    long got[SESSIONS_MAX];
    for (int i = 0; i < SESSIONS_MAX; i++) {
        got[i] = session_new();
        CHECK(got[i] > 0);
    }
    CHECK(session_new() == -E_NOSPC);
    for (int i = 0; i < SESSIONS_MAX; i++)
        session_close((uint32_t)got[i]);
    CHECK(session_new() > 0);
}

int main(void)
{
    test_shares();
    test_badges();
    test_table_full();
    return check_finish("pipe_session_test");
}
