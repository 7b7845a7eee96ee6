/*
 * What the network utilities share: one-line messages in the form the
 * coreutils use ("NAME: WHAT: reason", exit status 1), a namespace
 * without /net reported as such, number arguments, and writing to
 * stdout in big pieces straight to its target.
 *
 * Messages go to stderr, which on Parley reaches the same target as
 * stdout (<stdio.h>), flushed at once.
 */
#ifndef PARLEY_NET_TOOL_H
#define PARLEY_NET_TOOL_H

#include <stdbool.h>
#include <stddef.h>

#define TOOL_USAGE_STATUS 2 /* exit status for a malformed command line */

/* Records the program's name for messages; call first in main. */
void tool_start(const char *name);

/* Prints "NAME: WHAT: reason" (without WHAT when it is NULL) and returns 1, the exit status. */
int tool_fail(const char *what, long err);

/*
 * tool_fail for an error from /net or <parley/net.h>: -E_NOENT there
 * means the namespace has no /net, so it is reported as "NAME: /net: no
 * such file or directory" whatever WHAT was.
 */
int tool_net_fail(const char *what, long err);

/* Prints "NAME: text" and returns 1. */
int tool_say(const char *text);

/* Prints "NAME: usage: NAME text" (text: the arguments) and returns TOOL_USAGE_STATUS. */
int tool_usage(const char *text);

/* Parses a decimal number in [min, max] (the whole string); false if it is not one. */
bool tool_number(const char *text, unsigned long min, unsigned long max, unsigned long *out);

/* Is stdout a console (STDOUT=console), where progress lines may be drawn? */
bool tool_stdout_console(void);

/*
 * Writes len bytes to stdout: after a flush, straight to a file or pipe
 * target in one call (stdio would send 4 KiB at a time), through stdio
 * and flushed otherwise, so a line without its '\n' shows at once.
 * Returns 0 or the error (-E_CLOSED: the pipe's reader left).
 */
long tool_write_stdout(const void *data, size_t len);

#endif
