/*
 * Host tests of the ramdisk's open objects (servers/ramdisk/objects.c):
 * badges, and the per-session quota — an object opened through the root
 * is a session, everything opened through it (or through its objects)
 * counts against it up to OBJECTS_SESSION_MAX, and a session closed
 * while its objects live keeps its slot until the last one closes; and
 * owners — a session told its owner (once, before anything is opened
 * through it) passes it to everything opened through it.
 */
#include <parley/errors.h>
#include <parley/proto/fs.h>

#include "check.h"
#include "../../servers/ramdisk/objects.h"
#include "../../servers/ramdisk/tree.h"

static struct tree tree;
static long opened[OBJECTS_SESSION_MAX + 1];

int main(void)
{
    struct tree_limits limits = {1u << 24, 4096, 1u << 20, 0};
    CHECK(tree_init(&tree, &limits, 0) == 0);
    objects_init(&tree);
    struct open_object *root = objects_get(0);
    CHECK(root != NULL && root->node == tree.root);

    /* A session (through the root), and objects through it up to the quota. */
    long session = objects_open(tree.root, FS_RIGHT_READ, root);
    CHECK(session > 0);
    for (uint32_t i = 0; i < OBJECTS_SESSION_MAX; i++) {
        opened[i] = objects_open(tree.root, FS_RIGHT_READ, objects_get((uint32_t)session));
        CHECKF(opened[i] > 0, "open %u: %ld", i, opened[i]);
    }
    CHECK(objects_room(objects_get((uint32_t)session)) == 0);
    CHECK(objects_open(tree.root, FS_RIGHT_READ, objects_get((uint32_t)session)) == -E_QUOTA);
    /* Through one of its objects it is the same session's quota. */
    CHECK(objects_open(tree.root, FS_RIGHT_READ, objects_get((uint32_t)opened[0])) == -E_QUOTA);
    /* Another session is not hurt. */
    long other = objects_open(tree.root, FS_RIGHT_READ, root);
    CHECK(other > 0);
    long theirs = objects_open(tree.root, FS_RIGHT_READ, objects_get((uint32_t)other));
    CHECK(theirs > 0);

    /* Closing one gives its place back. */
    CHECK(objects_close((uint32_t)opened[0]) == 0);
    CHECK(objects_get((uint32_t)opened[0]) == NULL);
    opened[0] = objects_open(tree.root, FS_RIGHT_READ, objects_get((uint32_t)opened[1]));
    CHECK(opened[0] > 0);

    /* A closed session is gone for requests but keeps counting until its objects go. */
    CHECK(objects_close((uint32_t)session) == 0);
    CHECK(objects_get((uint32_t)session) == NULL);
    CHECK(objects_open(tree.root, FS_RIGHT_READ, objects_get((uint32_t)opened[1])) == -E_QUOTA);
    for (uint32_t i = 0; i < OBJECTS_SESSION_MAX; i++)
        CHECK(objects_close((uint32_t)opened[i]) == 0);
    /* Its slot is free again: the next session may take it, with a new badge. */
    long again = objects_open(tree.root, FS_RIGHT_READ, root);
    CHECK(again > 0 && again != session);
    CHECK(objects_close((uint32_t)session) == -E_BADHANDLE);
    CHECK(objects_close((uint32_t)theirs) == 0 && objects_close((uint32_t)other) == 0);
    CHECK(objects_close((uint32_t)again) == 0);

    /* Owners: only a fresh session takes one, once; its objects inherit it. */
    CHECK(root->owner == TREE_OWNER_OF_DIR && objects_set_owner(root, 1000) == -E_PERM);
    long owned = objects_open(tree.root, FS_RIGHT_READ, root);
    CHECK(owned > 0 && objects_get((uint32_t)owned)->owner == TREE_OWNER_OF_DIR);
    CHECK(objects_set_owner(objects_get((uint32_t)owned), TREE_OWNER_OF_DIR) == -E_INVAL);
    CHECK(objects_set_owner(objects_get((uint32_t)owned), 1000) == 0);
    CHECK(objects_set_owner(objects_get((uint32_t)owned), 0) == -E_PERM);
    long child = objects_open(tree.root, FS_RIGHT_READ, objects_get((uint32_t)owned));
    CHECK(child > 0 && objects_get((uint32_t)child)->owner == 1000);
    CHECK(objects_set_owner(objects_get((uint32_t)child), 1001) == -E_PERM);
    long unowned = objects_open(tree.root, FS_RIGHT_READ, root);
    long late = objects_open(tree.root, FS_RIGHT_READ, objects_get((uint32_t)unowned));
    CHECK(late > 0 && objects_set_owner(objects_get((uint32_t)unowned), 1001) == -E_PERM);
    CHECK(objects_close((uint32_t)late) == 0 && objects_close((uint32_t)unowned) == 0);
    CHECK(objects_close((uint32_t)child) == 0 && objects_close((uint32_t)owned) == 0);
    return check_finish("ramdisk_objects_test");
}
