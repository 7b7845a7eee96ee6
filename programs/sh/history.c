/*
 * The command history (see history.h).
 *
 * The lines sit oldest first in a fixed array of pointers; when it is
 * full the oldest is freed and the rest slide down one place, which for
 * a hundred pointers costs nothing next to running a command. The cursor
 * is an index into that array, with count standing for the draft, so
 * adding a line (which moves everything) also resets the cursor.
 */
#include "history.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

void sh_history_init(struct sh_history *h)
{
    memset(h, 0, sizeof(*h));
    h->first = 1;
}

void sh_history_reset(struct sh_history *h)
{
    free(h->draft);
    h->draft = NULL;
    h->cursor = h->count;
}

void sh_history_free(struct sh_history *h)
{
    for (size_t i = 0; i < h->count; i++)
        free(h->lines[i]);
    free(h->draft);
    unsigned long next = h->first + h->count;
    sh_history_init(h);
    h->first = next; /* numbers keep counting, as after bash's history -c */
}

static bool is_blank_line(const char *line)
{
    for (; *line; line++)
        if (*line != ' ' && *line != '\t' && *line != '\n' && *line != '\r')
            return false;
    return true;
}

int sh_history_add(struct sh_history *h, const char *line)
{
    sh_history_reset(h);
    if (!line || is_blank_line(line))
        return 0;
    if (h->count > 0 && strcmp(h->lines[h->count - 1], line) == 0)
        return 0;

    char *copy = strdup(line);
    if (!copy)
        return -E_NOMEM;
    if (h->count == SH_HISTORY_MAX) {
        free(h->lines[0]);
        memmove(&h->lines[0], &h->lines[1], (SH_HISTORY_MAX - 1) * sizeof(h->lines[0]));
        h->count--;
        h->first++;
    }
    h->lines[h->count++] = copy;
    h->cursor = h->count;
    return 0;
}

size_t sh_history_count(const struct sh_history *h)
{
    return h->count;
}

const char *sh_history_get(const struct sh_history *h, size_t i)
{
    return i < h->count ? h->lines[i] : NULL;
}

unsigned long sh_history_number(const struct sh_history *h, size_t i)
{
    return h->first + i;
}

int sh_history_format(const struct sh_history *h, size_t i, char *buf, size_t size)
{
    if (i >= h->count) {
        if (size > 0)
            buf[0] = '\0';
        return -1;
    }
    return snprintf(buf, size, "%5lu  %s", sh_history_number(h, i), h->lines[i]);
}

const char *sh_history_up(struct sh_history *h, const char *editing)
{
    if (h->cursor == 0)
        return NULL;
    if (h->cursor == h->count) {
        char *copy = strdup(editing ? editing : "");
        if (!copy)
            return NULL;
        free(h->draft);
        h->draft = copy;
    }
    return h->lines[--h->cursor];
}

const char *sh_history_down(struct sh_history *h)
{
    if (h->cursor >= h->count)
        return NULL;
    if (++h->cursor < h->count)
        return h->lines[h->cursor];
    return h->draft ? h->draft : "";
}
