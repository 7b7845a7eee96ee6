/*
 * libFuzzer target for the vfs's path arithmetic (lib/libc/path.c) and
 * mount table (servers/vfs/mount.c), the code every NS_* request's path
 * goes through. Each input is lines: "+PATH" adds the normal form of PATH
 * as a mount point; any other line is a path a client sent.
 *
 * For each path the target checks that path_normalize gives a normal
 * path (<parley/path.h>) or a documented error, that normalising again
 * changes nothing, that path_join against the previous normal path is
 * normalising "base/path", and that a smaller buffer either gives the
 * same answer or -E_RANGE. Then mount_resolve's answer must be the
 * longest mount at or above the path, and mount_entry must list the
 * synthetic directory's children in strictly increasing order, as many
 * as mount_entry_count says.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/proto/ns.h>

#include "../../lib/libc/include/parley/path.h"
#include "../../servers/vfs/mount.h"

#define OUT_MAX 4097 /* FS_PATH_MAX + 1, as the vfs uses */

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "vfs_path_fuzz: %s\n", what);
        abort();
    }
}

/* "/" or "/a/b": no empty, "." or ".." component and no trailing '/'. */
static int is_normal(const char *p)
{
    if (p[0] != '/')
        return 0;
    if (p[1] == '\0')
        return 1;
    for (const char *c = p; *c != '\0';) {
        c++; /* past the '/' */
        size_t n = strcspn(c, "/");
        if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
            return 0;
        c += n;
    }
    return 1;
}

/* Is the normal path `path` the normal path `prefix` or below it? */
static int within(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    if (n == 1)
        return 1;
    return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static void check_normalize(const char *line, const char *base, char *out)
{
    static char again[OUT_MAX], joined[OUT_MAX], small[64], both[2 * OUT_MAX + 2];
    long n = path_normalize(line, out, OUT_MAX);
    require(n >= 0 || n == -E_NOENT || n == -E_RANGE, "path_normalize: undocumented error");
    if (n < 0) {
        require(out[0] == '\0', "failed path_normalize left a path");
        return;
    }
    require((size_t)n == strlen(out) && is_normal(out), "path_normalize gave a path not normal");
    require(path_normalize(out, again, sizeof(again)) == n && strcmp(again, out) == 0,
            "path_normalize is not idempotent");
    require(strcmp(path_basename(out), strrchr(out, '/') + 1) == 0, "path_basename");

    /*
     * The path is built as it is read, so a buffer too small for some
     * step on the way gives -E_RANGE even if the end result would fit;
     * no step is longer than the input plus its leading '/'.
     */
    long s = path_normalize(line, small, sizeof(small));
    if (s == -E_RANGE)
        require((size_t)n + 1 > sizeof(small) || strlen(line) + 2 > sizeof(small),
                "-E_RANGE from a buffer big enough");
    else
        require(s == n && strcmp(small, out) == 0, "a smaller buffer changed the answer");

    if (base == NULL || strlen(base) + strlen(line) + 2 > sizeof(both))
        return;
    long j = path_join(base, line, joined, sizeof(joined));
    if (line[0] == '/')
        snprintf(both, sizeof(both), "%s", line);
    else
        snprintf(both, sizeof(both), "%s/%s", base, line);
    long k = path_normalize(both, again, sizeof(again));
    require(j == k && (j < 0 || strcmp(joined, again) == 0),
            "path_join is not normalize(base/path)");
}

static void check_resolve(const struct mount_table *table, const char *path)
{
    const struct mount *m = NULL;
    const char *rest = NULL;
    enum mount_place place = mount_resolve(table, path, &m, &rest);
    int below = 0; /* some mount point strictly below path */
    for (int i = 0; i < table->count; i++)
        if (strcmp(table->mounts[i].path, path) != 0 && within(table->mounts[i].path, path))
            below = 1;
    if (place == MOUNT_INSIDE) {
        require(m >= table->mounts && m < table->mounts + table->count, "mount outside the table");
        require(within(path, m->path), "resolved to a mount not above the path");
        for (int i = 0; i < table->count; i++)
            require(!within(path, table->mounts[i].path) || table->mounts[i].length <= m->length,
                    "resolved to a mount that is not the longest");
        require(rest >= path && rest <= path + strlen(path) && rest[0] != '/',
                "rest is not the tail of the path");
        /* The mount point and rest together must name the path again. */
        static char again[OUT_MAX];
        long n = path_join(m->path, rest, again, sizeof(again));
        require(n >= 0 && strcmp(again, path) == 0, "mount point and rest do not give the path");
    } else {
        for (int i = 0; i < table->count; i++)
            require(!within(path, table->mounts[i].path), "a mount covers the path, unresolved");
        require(place == (below ? MOUNT_SYNTHETIC : MOUNT_NONE), "synthetic or none, wrongly");
    }

    /* The synthetic listing (asked for any path: outside one it is empty or partial). */
    uint64_t count = mount_entry_count(table, path);
    require(count <= NS_MOUNT_MAX, "more entries than mounts");
    char previous[NS_MOUNT_PATH_MAX + 1] = "", name[NS_MOUNT_PATH_MAX + 1];
    for (uint64_t i = 0; i <= count; i++) {
        long n = mount_entry(table, path, i, name, sizeof(name));
        if (i == count) {
            require(n == -E_NOENT, "an entry past mount_entry_count");
            break;
        }
        require(n > 0 && (size_t)n == strlen(name) && strchr(name, '/') == NULL,
                "an entry is not one name");
        require(i == 0 || strcmp(previous, name) < 0, "entries out of order or repeated");
        require(mount_entry(table, path, i, name, (size_t)n) == -E_RANGE,
                "an entry fitted a buffer without room for its NUL");
        memcpy(previous, name, (size_t)n + 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct mount_table table;
    static char out[OUT_MAX], base[OUT_MAX];
    int have_base = 0;
    memset(&table, 0, sizeof(table));
    for (size_t at = 0; at < size;) {
        const uint8_t *eol = memchr(data + at, '\n', size - at);
        size_t n = eol != NULL ? (size_t)(eol - (data + at)) : size - at;
        /* Each line in a buffer of its own, so ASan sees any read past its NUL. */
        char *line = malloc(n + 1);
        if (line == NULL)
            return 0;
        memcpy(line, data + at, n);
        line[n] = '\0';
        at += n + 1;

        if (line[0] == '+') {
            if (path_normalize(line + 1, out, sizeof(out)) >= 0) {
                int before = table.count;
                long r = mount_add(&table, out, 0, 0);
                require(r == 0 ? table.count == before + 1 : table.count == before,
                        "mount_add changed the count wrongly");
                require(r == 0 || r == -E_EXIST || r == -E_NOSPC || r == -E_RANGE,
                        "mount_add: undocumented error");
            }
        } else {
            check_normalize(line, have_base ? base : NULL, out);
            if (out[0] == '/') {
                check_resolve(&table, out);
                memcpy(base, out, strlen(out) + 1);
                have_base = 1;
            }
        }
        free(line);
    }
    return 0;
}
