/*
 * The shared part of the utilities (see common.h).
 *
 * Defaults for a program started without an environment (init's run=,
 * tests): PWD=/ (the file library's default), USER=root, UID=0, and
 * output to the kernel log (the C library's default).
 *
 * stdin is read a line at a time from a console, so `cat` echoes each
 * line as it is typed, and in big pieces from a file or pipe. Messages
 * go to stderr, so `ls missing > out` shows its complaint on the screen.
 * A write to stdout that fails is reported by the C library's exit (see
 * <stdio.h>), which also makes the status 1; util_write stops at once.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#include "text.h"

#define CHUNK 65536

static const char *program = "?";

void util_start(const char *name)
{
    program = name;
}

const char *util_env(const char *key, const char *fallback)
{
    const char *value = getenv(key);
    return value != NULL ? value : fallback;
}

uint32_t util_uid(void)
{
    return (uint32_t)strtoul(util_env("UID", "0"), NULL, 10);
}

int util_fail(const char *what, long err)
{
    if (what != NULL)
        fprintf(stderr, "%s: %s: %s\n", program, what, error_string((int)err));
    else
        fprintf(stderr, "%s: %s\n", program, error_string((int)err));
    return 1;
}

int util_usage(const char *text)
{
    fprintf(stderr, "%s: %s\n", program, text);
    return 1;
}

bool util_path(const char *path, char out[PATH_BUFFER])
{
    long err = path_absolute(path, out, PATH_BUFFER);
    if (err >= 0)
        return true;
    util_fail(path, err);
    return false;
}

bool util_child(const char *dir, const char *name, char out[PATH_BUFFER])
{
    if (snprintf(out, PATH_BUFFER, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, name) < PATH_BUFFER)
        return true;
    util_fail(name, -E_RANGE);
    return false;
}

/* Opens path for reading; -E_ISDIR for a directory (also one above the mount points). */
static long open_file(const char *path)
{
    struct fs_stat st;
    long err = ns_stat(path, &st);
    if (err < 0)
        return err;
    if (st.type == FS_TYPE_DIR)
        return -E_ISDIR;
    return ns_open(path, FS_RIGHT_READ);
}

long util_read_file(const char *path, size_t limit, char **data, size_t *len)
{
    long handle = open_file(path);
    if (handle < 0)
        return handle;
    struct fs_stat st;
    long err = fs_stat((uint32_t)handle, &st);
    if (err == 0 && st.size > limit)
        err = -E_RANGE;
    char *buf = err == 0 ? malloc((size_t)st.size + 1) : NULL;
    if (err == 0 && buf == NULL)
        err = -E_NOMEM;
    size_t got = 0;
    while (err == 0 && got < st.size) {
        long n = file_read((uint32_t)handle, got, buf + got, (size_t)st.size - got);
        if (n <= 0) {
            err = n; /* 0: the file shrank under us; keep what we have */
            break;
        }
        got += (size_t)n;
    }
    file_close((uint32_t)handle);
    if (err < 0) {
        free(buf);
        return err;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return 0;
}

static long each_stdin_chunk(char *buf, util_chunk_fn each, void *arg)
{
    bool console = strcmp(util_env("STDIN", ""), "console") == 0;
    for (;;) {
        size_t n;
        if (console) {
            if (fgets(buf, CHUNK, stdin) == NULL)
                break;
            n = strlen(buf);
        } else {
            n = fread_some(buf, CHUNK, stdin); /* each piece as it comes: `slow | cat` */
            if (n == 0)
                break;
        }
        each(buf, n, arg);
    }
    return ferror(stdin) ? -E_CLOSED : 0;
}

long util_each_chunk(const char *path, util_chunk_fn each, void *arg)
{
    char *buf = malloc(CHUNK);
    if (buf == NULL)
        return -E_NOMEM;
    long err;
    if (strcmp(path, "-") == 0) {
        err = each_stdin_chunk(buf, each, arg);
        free(buf);
        return err;
    }
    long handle = open_file(path);
    if (handle < 0) {
        free(buf);
        return handle;
    }
    for (uint64_t offset = 0;;) {
        long n = file_read((uint32_t)handle, offset, buf, CHUNK);
        if (n <= 0) {
            err = n;
            break;
        }
        each(buf, (size_t)n, arg);
        offset += (uint64_t)n;
    }
    file_close((uint32_t)handle);
    free(buf);
    return err;
}

void util_write(const char *data, size_t len)
{
    if (fwrite(data, 1, len, stdout) != len)
        exit(1); /* exit says why: "NAME: write error: reason" */
}

void util_user_name(uint32_t uid, char *out, size_t size)
{
    static char *passwd;
    static size_t passwd_len;
    static bool tried;
    if (!tried) {
        tried = true;
        if (util_read_file("/etc/passwd", 1u << 20, &passwd, &passwd_len) < 0)
            passwd = NULL;
    }
    if (passwd == NULL || !passwd_name(passwd, passwd_len, uid, out, size))
        snprintf(out, size, "%u", (unsigned)uid);
}
