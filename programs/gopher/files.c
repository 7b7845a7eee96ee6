/*
 * Saving and bookmarks (see files.h). Each write goes straight to the
 * file server: a save replaces the file's contents (FS_O_TRUNC), and a
 * bookmark is added with an FS_APPEND write, so two browsers adding
 * bookmarks at once each add a whole line.
 */
#include "files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/file.h>

#include "common.h"
#include "fetch.h"

#define BOOKMARKS_NAME ".gopher-bookmarks"

/* name as a path ns_open takes: relative names against HOME when there is no PWD. */
static long save_path(const char *name, char out[PATH_BUFFER])
{
    const char *home = getenv("HOME");
    int n;
    if (name[0] != '/' && getenv("PWD") == NULL && home != NULL)
        n = snprintf(out, PATH_BUFFER, "%s/%s", home, name);
    else
        n = snprintf(out, PATH_BUFFER, "%s", name);
    return n < PATH_BUFFER ? 0 : -E_RANGE;
}

long save_open(const char *name)
{
    static char path[PATH_BUFFER];
    long err = save_path(name, path);
    if (err < 0)
        return err;
    return ns_open(path, FS_RIGHT_WRITE | FS_O_CREATE | FS_O_TRUNC);
}

void save_remove(const char *name)
{
    static char path[PATH_BUFFER];
    if (save_path(name, path) == 0)
        ns_unlink(path);
}

long save_file(const char *name, const char *data, size_t len)
{
    long file = save_open(name);
    if (file < 0)
        return file;
    long err = 0;
    for (size_t done = 0; done < len && err == 0;) {
        long n = file_write((uint32_t)file, done, data + done, len - done);
        if (n <= 0)
            err = n < 0 ? n : -E_NOSPC;
        else
            done += (size_t)n;
    }
    file_close((uint32_t)file);
    return err;
}

const char *bookmarks_path(void)
{
    static char path[PATH_BUFFER];
    const char *home = getenv("HOME");
    if (home == NULL || home[0] == '\0')
        return NULL;
    if (snprintf(path, sizeof(path), "%s/%s", strcmp(home, "/") == 0 ? "" : home, BOOKMARKS_NAME) >=
        (int)sizeof(path))
        return NULL;
    return path;
}

long bookmarks_read(char **data, size_t *len)
{
    const char *path = bookmarks_path();
    if (path == NULL)
        return -E_NOENT;
    return util_read_file(path, FETCH_LIMIT, data, len);
}

long bookmarks_add(const struct gopher_addr *addr, const char *title)
{
    static char line[GOPHER_SELECTOR_MAX + GOPHER_HOST_MAX + 128];
    const char *path = bookmarks_path();
    if (path == NULL)
        return -E_NOENT;
    int selector_len = (int)strcspn(addr->selector, "\t");
    int n = snprintf(line, sizeof(line), "%c%s\t%.*s\t%s\t%u\n", addr->type, title, selector_len,
                     addr->selector, addr->host, addr->port);
    if (n < 0 || (size_t)n >= sizeof(line))
        return -E_RANGE;
    long file = ns_open(path, FS_RIGHT_WRITE | FS_O_CREATE);
    if (file < 0)
        return file;
    long err = file_write((uint32_t)file, FS_APPEND, line, (size_t)n);
    file_close((uint32_t)file);
    return err < 0 ? err : 0;
}
