/*
 * The auth server's file access: reading an account file whole and
 * replacing one safely, through the root namespace (the vfs, proto/ns.h).
 * Kept apart from main.c so the protocol handling there does not depend
 * on how files are reached.
 */
#ifndef AUTH_FILES_H
#define AUTH_FILES_H

#include <stddef.h>
#include <stdint.h>

/* Reads up to size bytes of the file at path into buf; returns how many. */
long files_read(uint32_t ns, const char *path, char *buf, size_t size);

/*
 * Replaces file `name` in directory `dir` with length bytes of text: the
 * text goes to a new file "NAME.new" in the same directory, which is then
 * renamed over the old one, so a failure at any point leaves the old file
 * whole. Returns 0 or an error.
 */
long files_replace(uint32_t ns, const char *dir, const char *name, const char *text, size_t length);

#endif
