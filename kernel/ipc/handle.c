/*
 * Handle tables (see handle.h).
 */
#include "ipc/handle.h"

#include <stddef.h>

#include <parley/errors.h>
#include <parley/ipc.h>

uint32_t handle_free_slots(const struct handle_table *table)
{
    uint32_t free = 0;
    for (uint32_t h = 1; h < HANDLE_MAX; h++)
        if (table->slots[h].object == NULL)
            free++;
    return free;
}

static long free_slot(const struct handle_table *table)
{
    for (uint32_t h = 1; h < HANDLE_MAX; h++)
        if (table->slots[h].object == NULL)
            return h;
    return -E_NOSPC;
}

static long install(struct handle_table *table, struct kobject *object, uint32_t rights,
                    uint32_t badge)
{
    long h = free_slot(table);
    if (h < 0)
        return h;
    if (object->ops->handle_added != NULL) {
        long err = object->ops->handle_added(object, rights, badge);
        if (err < 0)
            return err;
    }
    table->slots[h] = (struct handle_slot){object, rights, badge};
    object->handles++;
    return h;
}

long handle_install(struct handle_table *table, struct kobject *object, uint32_t rights)
{
    return install(table, object, rights, 0);
}

long handle_mint(struct handle_table *table, uint32_t h, uint32_t rights, uint32_t badge)
{
    long err;
    struct kobject *object = handle_get(table, h, 0, RIGHT_DUPLICATE, &err);
    if (object == NULL)
        return err;
    if (rights & ~table->slots[h].rights)
        return -E_PERM;
    if (badge != 0 && table->slots[h].badge != 0)
        return -E_PERM;
    return install(table, object, rights, badge != 0 ? badge : table->slots[h].badge);
}

long handle_dup(struct handle_table *table, uint32_t h, uint32_t rights)
{
    return handle_mint(table, h, rights, 0);
}

long handle_copy(struct handle_table *from, uint32_t h, struct handle_table *to)
{
    struct handle_slot *slot = &from->slots[h];
    return install(to, slot->object, slot->rights, slot->badge);
}

long handle_close(struct handle_table *table, uint32_t h)
{
    long err;
    struct kobject *object = handle_get(table, h, 0, 0, &err);
    if (object == NULL)
        return err;
    uint32_t rights = table->slots[h].rights, badge = table->slots[h].badge;
    table->slots[h] = (struct handle_slot){NULL, 0, 0};
    object->handles--;
    if (object->ops->handle_removed != NULL)
        object->ops->handle_removed(object, rights, badge);
    if (object->handles == 0 && object->ops->destroy != NULL)
        object->ops->destroy(object);
    return 0;
}

uint32_t handle_move(struct handle_table *from, uint32_t h, struct handle_table *to)
{
    struct handle_slot slot = from->slots[h];
    from->slots[h] = (struct handle_slot){NULL, 0, 0};
    long n = free_slot(to);
    to->slots[n] = slot;
    return (uint32_t)n;
}

void handle_close_all(struct handle_table *table)
{
    for (uint32_t h = 1; h < HANDLE_MAX; h++)
        if (table->slots[h].object != NULL)
            handle_close(table, h);
}
