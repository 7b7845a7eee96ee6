/*
 * wc [-l] [-w] [-c] [FILE...]: counts lines, words and bytes of each file
 * (or stdin), with a total line for more than one file.
 */
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "text.h"

static bool want_lines, want_words, want_bytes;

static void count(const char *chunk, size_t len, void *arg)
{
    wc_feed(arg, chunk, len);
}

static void report(const struct wc_counts *c, const char *name)
{
    if (want_lines)
        printf("%7llu ", (unsigned long long)c->lines);
    if (want_words)
        printf("%7llu ", (unsigned long long)c->words);
    if (want_bytes)
        printf("%7llu ", (unsigned long long)c->bytes);
    printf("%s\n", name);
}

int main(int argc, char **argv)
{
    util_start("wc");
    int first = 1, status = 0;
    for (; first < argc && argv[first][0] == '-' && argv[first][1] != '\0'; first++) {
        for (const char *f = argv[first] + 1; *f != '\0'; f++) {
            if (*f == 'l')
                want_lines = true;
            else if (*f == 'w')
                want_words = true;
            else if (*f == 'c')
                want_bytes = true;
            else
                return util_usage("usage: wc [-lwc] [FILE...]");
        }
    }
    if (!want_lines && !want_words && !want_bytes)
        want_lines = want_words = want_bytes = true;
    const char *stdin_only[] = {"-"};
    const char **files = first < argc ? (const char **)argv + first : stdin_only;
    int count_files = first < argc ? argc - first : 1;
    struct wc_counts total = {0};
    for (int i = 0; i < count_files; i++) {
        struct wc_counts c = {0};
        long err = util_each_chunk(files[i], count, &c);
        if (err < 0) {
            status = util_fail(strcmp(files[i], "-") == 0 ? "stdin" : files[i], err);
            continue;
        }
        report(&c, strcmp(files[i], "-") == 0 ? "" : files[i]);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    }
    if (count_files > 1)
        report(&total, "total");
    return status;
}
