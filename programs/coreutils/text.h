/*
 * The pure parts of the utilities: counting for wc, fixed-string
 * matching for grep, line limits for head, the columns of ls -l and
 * /etc/passwd lookups. Nothing here makes a system call, so
 * tests/unit/coreutils_text_test.c checks it on the build machine.
 */
#ifndef PARLEY_COREUTILS_TEXT_H
#define PARLEY_COREUTILS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* wc's counts; a word is a run of non-space bytes, even across two calls. */
struct wc_counts {
    uint64_t lines, words, bytes;
    bool in_word;
};

void wc_feed(struct wc_counts *counts, const char *data, size_t len);

/* Does line (len bytes, no newline) contain pattern? ignore_case folds ASCII letters. */
bool grep_match(const char *line, size_t len, const char *pattern, bool ignore_case);

/*
 * head: how many of the len bytes at data to print while *lines_left
 * lines remain to be shown; counts down *lines_left for each newline
 * taken.
 */
size_t head_take(const char *data, size_t len, uint64_t *lines_left);

/* "drwxr-xr-x" or "-rw-r--r--": type and mode as ls -l shows them (11 bytes with the NUL). */
void ls_mode_string(uint32_t type, uint32_t mode, char out[11]);

/*
 * One line of ls -l, without the newline:
 *   -rw-r--r--  alice       1234  notes.txt
 *   drwxr-xr-x  root           3  bin/
 * (a directory's size is its number of entries). Returns snprintf's count.
 */
int ls_long_line(char *out, size_t size, uint32_t type, uint32_t mode, const char *owner,
                 uint64_t bytes, const char *name);

/*
 * Looks up uid in the text of /etc/passwd (lines "name:uid:home:shell")
 * and copies its name into out. Returns false if no line has that uid.
 */
bool passwd_name(const char *text, size_t len, uint32_t uid, char *out, size_t size);

/* Sizes for people: "512 B", "4 KiB", "13 MiB" (rounded down). */
void size_human(uint64_t bytes, char *out, size_t size);

#endif
