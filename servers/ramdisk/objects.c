/*
 * The ramdisk's open objects (see objects.h): a table that grows as
 * needed, with free slots reused lowest first.
 */
#include "objects.h"

#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#define BADGE(slot, generation) ((uint32_t)(generation) << 16 | (uint32_t)(slot))
#define BADGE_SLOT(badge) ((badge)&0xFFFFu)
#define BADGE_GENERATION(badge) ((uint16_t)((badge) >> 16))
#define RETIRED 0xFFFFu /* a slot's last generation: never handed out */

static struct tree *tree;
static struct open_object root;
static struct open_object *slots;
static uint32_t slot_count;

void objects_init(struct tree *t)
{
    free(slots); /* a second call starts afresh (the host fuzz target runs many servers) */
    slots = NULL;
    slot_count = 0;
    tree = t;
    root =
        (struct open_object){.node = t->root, .rights = FS_RIGHTS_ALL, .owner = TREE_OWNER_OF_DIR};
}

/* A free slot, growing the table when none is left. */
static long slot_free(void)
{
    for (uint32_t i = 0; i < slot_count; i++)
        if (slots[i].node == NULL && !slots[i].closed && slots[i].generation != RETIRED)
            return i;
    if (slot_count == OBJECTS_MAX)
        return -E_NOSPC;
    uint32_t count = slot_count == 0 ? 64 : slot_count * 2;
    if (count > OBJECTS_MAX)
        count = OBJECTS_MAX;
    struct open_object *grown = realloc(slots, count * sizeof(grown[0]));
    if (grown == NULL)
        return -E_NOMEM;
    memset(grown + slot_count, 0, (count - slot_count) * sizeof(grown[0]));
    slots = grown;
    long slot = slot_count;
    slot_count = count;
    return slot;
}

/* The slot + 1 of the session an object opened through `via` counts against (0: none). */
static uint32_t session_for(const struct open_object *via)
{
    if (via == &root)
        return 0;
    return via->session != 0 ? via->session : (uint32_t)(via - slots) + 1;
}

int objects_room(const struct open_object *via)
{
    uint32_t session = session_for(via);
    return session == 0 || slots[session - 1].children < OBJECTS_SESSION_MAX;
}

long objects_open(struct tree_node *node, uint32_t rights, const struct open_object *via)
{
    uint32_t session = session_for(via); /* before slot_free, which may move the table */
    uint32_t owner = via->owner;
    if (session != 0 && slots[session - 1].children >= OBJECTS_SESSION_MAX)
        return -E_QUOTA;
    long slot = slot_free();
    if (slot < 0)
        return slot;
    struct open_object *o = &slots[slot];
    o->generation++; /* 1 the first time, so no badge is ever 0 */
    o->node = node;
    o->rights = rights;
    o->token = 0;
    o->session = session;
    o->children = 0;
    o->owner = owner;
    if (session != 0)
        slots[session - 1].children++;
    tree_hold(node);
    return BADGE(slot, o->generation);
}

long objects_set_owner(struct open_object *o, uint32_t uid)
{
    if (o == &root || o->session != 0 || o->owner != TREE_OWNER_OF_DIR || o->children != 0)
        return -E_PERM;
    if (uid == TREE_OWNER_OF_DIR)
        return -E_INVAL;
    o->owner = uid;
    return 0;
}

struct open_object *objects_get(uint32_t badge)
{
    if (badge == 0)
        return &root;
    uint32_t slot = BADGE_SLOT(badge);
    if (slot >= slot_count || slots[slot].node == NULL ||
        slots[slot].generation != BADGE_GENERATION(badge))
        return NULL;
    return &slots[slot];
}

long objects_close(uint32_t badge)
{
    struct open_object *o = badge != 0 ? objects_get(badge) : NULL;
    if (o == NULL)
        return -E_BADHANDLE;
    tree_release(tree, o->node);
    o->node = NULL;
    o->token = 0;
    o->closed = o->children > 0; /* a session with objects left keeps its slot */
    uint32_t session = o->session;
    if (session != 0) {
        struct open_object *s = &slots[session - 1];
        if (--s->children == 0)
            s->closed = 0;
    }
    return 0;
}
