/*
 * Handle tables: each process names kernel objects only through small
 * integers (1..HANDLE_MAX-1) that index its table. A slot holds an object
 * and the rights this handle grants. Handle 0 is never valid.
 */
#ifndef IPC_HANDLE_H
#define IPC_HANDLE_H

#include <stdint.h>

#include <stddef.h>

#include <parley/errors.h>

#include "ipc/object.h"

#define HANDLE_MAX 64 /* per process, slot 0 unused */

struct handle_slot {
    struct kobject *object;
    uint32_t rights;
    uint32_t badge; /* set by SYS_HANDLE_MINT; receivers see it with each message */
};

struct handle_table {
    struct handle_slot slots[HANDLE_MAX];
};

/*
 * Finds handle h of `type` (0: any) with all of `rights`. Returns the
 * object, or NULL with *err = -E_BADHANDLE (no such handle, wrong type)
 * or -E_PERM (a right is missing).
 */
static inline struct kobject *handle_get(struct handle_table *table, uint32_t h, uint32_t type,
                                         uint32_t rights, long *err)
{
    if (h == 0 || h >= HANDLE_MAX || table->slots[h].object == NULL ||
        (type != 0 && table->slots[h].object->type != type)) {
        *err = -E_BADHANDLE;
        return NULL;
    }
    if ((table->slots[h].rights & rights) != rights) {
        *err = -E_PERM;
        return NULL;
    }
    *err = 0;
    return table->slots[h].object;
}

/* Installs a new handle; returns its number or -E_NOSPC when the table is full. */
long handle_install(struct handle_table *table, struct kobject *object, uint32_t rights);

/* Number of free slots. */
uint32_t handle_free_slots(const struct handle_table *table);

/* A new handle to the same object with `rights` ⊆ the original's; needs RIGHT_DUPLICATE. */
long handle_dup(struct handle_table *table, uint32_t h, uint32_t rights);

/*
 * Like handle_dup, but the new handle carries `badge` (non-zero). Only an
 * unbadged handle can be minted, so a badge cannot be forged or changed.
 */
long handle_mint(struct handle_table *table, uint32_t h, uint32_t rights, uint32_t badge);

/* Copies handle h of `from` into `to` with the same rights and badge. */
long handle_copy(struct handle_table *from, uint32_t h, struct handle_table *to);

/* Closes a handle; the object is destroyed with its last handle. */
long handle_close(struct handle_table *table, uint32_t h);

/*
 * Moves handle h out of `from` into `to` (which may be the same table)
 * without the object noticing a handle going away; returns the new number.
 * The caller has checked h and that `to` has a free slot. (A fresh
 * process's table is empty, so spawning can always move its handles.)
 */
uint32_t handle_move(struct handle_table *from, uint32_t h, struct handle_table *to);

/* Closes every handle (process exit). */
void handle_close_all(struct handle_table *table);

#endif
