/*
 * The shell's state and the pieces of it that main.c, edit.c, exec.c and
 * builtins.c share.
 *
 * The shell runs with the process environment of docs/files-and-users.md:
 * handle 1 is the console it reads keys from, 2 the console it writes to,
 * 3 the user's namespace, 4 auth and 5 the trace capability (root only);
 * any of 3-5 may be missing. Its variables start as the environment it
 * was given (USER, UID, HOME, PWD, PATH), with defaults for the ones
 * missing so that a shell started bare by init's run= still works.
 */
#ifndef PARLEY_SH_SHELL_H
#define PARLEY_SH_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"

#define SH_HANDLE_IN 1
#define SH_HANDLE_OUT 2
#define SH_HANDLE_NS 3
#define SH_HANDLE_AUTH 4
#define SH_HANDLE_TRACE 5
#define SH_HANDLE_PIPE 6 /* the pipe service, until login passes it (see main.c) */

#define SH_PATH_MAX 1024 /* characters in the current directory and resolved paths */

/* Where a command's output goes, for builtins run inside the shell. */
enum sh_stream_kind { SH_STREAM_CONSOLE, SH_STREAM_FILE, SH_STREAM_PIPE };

struct sh_stream {
    enum sh_stream_kind kind;
    uint32_t handle;
};

struct shell {
    uint32_t in, out;         /* the console: keys from in, text to out */
    uint32_t ns, auth, trace; /* 0 when the shell was not given one */
    uint32_t pipes;           /* the pipe service, 0 when there is none */
    uint32_t pci;             /* the PCI server (for lspci), 0 when there is none */
    int status;               /* $? */
    bool done;                /* exit or logout ran */
    char cwd[SH_PATH_MAX];    /* always absolute and normalised */
    char **vars;              /* "NAME=value", malloc'd; all are exported */
    size_t var_count;         /* entries used in vars */
    size_t var_room;          /* entries vars has room for: it grows as needed */
    struct sh_history history;
};

/* Lets Ctrl-C stop the foreground pipeline (on) or gives it back to line editing (off). */
void shell_interrupt_arm(struct shell *sh, bool on);

/* --- variables (main.c) --- */

/* The value of variable name, or NULL. */
const char *shell_get(const struct shell *sh, const char *name);

/* Sets name to value (copies both); returns 0 or -E_NOMEM. */
int shell_set(struct shell *sh, const char *name, const char *value);

/* Removes variable name; does nothing if it is not set. */
void shell_unset(struct shell *sh, const char *name);

/*
 * Resolves path against the current directory into out (SH_PATH_MAX
 * bytes): absolute and normal (<parley/path.h>). Returns 0, -E_NOENT
 * when ".." climbs above "/", or -E_RANGE when the result does not fit.
 */
int shell_resolve(const struct shell *sh, const char *path, char *out);

/* --- output --- */

/* Writes len bytes to a stream; returns len or a negative error. */
long stream_write(const struct sh_stream *s, const void *buf, size_t len);

/* printf to a stream. */
int stream_printf(const struct sh_stream *s, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

/* printf to the console: the shell's own messages. */
int shell_printf(const struct shell *sh, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

/* --- builtins (builtins.c) --- */

/*
 * Runs the builtin argv[0] with its output on out; returns its status.
 * In a pipeline (in_pipeline), cd, exit, export and unset check their arguments
 * but change nothing, as if run in a subshell.
 */
int builtin_run(struct shell *sh, int argc, const char **argv, const struct sh_stream *out,
                bool in_pipeline);

#endif
