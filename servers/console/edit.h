/*
 * The line editor behind CONSOLE_READ_LINE: one line being typed on one
 * virtual console, edited key by key and echoed on that console's screen.
 *
 * Like vt.c it is pure (no system calls): it takes key events and draws
 * through the vt functions, so the host unit tests drive it directly.
 */
#ifndef CONSOLE_EDIT_H
#define CONSOLE_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <parley/proto/console.h>

#include "vt.h"

/* One key event as INPUT_KEY carries it (input.h). */
struct key_event {
    uint32_t key;  /* a character code or KEY_* */
    uint32_t mods; /* MOD_* */
    uint32_t down; /* 1 pressed, 0 released */
    uint32_t ch;   /* the character it types, or 0 */
};

enum edit_result {
    EDIT_MORE, /* the line is not finished */
    EDIT_DONE, /* Enter: the line is complete */
    EDIT_INTR, /* Ctrl-C */
    EDIT_EOF,  /* Ctrl-D on an empty line */
};

struct edit {
    char line[CONSOLE_LINE_MAX + 1];
    size_t length; /* characters in line */
    size_t pos;    /* the cursor, 0..length */
    size_t max;    /* the longest line the reader wants */
    bool echo;
    uint64_t start; /* where line[0] is: (vt->scrolled + row) * VT_COLS + col */
};

/* Starts a line of at most max characters at the console's cursor. */
void edit_start(struct edit *e, const struct vt *vt, size_t max, bool echo);

/* Applies one key press; says whether the line is finished and how. */
enum edit_result edit_key(struct edit *e, struct vt *vt, const struct key_event *key);

/*
 * Draws the line again from the console's cursor, after other output
 * moved things under it (a write while a read was waiting).
 */
void edit_redraw(struct edit *e, struct vt *vt);

#endif
