/*
 * Host tests of the vfs's pure parts: path normalisation
 * (lib/libc/path.c, shared with the file library) and the mount table
 * (servers/vfs/mount.c): longest-prefix resolution on component
 * boundaries, what is left below a mount point, and the synthetic
 * directories above mount points, which must list only what the table
 * implies, in name order.
 */
#include <string.h>

#include "check.h"
#include "libc/include/parley/path.h"
#include <parley/errors.h>
#include "../../servers/vfs/mount.h"

static char out[64];

static const char *norm(const char *path)
{
    long n = path_normalize(path, out, sizeof(out));
    return n < 0 ? error_string((int)n) : out;
}

static const char *join(const char *base, const char *path)
{
    long n = path_join(base, path, out, sizeof(out));
    return n < 0 ? error_string((int)n) : out;
}

static void test_normalize(void)
{
    CHECK(strcmp(norm("/"), "/") == 0);
    CHECK(strcmp(norm(""), "/") == 0);
    CHECK(strcmp(norm("//a///b/"), "/a/b") == 0);
    CHECK(strcmp(norm("/a/./b/."), "/a/b") == 0);
    CHECK(strcmp(norm("a/b"), "/a/b") == 0);
    CHECK(strcmp(norm("/a/b/../c"), "/a/c") == 0);
    CHECK(strcmp(norm("/a/b/../.."), "/") == 0);
    CHECK(strcmp(norm("/home/alice/../bob"), "/home/bob") == 0);
    CHECK(path_normalize("/..", out, sizeof(out)) == -E_NOENT);
    CHECK(path_normalize("/a/../..", out, sizeof(out)) == -E_NOENT);
    CHECK(path_normalize("/home/alice/../../../etc", out, sizeof(out)) == -E_NOENT);
    CHECK(strcmp(norm("/..a/...b"), "/..a/...b") == 0);
    CHECK(path_normalize("/abcdef", out, 7) == -E_RANGE);
    CHECK(path_normalize("/abcdef", out, 8) == 7);
    CHECK(path_normalize("/", out, 1) == -E_RANGE);
    CHECK(path_normalize("/", out, 2) == 1);
    CHECK(strcmp(join("/home/alice", "f"), "/home/alice/f") == 0);
    CHECK(strcmp(join("/home/alice", "../bob/x"), "/home/bob/x") == 0);
    CHECK(strcmp(join("/home/alice", "/bin/ls"), "/bin/ls") == 0);
    CHECK(strcmp(join("/", "."), "/") == 0);
    CHECK(strcmp(join("/tmp/", "./a//b/"), "/tmp/a/b") == 0);
    CHECK(path_join("/", "..", out, sizeof(out)) == -E_NOENT);
    CHECK(strcmp(path_basename("/bin/hello"), "hello") == 0);
    CHECK(strcmp(path_basename("hello"), "hello") == 0);
    CHECK(strcmp(path_basename("/"), "") == 0);
}

/* alice's namespace: /bin read-only, her home and /tmp read-write. */
static void alice_table(struct mount_table *t)
{
    memset(t, 0, sizeof(*t));
    CHECK(mount_add(t, "/bin", 10, 1) == 0);
    CHECK(mount_add(t, "/home/alice", 11, 3) == 0);
    CHECK(mount_add(t, "/tmp", 12, 3) == 0);
}

static const char *rest_of(const struct mount_table *t, const char *path, uint32_t *dir)
{
    const struct mount *m = NULL;
    const char *rest = NULL;
    if (mount_resolve(t, path, &m, &rest) != MOUNT_INSIDE)
        return "(not inside)";
    *dir = m->dir;
    return rest;
}

static void test_resolve(void)
{
    struct mount_table t;
    alice_table(&t);
    uint32_t dir = 0;
    CHECK(strcmp(rest_of(&t, "/bin/hello", &dir), "hello") == 0 && dir == 10);
    CHECK(strcmp(rest_of(&t, "/bin", &dir), "") == 0 && dir == 10);
    CHECK(strcmp(rest_of(&t, "/home/alice/a/b", &dir), "a/b") == 0 && dir == 11);
    CHECK(strcmp(rest_of(&t, "/tmp/x", &dir), "x") == 0 && dir == 12);
    const struct mount *m;
    const char *rest;
    CHECK(mount_resolve(&t, "/", &m, &rest) == MOUNT_SYNTHETIC);
    CHECK(mount_resolve(&t, "/home", &m, &rest) == MOUNT_SYNTHETIC);
    CHECK(mount_resolve(&t, "/home/bob", &m, &rest) == MOUNT_NONE);
    CHECK(mount_resolve(&t, "/etc/shadow", &m, &rest) == MOUNT_NONE);
    CHECK(mount_resolve(&t, "/binary", &m, &rest) == MOUNT_NONE);
    CHECK(mount_resolve(&t, "/home/alicex", &m, &rest) == MOUNT_NONE);
    CHECK(mount_resolve(&t, "/hom", &m, &rest) == MOUNT_NONE);
    CHECK(mount_add(&t, "/tmp", 13, 3) == -E_EXIST);

    /* A mount inside a mount: the longest prefix wins. */
    struct mount_table root = {0};
    CHECK(mount_add(&root, "/", 1, 7) == 0);
    CHECK(mount_add(&root, "/home/alice", 2, 3) == 0);
    CHECK(strcmp(rest_of(&root, "/", &dir), "") == 0 && dir == 1);
    CHECK(strcmp(rest_of(&root, "/etc/passwd", &dir), "etc/passwd") == 0 && dir == 1);
    CHECK(strcmp(rest_of(&root, "/home", &dir), "home") == 0 && dir == 1);
    CHECK(strcmp(rest_of(&root, "/home/alice/f", &dir), "f") == 0 && dir == 2);
    CHECK(strcmp(rest_of(&root, "/home/alicef", &dir), "home/alicef") == 0 && dir == 1);
}

/* The entries of a synthetic directory, joined by spaces. */
static const char *listing(const struct mount_table *t, const char *path)
{
    static char text[128];
    char name[32];
    text[0] = '\0';
    for (uint64_t i = 0; mount_entry(t, path, i, name, sizeof(name)) >= 0; i++) {
        if (i > 0)
            strcat(text, " ");
        strcat(text, name);
    }
    return text;
}

static void test_synthetic(void)
{
    struct mount_table t;
    alice_table(&t);
    CHECK(strcmp(listing(&t, "/"), "bin home tmp") == 0);
    CHECK(strcmp(listing(&t, "/home"), "alice") == 0);
    CHECK(mount_entry_count(&t, "/") == 3);
    CHECK(mount_entry_count(&t, "/home") == 1);
    CHECK(mount_entry_count(&t, "/etc") == 0);
    char name[4];
    CHECK(mount_entry(&t, "/", 3, name, sizeof(name)) == -E_NOENT);
    CHECK(mount_entry(&t, "/", 1, name, sizeof(name)) == -E_RANGE); /* "home" needs 5 bytes */

    /* Repeats collapse and the order is by name, whatever the table's order. */
    struct mount_table u = {0};
    CHECK(mount_add(&u, "/usr/share/doc", 1, 1) == 0);
    CHECK(mount_add(&u, "/home/bob", 2, 3) == 0);
    CHECK(mount_add(&u, "/usr/lib", 3, 1) == 0);
    CHECK(mount_add(&u, "/home/alice", 4, 3) == 0);
    CHECK(mount_add(&u, "/a", 5, 1) == 0);
    CHECK(strcmp(listing(&u, "/"), "a home usr") == 0);
    CHECK(strcmp(listing(&u, "/home"), "alice bob") == 0);
    CHECK(strcmp(listing(&u, "/usr"), "lib share") == 0);
    CHECK(strcmp(listing(&u, "/usr/share"), "doc") == 0);

    /* Full table, and a mount point too long. */
    struct mount_table full = {0};
    char path[NS_MOUNT_PATH_MAX + 8];
    for (int i = 0; i < NS_MOUNT_MAX; i++) {
        snprintf(path, sizeof(path), "/m%d", i);
        CHECK(mount_add(&full, path, (uint32_t)i, 1) == 0);
    }
    CHECK(mount_add(&full, "/more", 99, 1) == -E_NOSPC);
    memset(path, 'x', sizeof(path));
    path[0] = '/';
    path[NS_MOUNT_PATH_MAX + 1] = '\0';
    CHECK(mount_add(&u, path, 9, 1) == -E_RANGE);
}

int main(void)
{
    test_normalize();
    test_resolve();
    test_synthetic();
    return check_finish("vfs_mount_test");
}
