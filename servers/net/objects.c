/*
 * The object table (see objects.h). NET_OBJECTS_MAX slots, scanned
 * linearly: a hundred-odd objects are found faster so than by anything
 * cleverer, and the table costs no allocation.
 */
#include "objects.h"

#include <string.h>

#include <parley/errors.h>
#include <parley/proto/net.h>
#include <parley/sys.h>

#define FIRST_BADGE 16 /* below: reserved (NET_BADGE_NIC is 1) */

static struct net_object table[NET_OBJECTS_MAX];
static uint32_t next_badge = FIRST_BADGE;

struct net_object *object_find(uint32_t badge)
{
    if (badge < FIRST_BADGE)
        return NULL;
    for (int i = 0; i < NET_OBJECTS_MAX; i++)
        if (table[i].badge == badge)
            return table[i].closed ? NULL : &table[i];
    return NULL;
}

struct net_object *object_new(struct net_object *dir, enum net_kind kind, long *err)
{
    /* What is opened through a session, or through anything opened through it, is its. */
    struct net_object *session = dir != NULL && dir->dir != NULL ? dir->dir : dir;
    if (session != NULL && session->children >= NET_DIR_OBJECTS_MAX) {
        *err = -E_QUOTA;
        return NULL;
    }
    if (next_badge == UINT32_MAX) {
        *err = -E_NOSPC;
        return NULL;
    }
    for (int i = 0; i < NET_OBJECTS_MAX; i++) {
        struct net_object *o = &table[i];
        if (o->badge != 0)
            continue;
        memset(o, 0, sizeof(*o));
        o->badge = next_badge++;
        o->kind = kind;
        o->dir = session;
        if (session != NULL)
            session->children++;
        return o;
    }
    *err = -E_NOSPC;
    return NULL;
}

/* Gives the slot back; a closed session goes with its last object. */
static void release(struct net_object *o)
{
    struct net_object *session = o->dir;
    o->badge = 0;
    if (session != NULL && --session->children == 0 && session->closed)
        release(session);
}

void object_free(struct net_object *o)
{
    object_fail_waits(o, -E_BADHANDLE);
    if (o->children > 0)
        o->closed = true; /* a session whose objects live on: they keep counting against it */
    else
        release(o);
}

void object_each(void (*fn)(struct net_object *o, void *arg), void *arg)
{
    for (int i = 0; i < NET_OBJECTS_MAX; i++)
        if (table[i].badge != 0)
            fn(&table[i], arg);
}

long wait_save(struct net_wait *w, uint64_t length)
{
    if (w->reply != 0 && handle_info(w->reply) == -E_CLOSED) {
        /* The one waiting gave up (its timeout, or it died): the new request takes its place. */
        handle_close(w->reply);
        w->reply = 0;
    }
    if (w->reply != 0)
        return -E_BUSY;
    long reply = reply_save();
    if (reply < 0)
        return reply;
    w->reply = (uint32_t)reply;
    w->length = length;
    return IPC_NO_REPLY;
}

void wait_answer(struct net_wait *w, long status, struct ipc_msg *msg, struct ipc_extra *extra)
{
    if (w->reply == 0)
        return;
    struct ipc_msg bare = {0};
    if (status < 0 || msg == NULL) {
        msg = &bare;
        if (status < 0 && extra != NULL && extra->send_mem != 0) {
            sys_vm_release((void *)extra->send_mem, extra->send_mem_length);
            extra = NULL;
        }
    }
    msg->tag = (uint64_t)status;
    uint32_t reply = w->reply;
    w->reply = 0;
    long err = ipc_reply_to(reply, msg, status < 0 ? NULL : extra);
    if (err < 0 && status >= 0 && extra != NULL && extra->send_mem != 0)
        sys_vm_release((void *)extra->send_mem, extra->send_mem_length);
}

void object_fail_waits(struct net_object *o, long err)
{
    wait_answer(&o->stat, err, NULL, NULL);
    wait_answer(&o->read, err, NULL, NULL);
    wait_answer(&o->write, err, NULL, NULL);
    wait_answer(&o->accept, err, NULL, NULL);
    if (o->write_region != NULL) {
        sys_vm_release(o->write_region, o->write_region_length);
        o->write_region = NULL;
    }
    o->write_bytes = NULL;
}
