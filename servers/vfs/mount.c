/*
 * The mount table (see mount.h). Tables are small (NS_MOUNT_MAX), so
 * every question is a linear scan; the synthetic directory listings are
 * built by repeated "smallest name greater than the last one" scans,
 * which gives name order without sorting or allocating.
 */
#include "mount.h"

#include <stdbool.h>
#include <string.h>

#include <parley/errors.h>

/*
 * Is the normal path `path` the mount point `prefix` or below it? "/" is
 * above everything; otherwise the prefix must end at a component
 * boundary ("/home" is not above "/homer").
 */
static bool path_within(const char *path, const char *prefix, size_t prefix_length)
{
    if (prefix_length == 1)
        return true;
    return strncmp(path, prefix, prefix_length) == 0 &&
           (path[prefix_length] == '\0' || path[prefix_length] == '/');
}

long mount_add(struct mount_table *table, const char *path, uint32_t dir, uint32_t rights)
{
    size_t length = strlen(path);
    if (length > NS_MOUNT_PATH_MAX)
        return -E_RANGE;
    for (int i = 0; i < table->count; i++)
        if (strcmp(table->mounts[i].path, path) == 0)
            return -E_EXIST;
    if (table->count == NS_MOUNT_MAX)
        return -E_NOSPC;
    struct mount *m = &table->mounts[table->count++];
    memcpy(m->path, path, length + 1);
    m->length = length;
    m->dir = dir;
    m->rights = rights;
    return 0;
}

enum mount_place mount_resolve(const struct mount_table *table, const char *path,
                               const struct mount **mount, const char **rest)
{
    const struct mount *best = NULL;
    for (int i = 0; i < table->count; i++) {
        const struct mount *m = &table->mounts[i];
        if (path_within(path, m->path, m->length) && (best == NULL || m->length > best->length))
            best = m;
    }
    if (best != NULL) {
        *mount = best;
        *rest = best->length == 1 ? path + 1 : path + best->length + (path[best->length] == '/');
        return MOUNT_INSIDE;
    }
    size_t length = strlen(path);
    for (int i = 0; i < table->count; i++)
        if (path_within(table->mounts[i].path, path, length))
            return MOUNT_SYNTHETIC;
    return MOUNT_NONE;
}

/*
 * The component of mount point `m` just below directory `dir` (length
 * bytes), as a pointer and length; false if m is not strictly below dir.
 */
static bool child_of(const struct mount *m, const char *dir, size_t length, const char **name,
                     size_t *name_length)
{
    if (m->length <= length || !path_within(m->path, dir, length))
        return false;
    const char *start = m->path + (length == 1 ? 1 : length + 1);
    const char *slash = strchr(start, '/');
    *name = start;
    *name_length = slash != NULL ? (size_t)(slash - start) : strlen(start);
    return true;
}

/* strcmp for a counted name against a counted name. */
static int name_compare(const char *a, size_t a_length, const char *b, size_t b_length)
{
    size_t n = a_length < b_length ? a_length : b_length;
    int c = memcmp(a, b, n);
    if (c != 0)
        return c;
    return a_length < b_length ? -1 : a_length > b_length;
}

/*
 * The smallest child name of dir greater than (after, after_length), or
 * false if there is none (after NULL: the smallest of all).
 */
static bool next_child(const struct mount_table *table, const char *dir, const char *after,
                       size_t after_length, const char **name, size_t *name_length)
{
    size_t length = strlen(dir);
    bool found = false;
    for (int i = 0; i < table->count; i++) {
        const char *c;
        size_t n;
        if (!child_of(&table->mounts[i], dir, length, &c, &n))
            continue;
        if (after != NULL && name_compare(c, n, after, after_length) <= 0)
            continue;
        if (!found || name_compare(c, n, *name, *name_length) < 0) {
            *name = c;
            *name_length = n;
            found = true;
        }
    }
    return found;
}

long mount_entry(const struct mount_table *table, const char *path, uint64_t index, char *name,
                 size_t size)
{
    const char *at = NULL;
    size_t length = 0;
    for (uint64_t i = 0; i <= index; i++)
        if (!next_child(table, path, at, length, &at, &length))
            return -E_NOENT;
    if (length + 1 > size)
        return -E_RANGE;
    memcpy(name, at, length);
    name[length] = '\0';
    return (long)length;
}

uint64_t mount_entry_count(const struct mount_table *table, const char *path)
{
    const char *at = NULL;
    size_t length = 0;
    uint64_t count = 0;
    while (next_child(table, path, at, length, &at, &length))
        count++;
    return count;
}
