/*
 * libFuzzer target for the shell's parser (programs/sh/parse.c). Each
 * input is one typed line, run the way programs/sh/main.c runs it: split
 * at ';' by sh_part, each part given to sh_parse. Checked besides what
 * the sanitizers catch:
 *   - sh_part's length and next stay inside the line;
 *   - sh_parse either fails with -E_INVAL or -E_2BIG, a message and no
 *     commands, or gives a pipeline within every limit whose words are
 *     NUL-terminated strings inside the pipeline's own text;
 *   - quoting: a parsed pipeline's words, each put back in '...', parse
 *     again into exactly the same words;
 *   - every word handed to export's sh_assignment and unset's
 *     sh_name_valid is answered within bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#include "../../programs/sh/parse.h"

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "sh_parse_fuzz: %s\n", what);
        abort();
    }
}

static char long_value[2000];

static const char *lookup(void *ctx, const char *name)
{
    (void)ctx;
    if (strcmp(name, "HOME") == 0)
        return "/home/alice";
    if (strcmp(name, "EMPTY") == 0)
        return "";
    if (strcmp(name, "Q") == 0)
        return "'\"$ \\";
    if (strcmp(name, "LONG") == 0)
        return long_value;
    return NULL;
}

/* A string inside p->text, NUL-terminated there. */
static int in_text(const struct sh_pipeline *p, const char *s)
{
    if (s < p->text || s >= p->text + SH_TEXT_MAX)
        return 0;
    return memchr(s, '\0', (size_t)(p->text + SH_TEXT_MAX - s)) != NULL;
}

static void check_pipeline(const struct sh_pipeline *p)
{
    int words = 0;
    require(p->count >= 0 && p->count <= SH_COMMANDS_MAX, "command count");
    require(p->text_used <= SH_TEXT_MAX, "text_used");
    for (int c = 0; c < p->count; c++) {
        const struct sh_command *cmd = &p->commands[c];
        require(cmd->argc >= 0 && cmd->argc <= SH_WORDS_MAX, "argc");
        require(cmd->argv >= p->words &&
                    cmd->argv + cmd->argc < p->words + SH_WORDS_MAX + SH_COMMANDS_MAX,
                "argv outside words[]");
        require(cmd->argv[cmd->argc] == NULL, "argv not NULL-ended");
        for (int i = 0; i < cmd->argc; i++)
            require(in_text(p, cmd->argv[i]), "a word outside the text");
        require(cmd->input == NULL || in_text(p, cmd->input), "input outside the text");
        require(cmd->output == NULL || in_text(p, cmd->output), "output outside the text");
        require(!cmd->append || cmd->output != NULL, ">> without an output");
        words += cmd->argc;

        for (int i = 0; i < cmd->argc; i++) {
            char name[SH_NAME_MAX + 1];
            const char *value = NULL;
            int r = sh_assignment(cmd->argv[i], name, sizeof(name), &value);
            require(r == 0 || r == -E_INVAL || r == -E_2BIG, "sh_assignment's error");
            if (r == 0)
                require(sh_name_valid(name) && value > cmd->argv[i] && value[-1] == '=',
                        "sh_assignment's name or value");
            (void)sh_name_valid(cmd->argv[i]);
            (void)sh_builtin_find(cmd->argv[i]);
        }
    }
    require(words <= SH_WORDS_MAX, "more words than SH_WORDS_MAX");
}

/* Puts p's words back in single quotes, pipes between; false if it would not fit. */
static int requote(const struct sh_pipeline *p, char *line, size_t size)
{
    size_t n = 0;
    for (int c = 0; c < p->count; c++) {
        if (c > 0 && n + 3 < size) {
            memcpy(line + n, " | ", 3);
            n += 3;
        }
        for (int i = 0; i < p->commands[c].argc; i++) {
            const char *w = p->commands[c].argv[i];
            if (n + 3 >= size)
                return 0;
            line[n++] = ' ';
            line[n++] = '\'';
            for (; *w != '\0'; w++) {
                if (n + 6 >= size)
                    return 0;
                if (*w == '\'') {
                    memcpy(line + n, "'\\''", 4); /* close, an escaped ', open again */
                    n += 4;
                } else {
                    line[n++] = *w;
                }
            }
            line[n++] = '\'';
        }
    }
    if (n >= size)
        return 0;
    line[n] = '\0';
    return 1;
}

static void check_quoting(const struct sh_pipeline *p)
{
    static struct sh_pipeline again;
    static char line[SH_LINE_MAX + 1];
    /* An empty command (every word expanded to nothing) cannot be written back. */
    for (int c = 0; c < p->count; c++)
        if (p->commands[c].argc == 0)
            return;
    if (p->count == 0 || !requote(p, line, sizeof(line)))
        return;
    int r = sh_parse(line, NULL, &again, NULL, 0);
    if (r == -E_2BIG)
        return; /* quoting takes more text than the words did */
    require(r == 0 && again.count == p->count, "quoted words did not parse again");
    for (int c = 0; c < p->count; c++) {
        require(again.commands[c].argc == p->commands[c].argc, "quoting changed the word count");
        for (int i = 0; i < p->commands[c].argc; i++)
            require(strcmp(again.commands[c].argv[i], p->commands[c].argv[i]) == 0,
                    "quoting changed a word");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct sh_pipeline pl;
    static char part[SH_LINE_MAX + 1];
    if (long_value[0] == '\0')
        memset(long_value, 'x', sizeof(long_value) - 1);
    if (size > 2 * SH_LINE_MAX)
        return 0;
    /* The line as the shell holds it: a NUL-terminated copy in a buffer of its own. */
    char *line = malloc(size + 1);
    if (line == NULL)
        return 0;
    memcpy(line, data, size);
    line[size] = '\0';
    size_t length = strlen(line);
    struct sh_env env = {lookup, NULL, (int)(size % 300)};

    for (const char *at = line; at != NULL;) {
        const char *next;
        size_t n = sh_part(at, &next);
        require(at + n <= line + length, "sh_part ran past the line");
        require(next == NULL || (next == at + n + 1 && at[n] == ';'), "sh_part's next");
        snprintf(part, sizeof(part), "%.*s", (int)n, at);
        char err[160] = "";
        int r = sh_parse(part, &env, &pl, err, sizeof(err));
        if (r < 0) {
            require(r == -E_INVAL || r == -E_2BIG, "sh_parse's error");
            require(pl.count == 0 && err[0] != '\0', "a failure without a message");
        } else {
            require(r == 0, "sh_parse's return");
            check_pipeline(&pl);
            check_quoting(&pl);
        }
        at = next;
    }
    free(line);
    return 0;
}
