/*
 * grep [-i] [-v] [-n] [-c] PATTERN [FILE...]: prints the lines that
 * contain the fixed string PATTERN (-v: that do not; -i: ignoring case),
 * with line numbers for -n, or only their count for -c. The file name
 * comes first when there are several files. Exit status 0 if a line was
 * selected, 1 if none, 2 on an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#include "common.h"
#include "text.h"

struct scan {
    const char *pattern, *name;
    bool ignore_case, invert, numbers, count_only;
    uint64_t line_number, selected;
    char *line;
    size_t len, cap;
    long err;
};

static void finish_line(struct scan *s)
{
    s->line_number++;
    if (grep_match(s->line, s->len, s->pattern, s->ignore_case) == s->invert)
        return;
    s->selected++;
    if (s->count_only)
        return;
    if (s->name != NULL)
        printf("%s:", s->name);
    if (s->numbers)
        printf("%llu:", (unsigned long long)s->line_number);
    util_write(s->line, s->len);
    printf("\n");
}

/* Collects lines across chunks; a line longer than memory allows ends the scan with -E_NOMEM. */
static void feed(const char *chunk, size_t len, void *arg)
{
    struct scan *s = arg;
    for (size_t i = 0; i < len && s->err == 0; i++) {
        if (chunk[i] == '\n') {
            finish_line(s);
            s->len = 0;
            continue;
        }
        if (s->len == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 256;
            char *bigger = realloc(s->line, cap);
            if (bigger == NULL) {
                s->err = -E_NOMEM;
                return;
            }
            s->line = bigger;
            s->cap = cap;
        }
        s->line[s->len++] = chunk[i];
    }
}

int main(int argc, char **argv)
{
    util_start("grep");
    struct scan s = {0};
    int first = 1;
    for (; first < argc && argv[first][0] == '-' && argv[first][1] != '\0'; first++) {
        for (const char *f = argv[first] + 1; *f != '\0'; f++) {
            if (*f == 'i')
                s.ignore_case = true;
            else if (*f == 'v')
                s.invert = true;
            else if (*f == 'n')
                s.numbers = true;
            else if (*f == 'c')
                s.count_only = true;
            else
                return util_usage("usage: grep [-ivnc] PATTERN [FILE...]") + 1;
        }
    }
    if (first >= argc)
        return util_usage("usage: grep [-ivnc] PATTERN [FILE...]") + 1;
    s.pattern = argv[first++];
    const char *stdin_only[] = {"-"};
    const char **files = first < argc ? (const char **)argv + first : stdin_only;
    int count = first < argc ? argc - first : 1;
    uint64_t selected = 0;
    int status = 0;
    for (int i = 0; i < count; i++) {
        s.name = count > 1 ? files[i] : NULL;
        s.line_number = s.selected = 0;
        s.len = 0;
        s.err = 0;
        long err = util_each_chunk(files[i], feed, &s);
        if (err == 0 && s.err == 0 && s.len > 0)
            finish_line(&s); /* a last line without a newline */
        if (err == 0)
            err = s.err;
        if (err < 0) {
            util_fail(strcmp(files[i], "-") == 0 ? "stdin" : files[i], err);
            status = 2;
            continue;
        }
        if (s.count_only)
            s.name != NULL ? printf("%s:%llu\n", s.name, (unsigned long long)s.selected)
                           : printf("%llu\n", (unsigned long long)s.selected);
        selected += s.selected;
    }
    free(s.line);
    return status != 0 ? status : (selected > 0 ? 0 : 1);
}
