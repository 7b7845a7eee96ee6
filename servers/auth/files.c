/*
 * The auth server's file access (see files.h), through <parley/file.h>:
 * ns_open hands back the file server's own handle, and the new shadow is
 * written beside the old one, with its owner and mode, and renamed over
 * it (NS_RENAME, which the file server does in one step).
 */
#include "files.h"

#include <stdio.h>

#include <parley/errors.h>
#include <parley/file.h>

long files_read(uint32_t ns, const char *path, char *buf, size_t size)
{
    ns_use(ns);
    long file = ns_open(path, FS_RIGHT_READ);
    if (file < 0)
        return file;
    long n = file_read((uint32_t)file, 0, buf, size);
    file_close((uint32_t)file);
    return n;
}

long files_replace(uint32_t ns, const char *dir, const char *name, const char *text, size_t length)
{
    char path[FS_NAME_MAX + 1], temporary[FS_NAME_MAX + 1];
    int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
    int t = snprintf(temporary, sizeof(temporary), "%s/%s.new", dir, name);
    if (n < 0 || t < 0 || (size_t)n >= sizeof(path) || (size_t)t >= sizeof(temporary))
        return -E_RANGE;
    ns_use(ns);
    struct fs_stat old;
    long err = ns_stat(path, &old);
    if (err < 0)
        return err;
    err = ns_open(temporary, FS_O_CREATE | FS_O_TRUNC | FS_RIGHT_WRITE | FS_RIGHT_ADMIN);
    if (err < 0)
        return err;
    uint32_t file = (uint32_t)err;
    /* The new file gets the old one's owner and mode (shadow is 0600), before it holds anything. */
    err = fs_setowner(file, old.uid, old.mode);
    if (err >= 0)
        err = file_write(file, 0, text, length);
    if (err >= 0 && (size_t)err != length)
        err = -E_NOSPC;
    long closed = file_close(file);
    if (err >= 0)
        err = closed;
    if (err >= 0)
        err = ns_rename(temporary, path);
    if (err < 0)
        ns_unlink(temporary);
    return err < 0 ? err : 0;
}
