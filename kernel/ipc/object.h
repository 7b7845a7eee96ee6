/*
 * Kernel objects: what a handle names.
 *
 * Every object starts with struct kobject: its type, the number of
 * handles that refer to it, and the operations of its type. The handle
 * table calls handle_added/handle_removed as handles come and go (an
 * endpoint counts the handles able to send and to receive, so it knows
 * when a peer is gone, and the handles of each badge, so it can tell
 * its receiver when the last one carrying a badge is closed) and
 * destroy when the last handle is closed.
 */
#ifndef IPC_OBJECT_H
#define IPC_OBJECT_H

#include <stdint.h>

struct kobject;

struct kobject_ops {
    /* May refuse the new handle (-E_NOMEM); then it is not installed. */
    long (*handle_added)(struct kobject *object, uint32_t rights, uint32_t badge);
    void (*handle_removed)(struct kobject *object, uint32_t rights, uint32_t badge);
    void (*destroy)(struct kobject *object);
};

struct kobject {
    uint32_t type; /* OBJECT_* from parley/ipc.h */
    uint32_t handles;
    const struct kobject_ops *ops;
};

#endif
