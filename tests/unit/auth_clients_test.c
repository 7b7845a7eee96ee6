/*
 * Checks the auth server's fair shares (servers/auth/clients.c): a user's
 * badge gets CLIENT_TURNS turns and CLIENT_WAITS waits and no more, root's
 * badge CLIENT_TURNS_ROOT turns; one badge at its limit leaves every other
 * badge its full share; badge 0 gets nothing; giving back more than was
 * taken changes nothing; an entry whose counts reach zero is free again,
 * so CLIENTS_MAX badges can come and go for ever; and a full table
 * refuses a new badge while the ones in it keep their shares.
 */
#include <string.h>

#include <parley/proto/auth.h>

#include "../../servers/auth/clients.h"
#include "check.h"

static struct clients c;

static void test_user_share(void)
{
    uint32_t alice = AUTH_BADGE(1000), bob = AUTH_BADGE(1001);
    memset(&c, 0, sizeof(c));
    for (int i = 0; i < CLIENT_TURNS; i++)
        CHECK(clients_take_turn(&c, alice));
    CHECK(!clients_take_turn(&c, alice));
    for (int i = 0; i < CLIENT_WAITS; i++)
        CHECK(clients_take_wait(&c, alice));
    CHECK(!clients_take_wait(&c, alice));
    /* bob is not held back by alice. */
    CHECK(clients_take_turn(&c, bob));
    CHECK(clients_take_wait(&c, bob));
    /* A turn given back can be taken again; a wait does not give a turn. */
    clients_end_turn(&c, alice);
    CHECK(clients_take_turn(&c, alice));
    CHECK(!clients_take_turn(&c, alice));
    clients_end_wait(&c, alice);
    CHECK(!clients_take_turn(&c, alice));
    CHECK(clients_take_wait(&c, alice));
}

static void test_root_and_nobody(void)
{
    memset(&c, 0, sizeof(c));
    for (int i = 0; i < CLIENT_TURNS_ROOT; i++)
        CHECK(clients_take_turn(&c, AUTH_BADGE_ROOT));
    CHECK(!clients_take_turn(&c, AUTH_BADGE_ROOT));
    CHECK(!clients_take_turn(&c, 0));
    CHECK(!clients_take_wait(&c, 0));
    clients_end_turn(&c, 0);
    clients_end_wait(&c, 0);
}

static void test_giving_back_too_much(void)
{
    uint32_t alice = AUTH_BADGE(1000);
    memset(&c, 0, sizeof(c));
    clients_end_turn(&c, alice); /* never taken */
    clients_end_wait(&c, alice);
    CHECK(clients_take_turn(&c, alice));
    clients_end_turn(&c, alice);
    clients_end_turn(&c, alice); /* once too often */
    for (int i = 0; i < CLIENT_TURNS; i++)
        CHECK(clients_take_turn(&c, alice));
    CHECK(!clients_take_turn(&c, alice));
}

static void test_entries_come_and_go(void)
{
    memset(&c, 0, sizeof(c));
    /* Many more badges than entries, one after another: each entry is freed. */
    for (uint32_t uid = 1000; uid < 1000 + 10 * CLIENTS_MAX; uid++) {
        CHECKF(clients_take_turn(&c, AUTH_BADGE(uid)), "uid %u", uid);
        CHECKF(clients_take_wait(&c, AUTH_BADGE(uid)), "uid %u", uid);
        clients_end_wait(&c, AUTH_BADGE(uid));
        clients_end_turn(&c, AUTH_BADGE(uid));
    }
    for (int i = 0; i < CLIENTS_MAX; i++)
        CHECKF(c.entry[i].badge == 0, "entry %d", i);
}

static void test_full_table(void)
{
    memset(&c, 0, sizeof(c));
    for (uint32_t uid = 1000; uid < 1000 + CLIENTS_MAX; uid++)
        CHECKF(clients_take_wait(&c, AUTH_BADGE(uid)), "uid %u", uid);
    uint32_t late = AUTH_BADGE(5000);
    CHECK(!clients_take_turn(&c, late));
    CHECK(!clients_take_wait(&c, late));
    /* Those in the table still get their turn. */
    CHECK(clients_take_turn(&c, AUTH_BADGE(1000)));
    /* A refused newcomer left no entry behind, and a freed entry takes it in. */
    clients_end_wait(&c, AUTH_BADGE(1001));
    CHECK(clients_take_turn(&c, late));
}

int main(void)
{
    test_user_share();
    test_root_and_nobody();
    test_giving_back_too_much();
    test_entries_come_and_go();
    test_full_table();
    return check_finish("auth_clients_test");
}
