/*
 * The ramdisk's open objects: what each badge it has minted stands for.
 *
 * A client's handle carries a badge, and the badge is all the server
 * trusts. It names one open object: a node of the tree and the rights
 * granted on it. Badge 0 (an unbadged handle, init's) is the root
 * directory with every right and cannot be closed.
 *
 * A badge is never given out twice: its low 16 bits pick a slot, its high
 * 16 bits count how often that slot has been used, and a slot whose count
 * is spent is retired. A stale handle kept after FS_CLOSE (a copy, say)
 * therefore reaches nothing rather than whatever opened next, and the
 * kernel's IPC_TAG_CLOSED for a badge (its last handle gone) can only
 * ever close the object that badge was minted for.
 *
 * An object is freed by FS_CLOSE or when the last handle carrying its
 * badge is closed, whichever comes first (main.c).
 *
 * Quotas: an object opened through the root (badge 0, which only init and
 * the vfs hold: the vfs opens each namespace's mount directories so) is a
 * session; everything opened through a session, or through anything
 * opened through it, counts against it, at most OBJECTS_SESSION_MAX
 * (-E_QUOTA beyond), so one user's programs cannot take the table. A
 * session closed while its objects live keeps its slot until the last of
 * them is closed.
 *
 * Owners: the vfs tells each session whose it is (FS_SESSION_OWNER, once,
 * before anything is opened through it), and what is made through the
 * session or anything opened through it belongs to that uid and counts
 * against their share of the space (tree.h). Objects of a session never
 * told, and the root, make nodes owned like their directory.
 */
#ifndef RAMDISK_OBJECTS_H
#define RAMDISK_OBJECTS_H

#include <stdint.h>

#include "tree.h"

#define OBJECTS_MAX 0xFFFFu       /* open objects at once */
#define OBJECTS_SESSION_MAX 1024u /* open through one session (a namespace's mount) */

struct open_object {
    struct tree_node *node; /* NULL: a free slot */
    uint32_t rights;        /* FS_RIGHT_* */
    uint16_t generation;    /* the badge's high half */
    uint64_t token;         /* FS_TOKEN's answer, 0 if none is pending */
    uint32_t token_pid;     /* the only process that may use it */
    uint32_t session;       /* slot + 1 of the session it counts against; 0: it is one */
    uint32_t children;      /* a session: the objects counting against it */
    uint32_t owner;         /* whose new nodes are; TREE_OWNER_OF_DIR: the directory's */
    uint8_t closed;         /* a session closed while children live: its slot is kept */
};

/* Sets up the table; badge 0 will stand for the tree's root. */
void objects_init(struct tree *t);

/* May one more object be opened through `via` (the requester's object)? */
int objects_room(const struct open_object *via);

/*
 * A new open object for node (held in the tree), opened through `via`;
 * returns its badge or -E_QUOTA/-E_NOSPC/-E_NOMEM.
 */
long objects_open(struct tree_node *node, uint32_t rights, const struct open_object *via);

/* The open object a badge names, or NULL if it is closed or was never given out. */
struct open_object *objects_get(uint32_t badge);

/*
 * Makes uid the owner of what is made through session object o; -E_PERM
 * unless o is a session with no owner yet and nothing opened through it.
 */
long objects_set_owner(struct open_object *o, uint32_t uid);

/* Closes the object of a badge (not 0); -E_BADHANDLE if there is none. */
long objects_close(uint32_t badge);

#endif
