/*
 * What every utility in this directory shares: the process environment
 * (docs/files-and-users.md) with defaults for programs started without
 * one, files named by paths through the namespace (<parley/file.h>),
 * one-line error messages and reading stdin in chunks.
 */
#ifndef PARLEY_COREUTILS_COMMON_H
#define PARLEY_COREUTILS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <parley/file.h>

#define HANDLE_STDIN 1
#define HANDLE_STDOUT 2
#define HANDLE_TRACE 5

#define PATH_BUFFER FS_PATH_MAX

/* Records the program's name for messages; call first in main. */
void util_start(const char *name);

/* The environment string `key`, or fallback when there is none. */
const char *util_env(const char *key, const char *fallback);

/* The uid in UID (0 without one). */
uint32_t util_uid(void);

/* Prints "NAME: WHAT: message" (WHAT may be NULL) on stderr and returns 1, the exit status. */
int util_fail(const char *what, long err);

/* Prints "NAME: text" on stderr and returns 1. */
int util_usage(const char *text);

/* path made absolute against PWD; false (after a message) if it cannot be. */
bool util_path(const char *path, char out[PATH_BUFFER]);

/* dir + "/" + name; false (after a message) if too long. */
bool util_child(const char *dir, const char *name, char out[PATH_BUFFER]);

/*
 * Reads all of a file (at most limit bytes) into a malloc'd buffer with a
 * NUL after it; -E_ISDIR for a directory.
 */
long util_read_file(const char *path, size_t limit, char **data, size_t *len);

/*
 * Calls each(chunk, len, arg) for the contents of path, or of stdin for
 * "-"; returns 0 or the first error (which the caller reports).
 */
typedef void (*util_chunk_fn)(const char *chunk, size_t len, void *arg);
long util_each_chunk(const char *path, util_chunk_fn each, void *arg);

/* Writes len bytes to stdout; a failed write ends the program (status 1, with a message). */
void util_write(const char *data, size_t len);

/* The name for uid from /etc/passwd, or the number when it cannot be read. */
void util_user_name(uint32_t uid, char *out, size_t size);

#endif
