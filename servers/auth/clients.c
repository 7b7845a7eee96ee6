/*
 * The table of fair shares (see clients.h): one entry per badge that has
 * a turn or a wait, found by a linear search (the table is small and a
 * search costs nothing next to a password check). An entry whose counts
 * both drop to zero is free again.
 */
#include "clients.h"

#include <stddef.h>

#include <parley/proto/auth.h>

/* badge's entry, or with `add` a free one made its; NULL if there is neither. */
static struct client *find(struct clients *c, uint32_t badge, bool add)
{
    struct client *free_entry = NULL;
    for (size_t i = 0; i < CLIENTS_MAX; i++) {
        if (c->entry[i].badge == badge)
            return &c->entry[i];
        if (c->entry[i].badge == 0 && free_entry == NULL)
            free_entry = &c->entry[i];
    }
    if (!add || free_entry == NULL)
        return NULL;
    *free_entry = (struct client){.badge = badge};
    return free_entry;
}

static void forget_if_idle(struct client *entry)
{
    if (entry->turns == 0 && entry->waits == 0)
        entry->badge = 0;
}

bool clients_take_turn(struct clients *c, uint32_t badge)
{
    struct client *entry = badge == 0 ? NULL : find(c, badge, true);
    if (entry == NULL)
        return false;
    unsigned share = badge == AUTH_BADGE_ROOT ? CLIENT_TURNS_ROOT : CLIENT_TURNS;
    if (entry->turns >= share) {
        forget_if_idle(entry);
        return false;
    }
    entry->turns++;
    return true;
}

void clients_end_turn(struct clients *c, uint32_t badge)
{
    struct client *entry = badge == 0 ? NULL : find(c, badge, false);
    if (entry == NULL || entry->turns == 0)
        return;
    entry->turns--;
    forget_if_idle(entry);
}

bool clients_take_wait(struct clients *c, uint32_t badge)
{
    struct client *entry = badge == 0 ? NULL : find(c, badge, true);
    if (entry == NULL)
        return false;
    if (entry->waits >= CLIENT_WAITS) {
        forget_if_idle(entry);
        return false;
    }
    entry->waits++;
    return true;
}

void clients_end_wait(struct clients *c, uint32_t badge)
{
    struct client *entry = badge == 0 ? NULL : find(c, badge, false);
    if (entry == NULL || entry->waits == 0)
        return;
    entry->waits--;
    forget_if_idle(entry);
}
