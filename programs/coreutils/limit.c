/*
 * limit [-p PROCESSES] [-t THREADS] [-m KIB] [-a AREAS] PROGRAM [ARG...]:
 * runs PROGRAM in a resource group of its own with those limits (the
 * others as a login session's), and exits with its status. The group is
 * inside yours, so it can never take more than your session has left.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/file.h>
#include <parley/sys.h>

#include "common.h"

#define USAGE "usage: limit [-p PROCESSES] [-t THREADS] [-m KIB] [-a AREAS] PROGRAM [ARG...]"

/* A positive decimal number, or 0 for anything else. */
static uint64_t positive(const char *text)
{
    char *end;
    unsigned long long value = strtoull(text, &end, 10);
    return *text >= '0' && *text <= '9' && *end == '\0' ? value : 0;
}

/* PROGRAM as a path: itself if it has a '/', else in /bin. */
static void program_path(const char *name, char *out, size_t size)
{
    snprintf(out, size, strchr(name, '/') != NULL ? "%s" : "/bin/%s", name);
}

int main(int argc, char **argv)
{
    util_start("limit");
    uint64_t limits[GROUP_KINDS] = {0};
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        static const char options[] = "ptma";
        const char *at =
            argv[i][1] != '\0' && argv[i][2] == '\0' ? strchr(options, argv[i][1]) : NULL;
        uint64_t value = positive(argv[i + 1]);
        if (at == NULL || value == 0)
            return util_usage(USAGE);
        int kind = (int)(at - options);
        limits[kind] = kind == GROUP_PAGES ? (value + 3) / 4 : value; /* KiB to pages */
    }
    if (i >= argc || argv[i][0] == '-')
        return util_usage(USAGE);
    for (int kind = 0; kind < GROUP_KINDS; kind++) {
        long err = sys_group_limit((uint32_t)kind, limits[kind]);
        if (err < 0)
            return util_fail("limit", err);
    }
    char path[PATH_BUFFER];
    program_path(argv[i], path, sizeof(path));
    /* The child gets what we have as handles 1.. (copies: spawn moves them). */
    uint32_t handles[SPAWN_MAX_HANDLES];
    uint32_t count = 0;
    for (uint32_t h = 1; h <= SPAWN_MAX_HANDLES; h++) {
        long info = handle_info(h);
        if (info < 0)
            break;
        long copy = handle_dup(h, (uint32_t)info & RIGHTS_ALL);
        if (copy < 0)
            break;
        handles[count++] = (uint32_t)copy;
    }
    long pid = spawn_path_flags(path, (const char *const *)argv + i, (const char *const *)environ,
                                handles, count, SPAWN_GROUP);
    if (pid < 0) {
        for (uint32_t k = 0; k < count; k++)
            handle_close(handles[k]);
        fprintf(stderr, "limit: %s: %s\n", argv[i], error_string((int)pid));
        return pid == -E_NOENT ? 127 : 126;
    }
    int status = 0;
    long err = sys_wait(pid, &status);
    return err < 0 ? util_fail("limit", err) : status;
}
