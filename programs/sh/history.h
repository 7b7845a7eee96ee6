/*
 * The shell's command history: the last SH_HISTORY_MAX lines typed, for
 * the history builtin and for recalling lines with the up and down keys.
 *
 * Lines are numbered from 1 for the life of the shell, so a line keeps
 * its number in the listing after older ones are dropped. Up and down
 * walk a cursor through the lines; stepping up from the line being typed
 * saves that line (the draft), and stepping down past the newest entry
 * gives it back, as in bash.
 *
 * Pure (no system calls) so the host unit tests drive it directly
 * (tests/unit/sh_history_test.c). Each line is a malloc'd copy;
 * sh_history_free releases them all.
 */
#ifndef PARLEY_SH_HISTORY_H
#define PARLEY_SH_HISTORY_H

#include <stddef.h>

#define SH_HISTORY_MAX 100

struct sh_history {
    char *lines[SH_HISTORY_MAX]; /* oldest first */
    size_t count;
    unsigned long first; /* the number of lines[0] */
    size_t cursor;       /* 0..count; count means the draft */
    char *draft;         /* the line being typed when up was first pressed */
};

/* Starts an empty history. */
void sh_history_init(struct sh_history *h);

/* Frees every line; h is empty afterwards and may be used again. */
void sh_history_free(struct sh_history *h);

/*
 * Adds a copy of line as the newest entry, dropping the oldest when full,
 * unless line is blank or the same as the newest entry. Either way the
 * cursor goes back to a new, empty draft. Returns 0 (added or skipped) or
 * -E_NOMEM, leaving the history as it was.
 */
int sh_history_add(struct sh_history *h, const char *line);

size_t sh_history_count(const struct sh_history *h);

/* Entry i, 0 being the oldest kept; NULL when i >= count. */
const char *sh_history_get(const struct sh_history *h, size_t i);

/* The number the listing shows for entry i. */
unsigned long sh_history_number(const struct sh_history *h, size_t i);

/*
 * Formats entry i as the history builtin lists it: the number right
 * aligned in five columns, two spaces, the line ("    7  ls /bin").
 * Returns what snprintf returns, or -1 when i >= count (buf is then "").
 */
int sh_history_format(const struct sh_history *h, size_t i, char *buf, size_t size);

/*
 * The up key: moves to the next older entry and returns it, first saving
 * editing (the line on screen) when leaving the draft. Returns NULL, and
 * stays put, at the oldest entry, with no entries, or when memory for the
 * draft runs out.
 */
const char *sh_history_up(struct sh_history *h, const char *editing);

/*
 * The down key: moves to the next newer entry and returns it, or past the
 * newest back to the draft (the saved line). Returns NULL when already on
 * the draft.
 */
const char *sh_history_down(struct sh_history *h);

/* Drops the draft and puts the cursor back on it, as after Enter or Ctrl-C. */
void sh_history_reset(struct sh_history *h);

#endif
