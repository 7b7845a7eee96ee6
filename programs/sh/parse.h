/*
 * The shell's command-line parser: turns one typed line into a pipeline
 * of commands, each with its words and its redirections, ready to run.
 *
 * It is pure (no system calls, no allocation), so the host unit tests
 * (tests/unit/sh_parse_test.c) drive it directly. What it understands:
 *
 *   words      separated by blanks; '#' where a word can start (at the
 *              start, after a blank or an operator, outside quotes)
 *              begins a comment that runs to the end of the line
 *   quoting    '...' keeps everything literally; "..." keeps everything
 *              but $ expansions and the escapes \" \\ \$ \`; outside
 *              quotes a backslash makes the next character ordinary
 *   expansion  $NAME, ${NAME} (unset names expand to nothing) and $?,
 *              the last exit status. A '$' that starts none of these is
 *              an ordinary character. Values are not split into several
 *              words, and there is no globbing.
 *   pipes      cmd | cmd | ...
 *   redirects  < file, > file (truncate), >> file (append), anywhere in a
 *              command ("> out cmd arg" is fine); 2> file and 2>> file
 *              for standard error, and 2>&1 to send it where standard
 *              output goes (wherever in the command it is written: the
 *              shell has no order of redirections); 0< and 1> are < and >
 *
 *   lists      cmd ; cmd ; ...: sh_part splits a line at each ';' outside
 *              quotes, and stops at a comment, which no ';' ends
 *
 * '&', '(', ')' and '`' outside quotes (and ';' within what sh_parse is
 * given) are refused with a message rather than silently taken as text,
 * and so is any other descriptor before a redirection ("3>"), since
 * only standard input, output and error exist.
 *
 * The same file holds the other pure pieces the shell needs: checking
 * NAME=value assignments for export and names for unset, and the table
 * of builtins.
 */
#ifndef PARLEY_SH_PARSE_H
#define PARLEY_SH_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#define SH_LINE_MAX 8192   /* characters in one line, not counting the NUL */
#define SH_WORDS_MAX 256   /* words in all the commands of a line together */
#define SH_COMMANDS_MAX 16 /* commands in one pipeline */
#define SH_TEXT_MAX 16384  /* bytes of words and file names after expansion */
#define SH_NAME_MAX 127    /* characters in a variable name */

/*
 * Where $NAME and $? get their values. lookup returns the value of a
 * variable or NULL when it is not set; the pointer need only stay valid
 * until lookup is called again. lookup may be NULL (no variables set),
 * and so may the whole env given to sh_parse (no variables, $? is 0).
 */
struct sh_env {
    const char *(*lookup)(void *ctx, const char *name);
    void *ctx;
    int status; /* the value of $? */
};

struct sh_command {
    /*
     * argc words after quote removal and expansion, then NULL. argc can be
     * 0 when every word expanded to nothing ("$UNSET") or the command is
     * only redirections ("> file"); the shell then runs nothing.
     */
    const char **argv;
    int argc;
    const char *input;    /* the file for <, or NULL */
    const char *output;   /* the file for > or >>, or NULL */
    bool append;          /* output came from >> */
    const char *error;    /* the file for 2> or 2>>, or NULL */
    bool error_append;    /* error came from 2>> */
    bool error_to_output; /* 2>&1 */
};

/*
 * A parsed line: count commands joined by pipes; count is 0 for a line
 * that is empty, blank or only a comment. As in sh, a command's own
 * redirection wins over the pipe beside it ("a > f | b" gives b nothing).
 *
 * Everything lives inside the struct (about 20 KiB), so there is nothing
 * to free; keep it static or on a roomy stack. The pointers point into
 * the struct itself, so copying it with memcpy or = leaves the copy
 * pointing at the original.
 */
struct sh_pipeline {
    int count;
    struct sh_command commands[SH_COMMANDS_MAX];
    const char *words[SH_WORDS_MAX + SH_COMMANDS_MAX]; /* each argv, NULL-ended */
    size_t text_used;
    char text[SH_TEXT_MAX];
};

/*
 * Parses line into out. Returns 0, or a negative error code with a
 * one-line message in err (which may be NULL) and out->count 0:
 * -E_INVAL for a syntax error (unterminated quote, empty command in a
 * pipeline, redirection without a file, ...), -E_2BIG when the line, its
 * expansion or its words or commands exceed the limits above.
 */
int sh_parse(const char *line, const struct sh_env *env, struct sh_pipeline *out, char *err,
             size_t err_size);

/*
 * The first part of line to give sh_parse: its length, up to the first
 * ';' outside quotes and escapes, or up to a comment, or the whole line.
 * *next is where the part after that ';' starts, or NULL when nothing
 * follows (the end of the line, or a comment: "a # b; c" runs only a).
 * An unclosed quote runs to the end of the line, for sh_parse to report.
 */
size_t sh_part(const char *line, const char **next);

/* Whether name is a valid variable name: a letter or '_', then letters, digits, '_'. */
bool sh_name_valid(const char *name);

/*
 * Splits an assignment word such as "PATH=/bin" (as export takes it):
 * copies the name into name (name_size bytes with the NUL) and points
 * *value just past the '='. Returns 0, -E_INVAL when word has no '=' or
 * the part before it is not a valid name, or -E_2BIG when the name does
 * not fit in name.
 */
int sh_assignment(const char *word, char *name, size_t name_size, const char **value);

enum sh_builtin {
    SH_NOT_BUILTIN,
    SH_BUILTIN_CD,
    SH_BUILTIN_PWD,
    SH_BUILTIN_EXIT, /* also "logout" */
    SH_BUILTIN_EXPORT,
    SH_BUILTIN_UNSET,
    SH_BUILTIN_HELP,
    SH_BUILTIN_HISTORY,
};

struct sh_builtin_info {
    const char *name;
    enum sh_builtin id;
    const char *usage;   /* "cd [DIR]" */
    const char *summary; /* one line for help */
};

/* Every builtin name, in the order help lists them, ended by a NULL name. */
extern const struct sh_builtin_info sh_builtins[];

/* Which builtin name is, or SH_NOT_BUILTIN (also for NULL). */
enum sh_builtin sh_builtin_find(const char *name);

bool sh_is_builtin(const char *name);

#endif
