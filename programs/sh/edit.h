/*
 * The shell's line editor: reads one command line key by key from the
 * console (CONSOLE_READ_KEY) and draws it with ANSI cursor movements, so
 * that the up and down keys can bring back lines from the history.
 *
 * Keys: printable characters insert at the cursor; Backspace and Delete
 * remove; Left/Right, Home/End (also Ctrl-A/Ctrl-E) move; Ctrl-U removes
 * everything before the cursor; Ctrl-K everything after it; Up/Down walk
 * the history; Ctrl-L clears the screen; Enter ends the line; Ctrl-C
 * drops it; Ctrl-D on an empty line is the end of input (on a non-empty
 * line it deletes the character under the cursor).
 */
#ifndef PARLEY_SH_EDIT_H
#define PARLEY_SH_EDIT_H

#include <stddef.h>

#include "shell.h"

/*
 * Shows prompt and reads a line into buf (size bytes with the NUL; longer
 * input is refused key by key). Returns the length, -E_INTR for Ctrl-C,
 * -E_CLOSED for Ctrl-D on an empty line, or the console's error.
 */
long edit_read_line(struct shell *sh, const char *prompt, char *buf, size_t size);

#endif
