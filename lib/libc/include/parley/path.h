/*
 * Path arithmetic: pure functions on strings, shared by the file library
 * (<parley/file.h>) and the vfs server, which must agree on what a path
 * means. No system calls, so tests/unit/vfs_mount_test.c runs them on the
 * host.
 *
 * A normal path is absolute and canonical: "/" alone, or "/a/b" with no
 * empty, "." or ".." components and no trailing '/'. Normalising drops
 * empty components and ".", lets ".." take away the component before it,
 * and refuses ".." above "/" with -E_NOENT, the same rule the file
 * servers apply to a directory handle (proto/fs.h).
 */
#ifndef PARLEY_PATH_H
#define PARLEY_PATH_H

#include <stddef.h>

/*
 * Writes the normal form of path (taken as relative to "/" if it does not
 * start with '/') into out (size bytes, NUL included). Returns its length,
 * -E_NOENT if ".." climbs above "/", -E_RANGE if it does not fit.
 */
long path_normalize(const char *path, char *out, size_t size);

/*
 * path_normalize of path if it is absolute, else of base + "/" + path:
 * how a relative path is resolved against a working directory.
 */
long path_join(const char *base, const char *path, char *out, size_t size);

/* What follows the last '/' of path (all of it if none; "" for "/"). */
const char *path_basename(const char *path);

#endif
