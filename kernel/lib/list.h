/*
 * Intrusive doubly linked circular lists. The links live inside the object
 * (a struct list_node member), so putting a thread on a run queue or a
 * slab on a partial list never allocates memory. A list head is a bare
 * node whose prev and next point back at itself when the list is empty;
 * container_of() gets from a node back to the object that embeds it.
 *
 * A removed node is left pointing at itself, so list_remove() on a node
 * that is on no list is harmless and list_empty(node) tells whether a node
 * is linked anywhere.
 */
#ifndef KERNEL_LIB_LIST_H
#define KERNEL_LIB_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
    struct list_node *prev, *next;
};

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

/* Visits every node of the list at head; the body must not unlink pos. */
#define list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/* Like list_for_each, but the body may unlink (and free) pos. */
#define list_for_each_safe(pos, tmp, head)                                                         \
    for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head);                               \
         (pos) = (tmp), (tmp) = (pos)->next)

static inline void list_init(struct list_node *node)
{
    node->prev = node;
    node->next = node;
}

static inline bool list_empty(const struct list_node *head)
{
    return head->next == head;
}

/* Links node between two adjacent nodes prev and next. */
static inline void list_insert_between(struct list_node *node, struct list_node *prev,
                                       struct list_node *next)
{
    node->prev = prev;
    node->next = next;
    prev->next = node;
    next->prev = node;
}

static inline void list_push_back(struct list_node *head, struct list_node *node)
{
    list_insert_between(node, head->prev, head);
}

static inline void list_push_front(struct list_node *head, struct list_node *node)
{
    list_insert_between(node, head, head->next);
}

static inline void list_remove(struct list_node *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    list_init(node);
}

/* Returns the first node, or NULL if the list is empty. */
static inline struct list_node *list_first(const struct list_node *head)
{
    return list_empty(head) ? NULL : head->next;
}

/* Unlinks and returns the first node, or NULL if the list is empty. */
static inline struct list_node *list_pop_front(struct list_node *head)
{
    struct list_node *node = list_first(head);

    if (node != NULL)
        list_remove(node);
    return node;
}

#endif
