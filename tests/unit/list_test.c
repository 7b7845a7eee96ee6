/*
 * Checks the intrusive list: insertion order at both ends, removal leaving
 * the node self-linked, popping until empty, container_of, and both
 * iteration macros including removal during list_for_each_safe.
 */
#include "check.h"
#include "lib/list.h"

struct item {
    int value;
    struct list_node node;
};

/* Compares the list's values front to back with want[0..n). */
static bool list_matches(struct list_node *head, const int *want, size_t n)
{
    struct list_node *pos;
    size_t i = 0;

    list_for_each(pos, head)
    {
        if (i >= n || container_of(pos, struct item, node)->value != want[i])
            return false;
        /* The back links must agree with the forward walk. */
        if (pos->next->prev != pos || pos->prev->next != pos)
            return false;
        i++;
    }
    return i == n;
}

int main(void)
{
    struct list_node head;
    struct item items[6];
    struct list_node *pos, *tmp;

    for (int i = 0; i < 6; i++) {
        items[i].value = i;
        list_init(&items[i].node);
    }

    list_init(&head);
    CHECK(list_empty(&head));
    CHECK(list_first(&head) == NULL);
    CHECK(list_pop_front(&head) == NULL);
    CHECK(list_matches(&head, NULL, 0));

    list_push_back(&head, &items[2].node);
    list_push_back(&head, &items[3].node);
    list_push_front(&head, &items[1].node);
    list_push_back(&head, &items[4].node);
    list_push_front(&head, &items[0].node);
    CHECK(!list_empty(&head));
    CHECK(list_matches(&head, (int[]){0, 1, 2, 3, 4}, 5));
    CHECK(list_first(&head) == &items[0].node);
    CHECK(head.prev == &items[4].node);
    CHECK(container_of(list_first(&head), struct item, node) == &items[0]);

    list_remove(&items[2].node);
    CHECK(items[2].node.next == &items[2].node && items[2].node.prev == &items[2].node);
    CHECK(list_empty(&items[2].node));
    CHECK(list_matches(&head, (int[]){0, 1, 3, 4}, 4));

    /* Removing an unlinked node again must not disturb anything. */
    list_remove(&items[2].node);
    CHECK(list_matches(&head, (int[]){0, 1, 3, 4}, 4));

    list_remove(&items[4].node); /* the tail */
    CHECK(list_matches(&head, (int[]){0, 1, 3}, 3));
    CHECK(head.prev == &items[3].node);

    struct list_node *first = list_pop_front(&head);
    CHECK(first == &items[0].node);
    CHECK(first->next == first && first->prev == first);
    CHECK(list_matches(&head, (int[]){1, 3}, 2));

    /* Remove the odd values while iterating. */
    list_push_back(&head, &items[4].node);
    list_push_back(&head, &items[5].node);
    list_for_each_safe(pos, tmp, &head)
    {
        if (container_of(pos, struct item, node)->value % 2 == 1)
            list_remove(pos);
    }
    CHECK(list_matches(&head, (int[]){4}, 1));

    CHECK(list_pop_front(&head) == &items[4].node);
    CHECK(list_empty(&head));
    CHECK(list_pop_front(&head) == NULL);
    CHECK(head.next == &head && head.prev == &head);

    return check_finish("list_test");
}
