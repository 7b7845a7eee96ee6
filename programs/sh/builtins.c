/*
 * The shell's builtin commands: the ones that change or show the shell's
 * own state, so they cannot be separate programs (cd, exit, export,
 * unset, history) or are simplest here (pwd, help). The names, usage lines and
 * summaries are the table sh_builtins[] in parse.c.
 *
 * Their output goes to the stream the pipeline gives them (the console,
 * a file for >, or a pipe), their error messages to the console.
 */
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/file.h>

#include "parse.h"
#include "shell.h"

#define HELP_COLUMNS 80
#define USAGE_WIDTH 26

/* Whether path (absolute) names a directory in the namespace: 0 or why not. */
static long directory_check(const struct shell *sh, const char *path)
{
    if (sh->ns == 0)
        return strcmp(path, "/") == 0 ? 0 : -E_NOENT;
    struct fs_stat st;
    long err = ns_stat(path, &st);
    if (err == 0 && st.type != FS_TYPE_DIR)
        err = -E_NOTDIR;
    return err;
}

static int builtin_cd(struct shell *sh, int argc, const char **argv, bool in_pipeline)
{
    if (argc > 2) {
        shell_printf(sh, "cd: too many arguments\n");
        return 1;
    }
    const char *target = argc == 2 ? argv[1] : shell_get(sh, "HOME");
    if (target == NULL || target[0] == '\0')
        target = "/";
    char path[SH_PATH_MAX];
    long err = shell_resolve(sh, target, path);
    if (err == 0)
        err = directory_check(sh, path);
    if (err < 0) {
        shell_printf(sh, "cd: %s: %s\n", target, error_string((int)err));
        return 1;
    }
    if (in_pipeline)
        return 0;
    memcpy(sh->cwd, path, strlen(path) + 1);
    shell_set(sh, "PWD", sh->cwd);
    return 0;
}

static int builtin_exit(struct shell *sh, int argc, const char **argv, bool in_pipeline)
{
    int status = sh->status;
    if (argc > 2) {
        shell_printf(sh, "%s: too many arguments\n", argv[0]);
        return 1;
    }
    if (argc == 2) {
        char *end;
        long n = strtol(argv[1], &end, 10);
        if (argv[1][0] == '\0' || *end != '\0') {
            shell_printf(sh, "%s: %s: a number is required\n", argv[0], argv[1]);
            n = 2;
        }
        status = (int)(n & 0xFF);
    }
    if (!in_pipeline) {
        sh->done = true;
        sh->status = status;
    }
    return status;
}

static int builtin_export(struct shell *sh, int argc, const char **argv,
                          const struct sh_stream *out, bool in_pipeline)
{
    if (argc == 1) {
        for (size_t i = 0; i < sh->var_count; i++)
            stream_printf(out, "export %s\n", sh->vars[i]);
        return 0;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        char name[SH_NAME_MAX + 1];
        const char *value;
        int err = sh_assignment(argv[i], name, sizeof(name), &value);
        if (err < 0 && sh_name_valid(argv[i]))
            continue; /* "export NAME": every variable is exported already */
        if (err < 0) {
            shell_printf(sh, "export: %s: not a valid NAME=value\n", argv[i]);
            status = 1;
            continue;
        }
        if (in_pipeline)
            continue;
        err = shell_set(sh, name, value);
        if (err < 0) {
            shell_printf(sh, "export: %s: %s\n", name, error_string(err));
            status = 1;
        }
    }
    return status;
}

static int builtin_unset(struct shell *sh, int argc, const char **argv, bool in_pipeline)
{
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (!sh_name_valid(argv[i])) {
            shell_printf(sh, "unset: %s: not a valid name\n", argv[i]);
            status = 1;
        } else if (!in_pipeline) {
            shell_unset(sh, argv[i]);
        }
    }
    return status;
}

static int builtin_help(const struct sh_stream *out)
{
    stream_printf(out, "Builtin commands:\n");
    for (const struct sh_builtin_info *b = sh_builtins; b->name != NULL; b++)
        if (2 + USAGE_WIDTH + strlen(b->summary) < HELP_COLUMNS)
            stream_printf(out, "  %-*s%s\n", USAGE_WIDTH, b->usage, b->summary);
        else /* too long for one row of the console: the summary goes below */
            stream_printf(out, "  %s\n  %-*s%s\n", b->usage, USAGE_WIDTH, "", b->summary);
    stream_printf(out, "Other commands are programs in $PATH (ls /bin to see them).\n"
                       "Quote with ' and \", join commands with |, redirect with < > >>;\n"
                       "$NAME and $? expand; # begins a comment. Up and Down recall lines.\n");
    return 0;
}

static int builtin_history(struct shell *sh, const struct sh_stream *out)
{
    char line[SH_LINE_MAX + 16];
    for (size_t i = 0; i < sh_history_count(&sh->history); i++) {
        int n = sh_history_format(&sh->history, i, line, sizeof(line));
        if (n < 0)
            break;
        size_t len = (size_t)n < sizeof(line) - 1 ? (size_t)n : sizeof(line) - 1;
        line[len] = '\n';
        stream_write(out, line, len + 1);
    }
    return 0;
}

int builtin_run(struct shell *sh, int argc, const char **argv, const struct sh_stream *out,
                bool in_pipeline)
{
    switch (sh_builtin_find(argv[0])) {
    case SH_BUILTIN_CD:
        return builtin_cd(sh, argc, argv, in_pipeline);
    case SH_BUILTIN_PWD:
        stream_printf(out, "%s\n", sh->cwd);
        return 0;
    case SH_BUILTIN_EXIT:
        return builtin_exit(sh, argc, argv, in_pipeline);
    case SH_BUILTIN_EXPORT:
        return builtin_export(sh, argc, argv, out, in_pipeline);
    case SH_BUILTIN_UNSET:
        return builtin_unset(sh, argc, argv, in_pipeline);
    case SH_BUILTIN_HELP:
        return builtin_help(out);
    case SH_BUILTIN_HISTORY:
        return builtin_history(sh, out);
    case SH_NOT_BUILTIN:
    default:
        return 127;
    }
}
