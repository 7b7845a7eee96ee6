/*
 * The shared part of the network utilities (see tool.h).
 */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/fs.h>
#include <parley/pipe.h>

#define HANDLE_STDOUT 2 /* the process environment's stdout (docs/files-and-users.md) */

static const char *program = "?";

void tool_start(const char *name)
{
    program = name;
}

int tool_fail(const char *what, long err)
{
    if (what != NULL)
        fprintf(stderr, "%s: %s: %s\n", program, what, error_string((int)err));
    else
        fprintf(stderr, "%s: %s\n", program, error_string((int)err));
    return 1;
}

int tool_net_fail(const char *what, long err)
{
    return tool_fail(err == -E_NOENT ? "/net" : what, err);
}

int tool_say(const char *text)
{
    fprintf(stderr, "%s: %s\n", program, text);
    return 1;
}

int tool_usage(const char *text)
{
    fprintf(stderr, "%s: usage: %s%s%s\n", program, program, *text != '\0' ? " " : "", text);
    return TOOL_USAGE_STATUS;
}

bool tool_number(const char *text, unsigned long min, unsigned long max, unsigned long *out)
{
    unsigned long value = 0;
    if (*text == '\0')
        return false;
    for (const char *s = text; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned long digit = (unsigned long)(*s - '0');
        if (value > max / 10 || max - value * 10 < digit)
            return false;
        value = value * 10 + digit;
    }
    if (value < min)
        return false;
    *out = value;
    return true;
}

static const char *stdout_kind(void)
{
    const char *kind = getenv("STDOUT");
    return kind != NULL ? kind : "";
}

bool tool_stdout_console(void)
{
    return strcmp(stdout_kind(), "console") == 0;
}

long tool_write_stdout(const void *data, size_t len)
{
    const char *kind = stdout_kind();
    if (strcmp(kind, "file") == 0 || strcmp(kind, "pipe") == 0) {
        if (fflush(stdout) != 0)
            return -E_CLOSED;
        long n = strcmp(kind, "file") == 0 ? fs_write(HANDLE_STDOUT, FS_APPEND, data, len)
                                           : pipe_write(HANDLE_STDOUT, data, len);
        if (n >= 0 && (size_t)n < len)
            n = -E_NOSPC; /* a file that took only part of it is full */
        return n < 0 ? n : 0;
    }
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) /* a partial line shows too */
        return -E_CLOSED;
    return 0;
}
