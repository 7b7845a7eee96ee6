/*
 * What the console server's files share: the virtual consoles and the
 * request handlers that main.c puts in its dispatch table.
 *
 * main.c owns the consoles, output (CONSOLE_WRITE) and CONSOLE_INFO;
 * input.c owns the keyboard side: key events, the per-console key
 * queues and the reads that wait for keys (CONSOLE_READ_LINE, _READ_KEY).
 */
#ifndef CONSOLE_SERVER_H
#define CONSOLE_SERVER_H

#include <stdint.h>

#include <parley/ipc_lib.h>
#include <parley/proto/console.h>

#include "edit.h"
#include "vt.h"

#define KEY_QUEUE 256 /* key presses kept per console while nobody reads */

enum read_kind {
    READ_NONE,
    READ_LINE, /* a CONSOLE_READ_LINE waits, its line in `edit` */
    READ_KEY,  /* a CONSOLE_READ_KEY waits */
};

struct console {
    int number; /* 1-based, as in the badge */
    struct vt vt;
    struct edit edit;
    struct key_event keys[KEY_QUEUE]; /* a ring of presses not yet read */
    unsigned key_head, key_count;
    enum read_kind reading;
    uint32_t reader; /* the waiting reader's saved reply handle */
    uint32_t interrupt; /* where Ctrl-C goes while nobody reads (0: nowhere) */
};

/* The console a request's sender may use (its badge), or NULL. */
struct console *console_of(uint64_t sender);

/* Console number n, 1..CONSOLE_VTS. */
struct console *console_number(int n);

/* Shows console c on the screen, redrawn in full. */
void console_show(struct console *c);

/* The console on the screen. */
struct console *console_shown(void);

/* Copies c's changes to the screen if c is the one shown. */
void console_flush(struct console *c);

/* Handlers for input.c's messages (see struct ipc_handler). */
long input_key(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
               uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra);
long input_read_line(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                     uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra);
long input_set_interrupt(void *context, const struct ipc_msg *request,
                         const struct ipc_extra *extra, uint64_t sender, struct ipc_msg *reply,
                         struct ipc_extra *reply_extra);
long input_read_key(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                    uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra);

#endif
