/*
 * The shell's parser (see parse.h for the language it accepts).
 *
 * One left-to-right pass over the line does everything: it splits words,
 * removes quotes, expands variables and builds the pipeline as it goes,
 * appending each finished word to out->text and its pointer to
 * out->words. Each command's argv is a run of out->words ended by NULL,
 * so the runs for successive commands sit back to back.
 *
 * Every write goes through text_put or words_put, which check the limits,
 * and the first error is kept in struct parser and stops the pass; the
 * callers only need to test p->error after each step.
 */
#include "parse.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>

struct parser {
    const char *s; /* the next character of the line */
    const char *line;
    const struct sh_env *env;
    struct sh_pipeline *out;
    size_t nwords;   /* entries used in out->words, NULLs included */
    size_t argwords; /* words counted against SH_WORDS_MAX */
    int error;
    char *err;
    size_t err_size;
};

/* What read_word learned about the word it read. */
struct word {
    const char *text; /* in out->text, NUL-terminated */
    size_t length;
    bool quoted;       /* had quotes or escapes, so even "" is a word */
    bool plain_digits; /* only unquoted digits, like the 2 of "2>" */
};

__attribute__((format(printf, 3, 4))) static void fail(struct parser *p, int code, const char *fmt,
                                                       ...)
{
    if (p->error)
        return;
    p->error = code;
    if (p->err && p->err_size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err, p->err_size, fmt, ap);
        va_end(ap);
    }
}

/* The 1-based column of s, for messages about long lines. */
static int column(const struct parser *p, const char *s)
{
    return (int)(s - p->line) + 1;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Characters that end an unquoted word. */
static bool is_operator(char c)
{
    return c == '|' || c == '<' || c == '>' || c == ';' || c == '&' || c == '(' || c == ')' ||
           c == '`';
}

static bool is_name_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

static bool is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static void text_put(struct parser *p, const char *s, size_t n)
{
    struct sh_pipeline *out = p->out;
    if (p->error)
        return;
    if (n > SH_TEXT_MAX - out->text_used) {
        fail(p, -E_2BIG, "line too long after expansion (over %d characters)", SH_TEXT_MAX);
        return;
    }
    memcpy(out->text + out->text_used, s, n);
    out->text_used += n;
}

/* Appends a word (or, with w NULL, the end of an argv) to out->words. */
static void words_put(struct parser *p, const char *w)
{
    if (p->error)
        return;
    if (w && p->argwords >= SH_WORDS_MAX) {
        fail(p, -E_2BIG, "too many words (over %d)", SH_WORDS_MAX);
        return;
    }
    /* Can't overflow: at most SH_WORDS_MAX words plus one NULL per command. */
    p->out->words[p->nwords++] = w;
    if (w)
        p->argwords++;
}

/* Appends the value of variable name (or of $? for "?") to the word. */
static void expand_name(struct parser *p, const char *name)
{
    if (strcmp(name, "?") == 0) {
        char num[16];
        int n = snprintf(num, sizeof(num), "%d", p->env ? p->env->status : 0);
        text_put(p, num, (size_t)n);
        return;
    }
    if (!p->env || !p->env->lookup)
        return;
    const char *value = p->env->lookup(p->env->ctx, name);
    if (value)
        text_put(p, value, strlen(value));
}

/*
 * Expands the '$' at p->s: $?, $NAME or ${NAME}. A '$' followed by
 * anything else (a blank, a digit, the end of the line) is kept as is.
 */
static void read_dollar(struct parser *p)
{
    const char *dollar = p->s;
    char name[SH_NAME_MAX + 1];
    size_t n = 0;

    p->s++;
    if (*p->s == '?') {
        p->s++;
        expand_name(p, "?");
        return;
    }
    if (*p->s == '{') {
        const char *start = ++p->s;
        const char *close = strchr(start, '}');
        if (!close) {
            fail(p, -E_INVAL, "missing '}' after '${' at column %d", column(p, dollar));
            return;
        }
        n = (size_t)(close - start);
        p->s = close + 1;
        bool ok = n == 1 && *start == '?';
        if (!ok && n > 0 && is_name_start(*start)) {
            ok = true;
            for (size_t i = 1; i < n; i++)
                ok = ok && is_name_char(start[i]);
        }
        if (!ok) {
            fail(p, -E_INVAL, "bad variable name in '${%.*s}'", n > 32 ? 32 : (int)n, start);
            return;
        }
        if (n > SH_NAME_MAX) {
            fail(p, -E_2BIG, "variable name too long (over %d characters)", SH_NAME_MAX);
            return;
        }
        memcpy(name, start, n);
        name[n] = '\0';
        expand_name(p, name);
        return;
    }
    if (!is_name_start(*p->s)) {
        text_put(p, "$", 1);
        return;
    }
    while (is_name_char(*p->s)) {
        if (n == SH_NAME_MAX) {
            fail(p, -E_2BIG, "variable name too long (over %d characters)", SH_NAME_MAX);
            return;
        }
        name[n++] = *p->s++;
    }
    name[n] = '\0';
    expand_name(p, name);
}

/* Reads a '...' string at p->s: everything up to the next ' is literal. */
static void read_single_quoted(struct parser *p)
{
    const char *open = p->s++;
    const char *close = strchr(p->s, '\'');
    if (!close) {
        fail(p, -E_INVAL, "missing closing ' (opened at column %d)", column(p, open));
        return;
    }
    text_put(p, p->s, (size_t)(close - p->s));
    p->s = close + 1;
}

/*
 * Reads a "..." string at p->s. Inside, $ expands, and a backslash
 * escapes only the characters that mean something here ($ " \ `);
 * before anything else it stays, as in sh ("a\b" is a\b).
 */
static void read_double_quoted(struct parser *p)
{
    const char *open = p->s++;
    while (!p->error) {
        char c = *p->s;
        if (c == '\0') {
            fail(p, -E_INVAL, "missing closing \" (opened at column %d)", column(p, open));
        } else if (c == '"') {
            p->s++;
            return;
        } else if (c == '$') {
            read_dollar(p);
        } else if (c == '\\' && p->s[1] == '\n') {
            p->s += 2; /* a line continuation vanishes */
        } else if (c == '\\' && strchr("$\"\\`", p->s[1]) && p->s[1] != '\0') {
            text_put(p, p->s + 1, 1);
            p->s += 2;
        } else {
            text_put(p, p->s++, 1);
        }
    }
}

/*
 * Reads one word at p->s (which is not a blank or an operator) into
 * out->text, through the blank or operator that ends it.
 */
static struct word read_word(struct parser *p)
{
    struct word w = {.text = p->out->text + p->out->text_used, .plain_digits = true};
    size_t start = p->out->text_used;

    while (!p->error) {
        char c = *p->s;
        if (c == '\0' || is_blank(c) || is_operator(c))
            break;
        if (!isdigit((unsigned char)c))
            w.plain_digits = false;
        if (c == '\'') {
            w.quoted = true;
            read_single_quoted(p);
        } else if (c == '"') {
            w.quoted = true;
            read_double_quoted(p);
        } else if (c == '$') {
            read_dollar(p);
        } else if (c == '\\') {
            if (p->s[1] == '\0') {
                fail(p, -E_INVAL, "nothing after '\\' at the end of the line");
            } else if (p->s[1] == '\n') {
                p->s += 2; /* a line continuation vanishes */
            } else {
                w.quoted = true;
                text_put(p, p->s + 1, 1);
                p->s += 2;
            }
        } else {
            text_put(p, p->s++, 1);
        }
    }
    w.length = p->out->text_used - start;
    text_put(p, "", 1);
    return w;
}

/*
 * Parses a redirection at p->s ('<', '>' or '>>' and a file name) into
 * cmd; for standard error (stderr: it followed a "2") also ">&1".
 */
static void read_redirect(struct parser *p, struct sh_command *cmd, bool stderr_of)
{
    const char *op = "<";
    if (*p->s == '>')
        op = p->s[1] == '>' ? ">>" : ">";
    if (stderr_of && p->s[1] == '&') {
        p->s += 2;
        if (*p->s != '1' || !(p->s[1] == '\0' || is_blank(p->s[1]) || is_operator(p->s[1]))) {
            fail(p, -E_INVAL, "only '2>&1' can join standard error to another stream");
            return;
        }
        p->s++;
        if (cmd->error || cmd->error_to_output)
            fail(p, -E_INVAL, "a command can have only one '2>', '2>>' or '2>&1'");
        cmd->error_to_output = true;
        return;
    }
    p->s += strlen(op);
    while (is_blank(*p->s))
        p->s++;
    if (*p->s == '\0' || *p->s == '#' || is_operator(*p->s)) {
        fail(p, -E_INVAL, "missing file name after '%s'", op);
        return;
    }
    struct word w = read_word(p);
    if (p->error)
        return;
    if (w.length == 0) {
        fail(p, -E_INVAL, "file name after '%s' is empty", op);
    } else if (stderr_of) {
        if (cmd->error || cmd->error_to_output)
            fail(p, -E_INVAL, "a command can have only one '2>', '2>>' or '2>&1'");
        cmd->error = w.text;
        cmd->error_append = op[1] == '>';
    } else if (op[0] == '<') {
        if (cmd->input)
            fail(p, -E_INVAL, "a command can have only one '<'");
        cmd->input = w.text;
    } else {
        if (cmd->output)
            fail(p, -E_INVAL, "a command can have only one '>' or '>>'");
        cmd->output = w.text;
        cmd->append = op[1] == '>';
    }
}

/* Ends the current command: closes its argv and counts it. */
static void finish_command(struct parser *p, size_t first_word)
{
    struct sh_command *cmd = &p->out->commands[p->out->count];
    cmd->argv = &p->out->words[first_word];
    cmd->argc = (int)(p->nwords - first_word);
    words_put(p, NULL);
    p->out->count++;
}

/* The pass itself; the error, if any, is left in p. */
static void parse_line(struct parser *p)
{
    struct sh_pipeline *out = p->out;
    size_t first_word = 0;
    bool tokens = false; /* the current command has a word or redirection */
    bool after_pipe = false;
    const char *pipe_at = NULL;

    while (!p->error) {
        while (is_blank(*p->s))
            p->s++;
        char c = *p->s;
        struct sh_command *cmd = &out->commands[out->count];

        if (c == '\0' || c == '#') {
            if (after_pipe && !tokens) {
                fail(p, -E_INVAL, "missing command after '|' at column %d", column(p, pipe_at));
                return;
            }
            if (tokens)
                finish_command(p, first_word);
            return;
        } else if (c == '|') {
            if (!tokens) {
                fail(p, -E_INVAL, "missing command before '|' at column %d", column(p, p->s));
                return;
            }
            if (out->count + 1 >= SH_COMMANDS_MAX) {
                fail(p, -E_2BIG, "too many commands in the pipeline (over %d)", SH_COMMANDS_MAX);
                return;
            }
            finish_command(p, first_word);
            first_word = p->nwords;
            tokens = false;
            after_pipe = true;
            pipe_at = p->s++;
        } else if (c == '<' || c == '>') {
            tokens = true;
            read_redirect(p, cmd, false);
        } else if (is_operator(c)) {
            fail(p, -E_INVAL, "'%c' is not supported (quote it to use it as text)", c);
        } else {
            tokens = true;
            struct word w = read_word(p);
            if (p->error)
                return;
            if (w.plain_digits && (*p->s == '<' || *p->s == '>')) {
                /* A descriptor: 0<, 1> and 2> name stdin, stdout and stderr. */
                bool ok = (strcmp(w.text, "0") == 0 && *p->s == '<') ||
                          (strcmp(w.text, "1") == 0 && *p->s == '>') ||
                          (strcmp(w.text, "2") == 0 && *p->s == '>');
                if (!ok) {
                    fail(p, -E_INVAL,
                         "'%.20s%c' is not supported: only 0<, 1> and 2> can be redirected", w.text,
                         *p->s);
                    return;
                }
                read_redirect(p, cmd, w.text[0] == '2');
                continue;
            }
            /* An unquoted word that expanded to nothing is no word at all. */
            if (w.length > 0 || w.quoted)
                words_put(p, w.text);
        }
    }
}

int sh_parse(const char *line, const struct sh_env *env, struct sh_pipeline *out, char *err,
             size_t err_size)
{
    struct parser p = {
        .s = line, .line = line, .env = env, .out = out, .err = err, .err_size = err_size};

    out->count = 0;
    out->text_used = 0;
    if (err && err_size > 0)
        err[0] = '\0';
    if (!line) {
        fail(&p, -E_INVAL, "no line to parse");
        return p.error;
    }
    if (strnlen(line, SH_LINE_MAX + 1) > SH_LINE_MAX) {
        fail(&p, -E_2BIG, "line too long (over %d characters)", SH_LINE_MAX);
        return p.error;
    }
    memset(out->commands, 0, sizeof(out->commands));
    parse_line(&p);
    if (p.error)
        out->count = 0;
    return p.error;
}

size_t sh_part(const char *line, const char **next)
{
    char quote = 0;
    bool word_start = true; /* the line's start, or just after a blank or an operator */
    for (size_t i = 0;; i++) {
        char c = line[i];
        if (c == '\0' || (quote == 0 && (c == ';' || (c == '#' && word_start)))) {
            *next = c == ';' ? line + i + 1 : NULL; /* nothing after a comment runs */
            return i;
        }
        if (c == '\\' && quote != '\'' && line[i + 1] != '\0') {
            i++; /* an escaped character is neither a separator nor a comment */
            word_start = false;
        } else if (quote != 0) {
            quote = c == quote ? 0 : quote;
        } else if (c == '\'' || c == '"') {
            quote = c;
            word_start = false;
        } else {
            word_start = is_blank(c) || is_operator(c);
        }
    }
}

bool sh_name_valid(const char *name)
{
    if (!name || !is_name_start(*name))
        return false;
    while (*++name)
        if (!is_name_char(*name))
            return false;
    return true;
}

int sh_assignment(const char *word, char *name, size_t name_size, const char **value)
{
    if (!word)
        return -E_INVAL;
    const char *eq = strchr(word, '=');
    if (!eq || eq == word || !is_name_start(word[0]))
        return -E_INVAL;
    size_t n = (size_t)(eq - word);
    for (size_t i = 1; i < n; i++)
        if (!is_name_char(word[i]))
            return -E_INVAL;
    if (n >= name_size)
        return -E_2BIG;
    memcpy(name, word, n);
    name[n] = '\0';
    *value = eq + 1;
    return 0;
}

const struct sh_builtin_info sh_builtins[] = {
    {"cd", SH_BUILTIN_CD, "cd [DIR]", "change the directory (to $HOME without DIR)"},
    {"pwd", SH_BUILTIN_PWD, "pwd", "print the current directory"},
    {"exit", SH_BUILTIN_EXIT, "exit [STATUS]", "leave the shell (STATUS defaults to $?)"},
    {"logout", SH_BUILTIN_EXIT, "logout", "leave the shell, as exit does"},
    {"export", SH_BUILTIN_EXPORT, "export [NAME[=VALUE]...]",
     "set variables for the commands the shell runs; alone, list them"},
    {"unset", SH_BUILTIN_UNSET, "unset NAME...", "remove variables"},
    {"help", SH_BUILTIN_HELP, "help", "list the builtin commands"},
    {"history", SH_BUILTIN_HISTORY, "history", "list the lines typed so far"},
    {NULL, SH_NOT_BUILTIN, NULL, NULL},
};

enum sh_builtin sh_builtin_find(const char *name)
{
    if (!name)
        return SH_NOT_BUILTIN;
    for (const struct sh_builtin_info *b = sh_builtins; b->name; b++)
        if (strcmp(b->name, name) == 0)
            return b->id;
    return SH_NOT_BUILTIN;
}

bool sh_is_builtin(const char *name)
{
    return sh_builtin_find(name) != SH_NOT_BUILTIN;
}
